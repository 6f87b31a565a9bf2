#!/usr/bin/env python3
"""Generates a large synthetic repository for benchmarks: N files of source-like text in a
balanced directory tree, committed with git (one commit, so the index has a cache-tree).

usage: make-repo.py DIR [--files 50000] [--per-dir 50] [--lines 30]
"""
import argparse
import os
import random
import subprocess

WORDS = ("let const value config result buffer index token handle request response parse "
         "render update delete insert select where from into count limit offset user name "
         "path file line error status retry timeout client server cache store").split()


def source_file(rng, lines):
    out = []
    for i in range(lines):
        n = rng.randint(3, 10)
        out.append("    " * rng.randint(0, 3) + " ".join(rng.choice(WORDS) for _ in range(n)) + f" = {i};")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--files", type=int, default=50_000)
    ap.add_argument("--per-dir", type=int, default=50)
    ap.add_argument("--lines", type=int, default=30)
    a = ap.parse_args()
    rng = random.Random(42)
    os.makedirs(a.dir, exist_ok=True)
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null",
               GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@localhost",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@localhost")
    subprocess.run(["git", "-c", "init.defaultBranch=main", "init", "-q", a.dir], check=True, env=env)
    dirs = max(1, a.files // a.per_dir)
    for d in range(dirs):
        sub = os.path.join(a.dir, f"pkg{d // 40:03d}", f"mod{d:05d}")
        os.makedirs(sub, exist_ok=True)
        for f in range(a.per_dir):
            with open(os.path.join(sub, f"file{f:03d}.rs"), "w") as fh:
                fh.write(source_file(rng, a.lines))
    subprocess.run(["git", "-C", a.dir, "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", a.dir, "commit", "-q", "-m", "initial"], check=True, env=env)


if __name__ == "__main__":
    main()
