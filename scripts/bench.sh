#!/usr/bin/env bash
# Times `attest scan` (load + evaluate + JSON report) on generated Terraform corpora of 1k, 10k and
# 50k resources and a 10k CloudFormation corpus, and prints wall time and peak memory per size (median of RUNS runs).
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
CFN_SIZES="${CFN_SIZES:-10000}"
RUNS="${RUNS:-3}"
WORK="${WORK:-/tmp/attest-bench}"
[ -f "$GEN" ] || { echo "corpus generator not found at $GEN (set GEN=)"; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "/usr/bin/time is needed (apt-get install time)"; exit 2; }

cargo build --release -p attest-cli --no-default-features --quiet  # IaC scanning; the AWS SDK does not take part
BIN="$CARGO_TARGET_DIR/release/attest"
mkdir -p "$WORK"

printf '| corpus | resource instances (manifest) | in graph | wall s (median) | peak RSS MiB (max) |\n'
printf '|---|---:|---:|---:|---:|\n'
runs=()
for n in $SIZES; do runs+=("tf:$n"); done
for n in $CFN_SIZES; do runs+=("cfn:$n"); done
for run in "${runs[@]}"; do
  mode=${run%%:*}; n=${run#*:}
  dir="$WORK/$mode-$n"
  if [ ! -f "$dir/.gen_tf_corpus.manifest" ]; then
    if [ "$mode" = cfn ]; then python3 "$GEN" "$n" "$dir" --cfn >/dev/null; else python3 "$GEN" "$n" "$dir" >/dev/null; fi
  fi
  walls=(); rss=0
  for _ in $(seq 1 "$RUNS"); do
    # /usr/bin/time writes its line last on the same stderr as attest.
    /usr/bin/time -f '%e %M' "$BIN" scan "$dir" --format json --output "$WORK/report-$mode-$n.json" \
      --fail-on none >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; exit 1; }
    line=$(tail -n 1 "$WORK/err")
    walls+=("$(echo "$line" | cut -d' ' -f1)")
    kb=$(echo "$line" | cut -d' ' -f2)
    [ "$kb" -gt "$rss" ] && rss=$kb
  done
  median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  manifest=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['resource_instances'])" "$dir/.gen_tf_corpus.manifest")
  graph=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['summary']['resources'])" "$WORK/report-$mode-$n.json")
  label=$([ "$mode" = cfn ] && echo CFN || echo TF)
  printf '| %s %s | %s | %s | %s | %s |\n' "$label" "$n" "$manifest" "$graph" "$median" "$((rss / 1024))"
done
