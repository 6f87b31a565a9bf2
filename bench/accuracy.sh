#!/bin/sh
# Detection accuracy on the development set, leakguard beside its peers in one run.
#
# usage: LEAKGUARD_BIN=path/to/leakguard bench/accuracy.sh [OUT_DIR]
#
# Builds nothing: it scores the binary it is given. For leakguard and each peer on PATH
# (PEERS, default "kingfisher betterleaks") it runs ../shared/accuracy/score.py twice, on every
# case and with --exclude-tag implausible, and prints one markdown table: recall, recall on
# plausible positives, FP rate, then leakguard's recall per source of the cases. The summaries
# (score.py --json) and per-case results (--details, for triage.py) are kept in OUT_DIR when
# it is given.
#
# The set is found beside the repository: $ACCURACY_DIR, else ../shared/accuracy next to this
# checkout, else next to the main checkout when this is a linked worktree.
set -eu

: "${LEAKGUARD_BIN:?set LEAKGUARD_BIN to the leakguard binary to score}"
[ -x "$LEAKGUARD_BIN" ] || { echo "error: LEAKGUARD_BIN=$LEAKGUARD_BIN is not an executable" >&2; exit 2; }
LEAKGUARD_BIN=$(cd "$(dirname "$LEAKGUARD_BIN")" && pwd)/$(basename "$LEAKGUARD_BIN")
export LEAKGUARD_BIN
PEERS=${PEERS-kingfisher betterleaks}

here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${ACCURACY_DIR:-}" ]; then
    top=$(git -C "$here" rev-parse --show-toplevel)
    common=$(cd "$top" && cd "$(git rev-parse --git-common-dir)" && pwd)
    for d in "$top/../shared/accuracy" "$(dirname "$common")/../shared/accuracy"; do
        if [ -f "$d/score.py" ]; then ACCURACY_DIR=$(cd "$d" && pwd); break; fi
    done
fi
[ -n "${ACCURACY_DIR:-}" ] && [ -f "$ACCURACY_DIR/score.py" ] || {
    echo "error: no shared/accuracy/score.py beside the repository; set ACCURACY_DIR" >&2; exit 2; }

out=${1:-}
if [ -n "$out" ]; then mkdir -p "$out"; else out=$(mktemp -d); trap 'rm -rf "$out"' EXIT; fi

scanners=leakguard
for p in $PEERS; do
    if command -v "$p" >/dev/null 2>&1; then scanners="$scanners $p"; else echo "note: $p not on PATH, left out" >&2; fi
done

for s in $scanners; do
    echo "scoring $s …" >&2
    python3 "$ACCURACY_DIR/score.py" "$s" --json "$out/$s.json" --details "$out/$s.details.jsonl" >"$out/$s.txt"
    python3 "$ACCURACY_DIR/score.py" "$s" --exclude-tag implausible --json "$out/$s.plausible.json" \
        --details "$out/$s.plausible.details.jsonl" >"$out/$s.plausible.txt"
done

python3 - "$out" "$LEAKGUARD_BIN" $scanners <<'EOF'
import json, os, re, subprocess, sys

out, lg, names = sys.argv[1], sys.argv[2], sys.argv[3:]


def version(name):
    try:
        if name == "leakguard":
            # `leakguard detectors` prints a header, then one line per built-in detector until
            # a blank line (a repository config's additions come after it; run from /).
            table = subprocess.run([lg, "detectors", "--color", "never"], capture_output=True, text=True,
                                   cwd="/").stdout.splitlines()[1:]
            n = next((i for i, l in enumerate(table) if not l.strip()), len(table))
            return f"{n} detectors" if n else ""
        cmd = [name, "version"] if name == "betterleaks" else [name, "--version"]
        v = subprocess.run(cmd, capture_output=True, text=True).stdout
        m = re.search(r"\d+\.\d+[\w.\-]*", v)
        return m.group(0) if m else ""
    except OSError:
        return ""


pct = lambda x: "—" if x is None else f"{100 * x:.1f}%"
load = lambda n, suffix: json.load(open(os.path.join(out, f"{n}{suffix}.json")))
print("| scanner | recall | recall, plausible | FP rate |")
print("|---|---|---|---|")
for n in names:
    a, p = load(n, ""), load(n, ".plausible")
    v = version(n)
    label = f"{n} ({v})" if v else n
    print(f"| {label} | {pct(a['overall']['recall'])} | {pct(p['overall']['recall'])} | {pct(a['overall']['fp_rate'])} |")
a, p = load("leakguard", ""), load("leakguard", ".plausible")
print()
print("| leakguard, by source of the cases | positives | recall | recall, plausible | FP rate |")
print("|---|---|---|---|---|")
for s, b in a["by_source"].items():
    q = p["by_source"].get(s, {})
    print(f"| {s} | {b['positives']} | {pct(b['recall'])} | {pct(q.get('recall'))} | {pct(b['fp_rate'])} |")
EOF
