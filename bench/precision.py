#!/usr/bin/env python3
"""Precision run: scans large trees of code nobody here wrote and counts findings per detector.

usage: bench/precision.py [--bin PATH] [--json-out DIR] NAME=DIR [NAME=DIR ...]

Every finding on such corpora is a false positive or a test fixture; the table it prints is
what we triage. Corpora used for the closing notes (see bench/README.md):
  cargo=~/.cargo/registry/src   python=<venv>/lib/python3.11/site-packages   npm=<dir>/node_modules
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "leakguard"))
    ap.add_argument("--json-out", help="keep each corpus's JSON report in this directory")
    ap.add_argument("corpora", nargs="+")
    a = ap.parse_args()
    totals = collections.Counter()
    rows = []
    for spec in a.corpora:
        name, _, path = spec.partition("=")
        path = os.path.expanduser(path)
        start = time.monotonic()
        out = subprocess.run([a.bin, "scan", "--no-ignore", "--no-progress", "--format", "json", path],
                             capture_output=True)
        secs = time.monotonic() - start
        if out.returncode not in (0, 1):
            sys.exit(f"{name}: leakguard failed: {out.stderr.decode(errors='replace')}")
        report = json.loads(out.stdout)
        if a.json_out:
            os.makedirs(a.json_out, exist_ok=True)
            with open(os.path.join(a.json_out, f"{name}.json"), "wb") as fh:
                fh.write(out.stdout)
        s = report["summary"]
        per = collections.Counter(f["detector"] for f in report["findings"] if f["suppressed"] is None)
        totals.update(per)
        mb = s["bytes_scanned"] / 1e6
        rows.append((name, s["files"], mb, secs, sum(per.values()), per))
    for name, files, mb, secs, n, per in rows:
        print(f"## {name}: {files} files, {mb:.1f} MB scanned in {secs:.1f} s "
              f"({mb / secs:.0f} MB/s), {n} findings ({n / mb * 100:.2f} per 100 MB)")
        for det, c in per.most_common():
            print(f"  {c:6d}  {det}")
    print("## all corpora")
    for det, c in totals.most_common():
        print(f"  {c:6d}  {det}")


if __name__ == "__main__":
    main()
