#!/usr/bin/env python3
"""Pathological inputs for the engine, the diff and the report, timed through the release
binary: every step must stay linear in the input (issue 7). Prints a markdown table.

    cargo build --release && python3 bench/worst-cases.py [--quick]

Each case writes its input under a temporary directory and runs `leakguard scan FILE`
(engine + report) or, for the diff cases, `leakguard hook pre-commit` in a repository where
the file is modified. Figures are wall time and peak memory of one run, on this machine.
"""
import os
import random
import subprocess
import sys
import tempfile
import time
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("LEAKGUARD", os.path.join(ROOT, "target/release/leakguard"))
QUICK = "--quick" in sys.argv
SCALE = 10 if QUICK else 1
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def token(n):
    """A GitHub classic token with a valid CRC32 checksum (as tests/util.rs makes them)."""
    r = random.Random(n)
    body = "".join(r.choice(B62) for _ in range(30))
    c = zlib.crc32(body.encode())
    s = ""
    for _ in range(6):
        s = B62[c % 62] + s
        c //= 62
    return "ghp_" + body + s


ENV = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null",
           GIT_AUTHOR_NAME="b", GIT_AUTHOR_EMAIL="b@example.com",
           GIT_COMMITTER_NAME="b", GIT_COMMITTER_EMAIL="b@example.com", NO_COLOR="1")


def run(args, cwd):
    """Wall time, peak RSS (MB, measured by /usr/bin/time, which forks from a small process),
    exit code and first summary line of one run."""
    with tempfile.TemporaryDirectory() as t:
        out_path, rss_path = os.path.join(t, "out"), os.path.join(t, "rss")
        start = time.perf_counter()
        with open(out_path, "wb") as out:
            p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_path, BIN, *args],
                               cwd=cwd, env=ENV, stdout=out, stderr=out)
        wall = time.perf_counter() - start
        with open(rss_path) as f:
            rss = int(f.read().split()[-1]) / 1024
        with open(out_path, "rb") as f:
            lines = f.read().decode(errors="replace").splitlines()
    first = next((l for l in lines if l.startswith("leakguard:")), "")
    return wall, rss, p.returncode, first


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, env=ENV, check=True, stdout=subprocess.DEVNULL)


def scan_case(name, content, args=("--format", "json")):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "input.txt")
        with open(path, "wb") as f:
            f.write(content)
        size = len(content)
        del content
        wall, rss, code, first = run(["scan", "--no-progress", *args, "input.txt"], d)
        report(name, size, wall, rss, code, first)


def diff_case(name, old, new):
    with tempfile.TemporaryDirectory() as d:
        git(d, "-c", "init.defaultBranch=main", "init", "-q")
        path = os.path.join(d, "input.txt")
        with open(path, "wb") as f:
            f.write(old)
        git(d, "add", "input.txt")
        git(d, "commit", "-q", "--no-verify", "-m", "old")
        with open(path, "wb") as f:
            f.write(new)
        git(d, "add", "input.txt")
        wall, rss, code, first = run(["hook", "pre-commit"], d)
        report(name, len(old) + len(new), wall, rss, code, first)


def report(name, size, wall, rss, code, first):
    detail = first.replace("leakguard: ", "")[:90]
    print(f"| {name} | {size / 1e6:.1f} MB | {wall:.2f} s | {rss:.0f} MB | {code} | {detail} |",
          flush=True)


def main():
    if not os.path.exists(BIN):
        sys.exit(f"{BIN} missing: cargo build --release first")
    print("| case | input | wall | peak RSS | exit | summary |")
    print("|---|---|---|---|---|---|")
    n = 4_000_000 // SCALE
    # One line, millions of keyword hits of one detector family (and no secret).
    scan_case(f"one line, {n:,} hits of `token=`", b"token=" * n + b"\n")
    # One line, every built-in keyword over and over: hundreds of detectors' windows at once.
    import tomllib
    with open(os.path.join(ROOT, "detectors.toml"), "rb") as f:
        keywords = sorted({k for d in tomllib.load(f)["detector"] for k in d["keywords"]})
    all_kw = (" ".join(keywords) + " ").encode()
    reps = (64 << 20) // SCALE // len(all_kw)
    scan_case(f"one line, all {len(keywords)} keywords x {reps:,}", all_kw * reps + b"\n")
    # Millions of tiny lines, each a finding (a real-shaped token).
    m = 1_000_000 // SCALE
    toks = [token(i).encode() for i in range(1000)]
    lines = b"".join(toks[i % 1000] + b"\n" for i in range(m))
    scan_case(f"{m:,} lines, each a finding (json)", lines)
    scan_case(f"{m:,} lines, each a finding (human)", lines, args=())
    # The same on one line with a pragma: every finding on it consults the pragma.
    one = b"# leakguard:allow test fixture " + b" ".join(toks[i % 1000] for i in range(m)) + b"\n"
    scan_case(f"one line, pragma + {m:,} findings", one)
    # Continuation lines: each finding looks back over up to 100 `\`-continued lines.
    cont = b"".join(b"x = " + toks[i % 1000] + b" \\\n" for i in range(m))
    scan_case(f"{m:,} `\\`-continued lines, each a finding", cont)
    # A pragma with a long list of words after it, and a finding on the same line.
    words = b" ".join(b"github-pat-classic" for _ in range(m // 4))
    scan_case(f"pragma followed by {m // 4:,} detector ids", b"x # leakguard:allow " + words + b" " + toks[0] + b"\n")
    # One line of base64 with a Kubernetes service-account keyword every ~4 KB: each of those
    # windows cuts a credential-like run and looks up to 4 KiB further for its end.
    r = random.Random(3)
    b64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    k8s = b"eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50"
    blob = bytes(r.choice(b64) for _ in range(1 << 16))
    parts = (48 << 20) // SCALE // 4000
    line = b"".join(blob[(i * 3989) % 60000:][:3950] + k8s for i in range(parts))
    scan_case(f"one base64 line, {parts:,} JWT keywords", line + b"\n")
    # Diff: two files of a million lines from a 4-line alphabet (histogram diff's worst input).
    k = 1_000_000 // SCALE
    r = random.Random(7)
    alphabet = [b"a\n", b"b\n", b"c\n", b"d\n"]
    old = b"".join(r.choice(alphabet) for _ in range(k))
    new = b"".join(r.choice(alphabet) for _ in range(k))
    diff_case(f"diff, {k:,} vs {k:,} lines of 4 kinds", old, new)
    # Diff: a file reversed (every line unique and moved).
    uniq = b"".join(b"line %d\n" % i for i in range(k))
    rev = b"".join(reversed(uniq.splitlines(keepends=True)))
    diff_case(f"diff, {k:,} unique lines reversed", uniq, rev)
    # A 200 MB minified line full of keywords, with one key three quarters in.
    r = random.Random(1)
    parts = [b"var ", b"function(", b"return ", b"apiKey=", b"token:", b"this.", b"secret?",
             b"key]", b"e.push(", b"t&&", b"n||", b"i=0;"]
    size = (200 << 20) // SCALE
    buf = bytearray()
    while len(buf) < size:
        buf += r.choice(parts)
    cut = len(buf) * 3 // 4
    buf[cut:cut] = b'"' + toks[1] + b'"'
    scan_case(f"{size >> 20} MB minified line", bytes(buf), args=())


if __name__ == "__main__":
    main()
