#!/usr/bin/env bash
# Runs every fuzz target (or those named) for SECONDS each and prints how many inputs each ran.
#   fuzz/run.sh SECONDS [TARGET...]
# Needs cargo-fuzz (`cargo install cargo-fuzz`). Works on the stable toolchain: no sanitizer
# (`--sanitizer none`; AddressSanitizer needs nightly, and safe Rust does not need it to find
# panics), optimised with debug assertions (`-O -a`). Starting corpora come from fuzz/seed.py;
# what a run learns stays in fuzz/corpus/ (not committed), crashes land in fuzz/artifacts/.
# FUZZ_TARGET_DIR: where to build (default fuzz/target); CI keeps it outside the clone so the
# instrumented build is reused from one run to the next.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(config added_runs engine)
[ -d fuzz/corpus/engine ] || python3 fuzz/seed.py
flags=(--sanitizer none -O -a)
[ -z "${FUZZ_TARGET_DIR:-}" ] || flags+=(--target-dir "$FUZZ_TARGET_DIR")
cargo fuzz build "${flags[@]}"
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  log=$(mktemp)
  # -timeout: an input that takes 10 s is a bug (every step must stay linear).
  if ! cargo fuzz run "$t" "${flags[@]}" -- -max_total_time="$seconds" \
      -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz: $t FAILED (input in fuzz/artifacts/$t/)"
    exit 1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  echo "fuzz: $t: $runs inputs in ${seconds}s, no crash"
  rm -f "$log"
done
