#!/usr/bin/env bash
# Times `attest scan` (load + evaluate + JSON report) on generated Terraform corpora of 1k, 10k and
# 50k resources and prints wall time and peak memory per size (median of RUNS runs).
#
#   scripts/bench.sh                 # sizes 1000 10000 50000, 3 runs each
#   SIZES="10000" RUNS=5 scripts/bench.sh
#
# The corpora come from shared/bench/gen_tf_corpus.py (deterministic: same size, same bytes).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/attest/target}"
GEN="${GEN:-../shared/bench/gen_tf_corpus.py}"
SIZES="${SIZES:-1000 10000 50000}"
RUNS="${RUNS:-3}"
WORK="${WORK:-/tmp/attest-bench}"
[ -f "$GEN" ] || { echo "corpus generator not found at $GEN (set GEN=)"; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "/usr/bin/time is needed (apt-get install time)"; exit 2; }

cargo build --release -p attest-cli --quiet
BIN="$CARGO_TARGET_DIR/release/attest"
mkdir -p "$WORK"

printf '| corpus | resource instances (manifest) | in graph | wall s (median) | peak RSS MiB (max) |\n'
printf '|---|---:|---:|---:|---:|\n'
for n in $SIZES; do
  dir="$WORK/tf-$n"
  [ -f "$dir/.gen_tf_corpus.manifest" ] || python3 "$GEN" "$n" "$dir" >/dev/null
  walls=(); rss=0
  for _ in $(seq 1 "$RUNS"); do
    # /usr/bin/time writes its line last on the same stderr as attest.
    /usr/bin/time -f '%e %M' "$BIN" scan "$dir" --format json --output "$WORK/report-$n.json" \
      --fail-on none >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; exit 1; }
    line=$(tail -n 1 "$WORK/err")
    walls+=("$(echo "$line" | cut -d' ' -f1)")
    kb=$(echo "$line" | cut -d' ' -f2)
    [ "$kb" -gt "$rss" ] && rss=$kb
  done
  median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  manifest=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['resource_instances'])" "$dir/.gen_tf_corpus.manifest")
  graph=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['summary']['resources'])" "$WORK/report-$n.json")
  printf '| TF %s | %s | %s | %s | %s |\n' "$n" "$manifest" "$graph" "$median" "$((rss / 1024))"
done
