#!/usr/bin/env bash
# Times recording scans in the store and computing drift on the 10k Terraform corpus of
# shared/bench/gen_tf_corpus.py: a plain scan, the first `scan --env` (no baseline), `baseline
# set`, a second `scan --env` (drift against the baseline, changes since the previous scan,
# events), and `drift`. SQLite always; PostgreSQL too when ATTEST_TEST_POSTGRES_URL is set (run
# through scripts/services.sh).
#
#   scripts/bench_store.sh            # SIZE=10000 RUNS=3
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/attest/target}"
GEN="${GEN:-../shared/bench/gen_tf_corpus.py}"
SIZE="${SIZE:-10000}"
RUNS="${RUNS:-3}"
WORK="${WORK:-/tmp/attest-bench-store}"
[ -f "$GEN" ] || { echo "corpus generator not found at $GEN (set GEN=)"; exit 2; }

cargo build --release -p attest-cli --no-default-features --quiet
BIN="$CARGO_TARGET_DIR/release/attest"
mkdir -p "$WORK"
dir="$WORK/tf-$SIZE"
[ -f "$dir/.gen_tf_corpus.manifest" ] || python3 "$GEN" "$SIZE" "$dir" >/dev/null

# Median wall seconds of RUNS runs of a command (its output discarded).
median() {
  local t=()
  for _ in $(seq 1 "$RUNS"); do
    local s e
    s=$(date +%s.%N); "$@" >/dev/null 2>&1 || { "$@"; exit 1; }; e=$(date +%s.%N)
    t+=("$(echo "$e - $s" | bc)")
  done
  printf "%.2f\n" "$(printf '%s\n' "${t[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")"
}

backends=("sqlite:$WORK/attest.db")
[ -n "${ATTEST_TEST_POSTGRES_URL:-}" ] && backends+=("postgres:$ATTEST_TEST_POSTGRES_URL")
printf '| back end | scan (no store) | first scan --env | baseline set | scan --env with drift | drift | store size |\n'
printf '|---|---:|---:|---:|---:|---:|---:|\n'
for b in "${backends[@]}"; do
  kind=${b%%:*}; db=${b#*:}
  [ "$kind" = sqlite ] && rm -f "$db" "$db-wal" "$db-shm"
  A=("$BIN" --database "$db")
  "${A[@]}" env remove bench >/dev/null 2>&1 || true
  "${A[@]}" env add bench --path "$dir" >/dev/null 2>&1
  plain=$(median "$BIN" scan "$dir" --format json --output "$WORK/r.json" --fail-on none)
  # First recorded scan: fresh environment each run.
  first=$(median bash -c "'$BIN' --database '$db' env remove bench >/dev/null 2>&1; '$BIN' --database '$db' env add bench --path '$dir' && '$BIN' --database '$db' scan --env bench --format json --output '$WORK/r.json' --fail-on none")
  base=$(median "${A[@]}" baseline set bench)
  second=$(median "${A[@]}" scan --env bench --format json --output "$WORK/r.json" --fail-on none)
  drift=$(median "${A[@]}" drift bench)
  size="-"
  [ "$kind" = sqlite ] && size="$(du -m "$db" | cut -f1) MiB after $((RUNS * 2 + 1)) scans"
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$kind" "$plain" "$first" "$base" "$second" "$drift" "$size"
done
