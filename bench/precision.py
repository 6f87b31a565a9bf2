#!/usr/bin/env python3
"""Precision run: scans large trees of code nobody here wrote and counts findings per detector.

usage: bench/precision.py [--bin PATH] [--json-out DIR] [--peers kingfisher,betterleaks]
                          [--peer-timeout SECONDS] NAME=DIR [NAME=DIR ...]

Every finding on such corpora is a false positive or a test fixture; the table it prints is
what we triage (bench/precision-diff.py lists what a new binary adds). The corpora and how to
recreate them are in bench/corpora.md:
  cargo=/work/corpora/cargo   python=/work/corpora/pyvenv/lib/python3.11/site-packages
  npm=/work/corpora/npm/node_modules

--peers runs the named scanners over the same trees after leakguard, with their default rules,
no validation, every occurrence reported; their counts are per 100 MB of what leakguard
scanned (text files), and a scan that takes longer than --peer-timeout is reported as such.
They are run from inside each tree on `.` (their paths in the reports are relative to it):
both skip every file under a path that names node_modules or a Python lib directory, so given
the absolute path of a node_modules or a site-packages they scan nothing.
--json-out keeps each report: NAME.json (leakguard), NAME.kingfisher.json, NAME.betterleaks.json.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time


def run_leakguard(exe, path, timeout):
    out = subprocess.run([exe, "scan", "--no-ignore", "--no-progress", "--format", "json", path],
                         capture_output=True, timeout=timeout)
    if out.returncode not in (0, 1):
        raise RuntimeError(f"leakguard failed: {out.stderr.decode(errors='replace')}")
    report = json.loads(out.stdout)
    rules = [f["detector"] for f in report["findings"] if f["suppressed"] is None]
    return out.stdout, rules, report["summary"]


def run_kingfisher(path, timeout):
    out = subprocess.run(["kingfisher", "scan", ".", "--git-history", "none", "--no-validate",
                          "--no-dedup", "--format", "json", "-q"], cwd=path, capture_output=True, timeout=timeout)
    text = out.stdout.decode(errors="replace").strip()
    if not text:
        raise RuntimeError(f"kingfisher: no output (exit {out.returncode}): {out.stderr.decode(errors='replace')[-500:]}")
    try:
        findings = json.loads(text).get("findings", [])
    except ValueError:
        findings = [json.loads(l) for l in text.splitlines() if l.startswith("{")]
    return out.stdout, [(f.get("rule") or {}).get("id", "?") for f in findings]


def run_betterleaks(path, timeout):
    with tempfile.TemporaryDirectory() as td:
        rep = os.path.join(td, "report.json")
        out = subprocess.run(["betterleaks", "fs", ".", "-o", rep, "--no-banner", "--exit-code", "0"],
                             cwd=path, capture_output=True, timeout=timeout)
        if out.returncode != 0:
            raise RuntimeError(f"betterleaks exited {out.returncode}: {out.stderr.decode(errors='replace')[-500:]}")
        raw = open(rep, "rb").read()
    doc = json.loads(raw or b"[]")
    findings = doc.get("findings", []) if isinstance(doc, dict) else doc
    return raw, [f.get("rule_id") or f.get("RuleID") or "?" for f in findings or []]


PEERS = {"kingfisher": run_kingfisher, "betterleaks": run_betterleaks}


def keep(json_out, name, raw):
    if json_out:
        os.makedirs(json_out, exist_ok=True)
        with open(os.path.join(json_out, f"{name}.json"), "wb") as fh:
            fh.write(raw)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "leakguard"))
    ap.add_argument("--json-out", help="keep each corpus's JSON report in this directory")
    ap.add_argument("--peers", default="", help="comma list of peer scanners to run too: kingfisher,betterleaks")
    ap.add_argument("--peer-timeout", type=int, default=1200)
    ap.add_argument("--top", type=int, default=0, help="list only the N most frequent detectors per corpus")
    ap.add_argument("corpora", nargs="+")
    a = ap.parse_args()
    peers = [p for p in a.peers.split(",") if p]
    for p in peers:
        if p not in PEERS:
            sys.exit(f"error: unknown peer {p!r} (known: {', '.join(PEERS)})")
    totals = collections.defaultdict(collections.Counter)
    rows = []
    for spec in a.corpora:
        name, _, path = spec.partition("=")
        path = os.path.expanduser(path)
        if not os.path.isdir(path):
            sys.exit(f"error: {name}: {path} is not a directory")
        start = time.monotonic()
        try:
            raw, rules, s = run_leakguard(a.bin, path, None)
        except RuntimeError as e:
            sys.exit(f"{name}: {e}")
        secs = time.monotonic() - start
        keep(a.json_out, name, raw)
        mb = s["bytes_scanned"] / 1e6
        per = collections.Counter(rules)
        totals["leakguard"].update(per)
        rows.append((name, "leakguard", s["files"], mb, secs, per, None))
        for p in peers:
            print(f"{name}: running {p} …", file=sys.stderr)
            start = time.monotonic()
            try:
                raw, rules = PEERS[p](path, a.peer_timeout)
                keep(a.json_out, f"{name}.{p}", raw)
                per, note = collections.Counter(rules), None
                totals[p].update(per)
            except subprocess.TimeoutExpired:
                per, note = collections.Counter(), f"timed out after {a.peer_timeout} s"
            except (RuntimeError, ValueError) as e:
                per, note = collections.Counter(), f"failed: {e}"
            rows.append((name, p, None, mb, time.monotonic() - start, per, note))
    for name, scanner, files, mb, secs, per, note in rows:
        n = sum(per.values())
        where = f"{files} files, {mb:.1f} MB scanned" if files is not None else f"same {mb:.1f} MB"
        if note:
            print(f"## {name}, {scanner}: {note}")
            continue
        print(f"## {name}, {scanner}: {where} in {secs:.1f} s ({mb / secs:.0f} MB/s), "
              f"{n} findings ({n / mb * 100:.2f} per 100 MB)")
        for det, c in per.most_common(a.top or None):
            print(f"  {c:6d}  {det}")
    for scanner, per in totals.items():
        print(f"## all corpora, {scanner}: {sum(per.values())} findings")
        for det, c in per.most_common(a.top or None):
            print(f"  {c:6d}  {det}")


if __name__ == "__main__":
    main()
