#!/usr/bin/env python3
"""Findings that a newer leakguard reports on a precision corpus and an older one did not.

usage: bench/precision-diff.py [--all] OLD.json NEW.json

OLD and NEW are JSON reports of the same corpus (`bench/precision.py --json-out DIR` keeps one
per corpus). A finding is matched by its path and line: one NEW finding at a place where OLD
had none is listed as new; one at a place OLD reported under another detector is listed as
relabelled. Findings OLD had and NEW lost are counted (listed with --all). Suppressed findings
are left out, as precision.py leaves them out of its counts. Secrets are printed redacted.
Exit status 1 when there is anything new or relabelled, so a script can stop on it; 2 on
unreadable input.
"""
import argparse
import collections
import json
import sys


def redact(f):
    s = f.get("secret", "")
    if f.get("secret_redacted", False) or len(s) <= 8:
        return s if f.get("secret_redacted", False) else "*" * len(s)
    return f"{s[:4]}…{s[-2:]} ({len(s)} chars)"


def load(path):
    try:
        with open(path, "rb") as fh:
            report = json.load(fh)
    except (OSError, ValueError) as e:
        print(f"error: {path}: {e}", file=sys.stderr)
        sys.exit(2)
    if not isinstance(report, dict) or not isinstance(report.get("findings"), list):
        print(f"error: {path}: not a leakguard JSON report (no findings list)", file=sys.stderr)
        sys.exit(2)
    by_place = collections.defaultdict(list)
    for f in report["findings"]:
        if f.get("suppressed") is None:
            by_place[(f["path"], f["line"])].append(f)
    return report, by_place


def row(f, note=""):
    return f"{f['path']}:{f['line']}\t{f['detector']}\t{redact(f)}{note}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--all", action="store_true", help="also list the findings NEW no longer reports")
    a = ap.parse_args()
    old_report, old = load(a.old)
    new_report, new = load(a.new)

    added, relabelled, gone = [], [], []
    for place in sorted(set(old) | set(new)):
        o = collections.Counter(f["detector"] for f in old.get(place, []))
        n = collections.Counter(f["detector"] for f in new.get(place, []))
        extra, lost = n - o, o - n
        for f in new.get(place, []):
            if extra[f["detector"]] > 0:
                extra[f["detector"]] -= 1
                if o:
                    relabelled.append(row(f, f"\t(was {', '.join(sorted(o))})"))
                else:
                    added.append(row(f))
        for f in old.get(place, []):
            if lost[f["detector"]] > 0 and not n:
                lost[f["detector"]] -= 1
                gone.append(row(f))

    count = lambda by: sum(len(v) for v in by.values())
    print(f"# {a.old}: {count(old)} findings; {a.new}: {count(new)} findings")
    print(f"# new: {len(added)}, relabelled: {len(relabelled)}, gone: {len(gone)}")
    if added:
        print("## new (path:line, detector, secret)")
        print("\n".join(added))
    if relabelled:
        print("## relabelled (same place, another detector)")
        print("\n".join(relabelled))
    if gone and a.all:
        print("## gone")
        print("\n".join(gone))
    return 1 if added or relabelled else 0


if __name__ == "__main__":
    sys.exit(main())
