#!/usr/bin/env bash
# Benchmark: `leakguard hook pre-commit` on a typical commit (5 files, ~300 added lines) in a
# 50 000-file repository, side by side with `git diff --cached --quiet` in the same run.
#
#   bench/precommit.sh [WORKDIR]     (default /tmp/leakguard-bench; the repository is cached there)
#
# Needs hyperfine (Debian: apt-get install hyperfine). Prints hyperfine's table and the ratio.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/leakguard-bench}
repo=$work/repo-50k
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

command -v hyperfine >/dev/null || { echo "hyperfine is required (apt-get install hyperfine)" >&2; exit 1; }
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin=$here/target/release/leakguard

if [ ! -d "$repo/.git" ]; then
  echo "generating $repo (50 000 files)…"
  python3 "$here/bench/make-repo.py" "$repo" --files 50000
fi

# A typical change: 5 existing files in different directories, ~60 added lines each.
git -C "$repo" reset -q --hard HEAD
python3 - "$repo" <<'PY'
import random, sys, os
repo = sys.argv[1]
rng = random.Random(7)
files = ["pkg000/mod00003/file007.rs", "pkg004/mod00170/file021.rs", "pkg010/mod00420/file033.rs",
         "pkg017/mod00700/file002.rs", "pkg024/mod00990/file049.rs"]
for f in files:
    p = os.path.join(repo, f)
    lines = open(p).read().splitlines(keepends=True)
    at = len(lines) // 2
    new = [f"    let added_{i} = compute(input_{i}, {rng.randint(0, 10**6)});\n" for i in range(60)]
    open(p, "w").write("".join(lines[:at] + new + lines[at:]))
PY
git -C "$repo" add -A
echo "staged: $(git -C "$repo" diff --cached --numstat | awk '{a+=$1} END {print NR" files, "a" added lines"}')"

cd "$repo"
hyperfine -N -i --warmup 10 --runs "${RUNS:-60}" --export-json "$work/precommit.json" \
  'git diff --cached --quiet' \
  "$bin hook pre-commit --quiet"
python3 - "$work/precommit.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
git, lg = r[0], r[1]
print(f"median: git diff --cached --quiet {git['median']*1000:.2f} ms, "
      f"leakguard hook pre-commit {lg['median']*1000:.2f} ms, "
      f"ratio {lg['median']/git['median']:.2f}x")
PY
