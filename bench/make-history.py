#!/usr/bin/env python3
"""Generates a repository with a long history for benchmarks, quickly, with git fast-import.

usage: make-history.py DIR [--commits 6000] [--files 3000] [--seed 5]

Each commit edits 1-6 files of a pool (inserting and rewriting runs of source-like lines) and
sometimes adds a new file; a few commits add credential-shaped strings so that scanners have
something to report. Deterministic for a given seed.
"""
import argparse
import os
import random
import subprocess

WORDS = ("let const value config result buffer index token handle request response parse "
         "render update delete insert select where from into count limit offset user name "
         "path file line error status retry timeout client server cache store").split()
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def line(rng, i):
    return "    " * rng.randint(0, 3) + " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 10))) + f" = {i};"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--commits", type=int, default=6000)
    ap.add_argument("--files", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=5)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null")
    subprocess.run(["git", "-c", "init.defaultBranch=main", "init", "-q", a.dir], check=True, env=env)
    files = {}
    imp = subprocess.Popen(["git", "-C", a.dir, "fast-import", "--quiet"], stdin=subprocess.PIPE, env=env)
    w = imp.stdin.write
    when = 1_600_000_000
    for c in range(a.commits):
        edits = []
        for _ in range(rng.randint(1, 6)):
            if not files or (len(files) < a.files and rng.random() < 0.3):
                path = f"src/m{rng.randrange(a.files // 50):03d}/f{len(files):05d}.rs"
                files[path] = [line(rng, i) for i in range(rng.randint(20, 200))]
            else:
                path = rng.choice(list(files))
                lines = files[path]
                at = rng.randrange(len(lines) + 1)
                lines[at:at + rng.randint(0, 3)] = [line(rng, i) for i in range(rng.randint(1, 40))]
            if c % 500 == 250:
                files[path].append(f'    let token = "ghp_{"".join(rng.choice(B62) for _ in range(36))}";')
            edits.append(path)
        w(f"commit refs/heads/main\ncommitter Bench <bench@localhost> {when + c * 60} +0000\n".encode())
        msg = f"change {c}\n".encode()
        w(b"data %d\n" % len(msg) + msg)
        for path in sorted(set(edits)):
            data = ("\n".join(files[path]) + "\n").encode()
            w(f"M 100644 inline {path}\n".encode() + b"data %d\n" % len(data) + data)
        w(b"\n")
    imp.stdin.close()
    if imp.wait() != 0:
        raise SystemExit("fast-import failed")
    subprocess.run(["git", "-C", a.dir, "checkout", "-q", "-f", "main"], check=True, env=env)


if __name__ == "__main__":
    main()
