#!/usr/bin/env python3
"""Copies about SIZE MB of real text files (source, docs, data) from SRC into DEST, keeping
relative paths, skipping binary files and anything under .git. Used to build the
"everything staged at once" benchmark from code nobody here wrote.

usage: make-tree.py SRC DEST [--mb 200] [--max-kb N] [--min-bytes N]

--max-kb and --min-bytes skip larger and smaller files: with 64 and 1500, a node_modules gives
a tree of about 13 000 files per 100 MB, the shape of a large real repository's checkout.
"""
import argparse
import os
import shutil


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("dest")
    ap.add_argument("--mb", type=int, default=200)
    ap.add_argument("--max-kb", type=int, default=20_000)
    ap.add_argument("--min-bytes", type=int, default=0)
    a = ap.parse_args()
    budget = a.mb * 1_000_000
    total = 0
    for root, dirs, files in os.walk(a.src):
        dirs[:] = sorted(d for d in dirs if d != ".git")
        for name in sorted(files):
            path = os.path.join(root, name)
            if not os.path.isfile(path) or os.path.islink(path):
                continue
            with open(path, "rb") as fh:
                head = fh.read(8000)
            if b"\0" in head:
                continue
            size = os.path.getsize(path)
            if size > a.max_kb * 1000 or size < a.min_bytes:
                continue
            dest = os.path.join(a.dest, os.path.relpath(path, a.src))
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            shutil.copyfile(path, dest)
            total += size
            if total >= budget:
                print(f"{total / 1e6:.1f} MB copied")
                return
    print(f"{total / 1e6:.1f} MB copied (source exhausted)")


if __name__ == "__main__":
    main()
