#!/usr/bin/env bash
# Runs every fuzz target (or those named) for SECONDS each, then prints, per target, how many
# inputs ran, how many per second, and the size of the corpus it ends with.
#   fuzz/run.sh SECONDS [TARGET...]
# Needs cargo-fuzz (`cargo install cargo-fuzz`). Works on the stable toolchain: no sanitizer
# (`--sanitizer none`; AddressSanitizer needs nightly, and safe Rust does not need it to find
# panics), optimised with debug assertions (`-O -a`). Starting corpora come from fuzz/seed.py;
# what a run learns stays in fuzz/corpus/ (not committed), crashes land in fuzz/artifacts/.
# Every input a target failed on before is kept in fuzz/regressions/<target>/ (committed): it is
# replayed first, and `cargo test` replays it too (tests/fuzz_regressions.rs), so a run fails
# only on a new bug, never by rediscovering a known one.
# FUZZ_TARGET_DIR: where to build (default fuzz/target); CI keeps it outside the clone so the
# instrumented build is reused from one run to the next.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(config added_runs engine report)
python3 fuzz/seed.py >/dev/null
flags=(--sanitizer none -O -a)
[ -z "${FUZZ_TARGET_DIR:-}" ] || flags+=(--target-dir "$FUZZ_TARGET_DIR")
cargo fuzz build "${flags[@]}"
summary=()
for t in "${targets[@]}"; do
  corpus="fuzz/corpus/$t"
  known="fuzz/regressions/$t"
  mkdir -p "$corpus" "$known"
  log=$(mktemp)
  # Known crashes first (-runs=0 executes each input once and stops): failing here is a
  # regression of a fixed bug.
  if ! cargo fuzz run "$t" "${flags[@]}" "$known" -- -runs=0 >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz: $t FAILED on an input it failed on before ($known/): a fixed bug is back"
    exit 1
  fi
  started=$(date +%s)
  # -timeout: an input that takes 10 s is a bug (every step must stay linear). The regressions
  # are a second, read-only corpus: new inputs go to the first.
  if ! cargo fuzz run "$t" "${flags[@]}" "$corpus" "$known" -- -max_total_time="$seconds" \
      -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz: $t FAILED: a new bug (input in fuzz/artifacts/$t/). Once it is fixed, keep the"
    echo "      input as fuzz/regressions/$t/<what-it-was> so that cargo test replays it."
    exit 1
  fi
  elapsed=$(( $(date +%s) - started ))
  [ "$elapsed" -gt 0 ] || elapsed=1
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  # libFuzzer's own rate: the wall time above also counts a build, when sources changed.
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$')
  files=$(find "$corpus" -type f | wc -l)
  bytes=$(du -sb "$corpus" | cut -f1)
  echo "fuzz: $t: $runs inputs in ${elapsed}s, no crash"
  summary+=("$(printf '%-12s %8s %12s %10s %10s %12s' "$t" "$elapsed" "$runs" \
    "${rate:-$(( runs / elapsed ))}" "$files" "$bytes")")
  rm -f "$log"
done
echo
printf '%-12s %8s %12s %10s %10s %12s\n' target seconds inputs inputs/s corpus bytes
printf '%s\n' "${summary[@]}"
