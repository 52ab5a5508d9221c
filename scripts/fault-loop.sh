#!/usr/bin/env bash
# Runs multitask's fault tests (issue 20's kinds, issue 13's five, and the older faults) N times in a row
# (default 20), stopping at the first failure, and prints how many runs passed.
#   scripts/fault-loop.sh [N] [--release]
# --release builds the tests optimized: the pool_loads tests move MiBs through serde, which a
# debug build on a loaded machine does slower than their wall-clock deadlines allow.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"
release=()
[[ ${2:-} == --release ]] && release=(--release)
tests=(--test faults --test pool_loads --test children --test after_fork
  --test faults_corners --test synchronize)
cargo test -q "${release[@]}" -p multitask "${tests[@]}" --no-run 2>/dev/null
log=$(mktemp)
for ((i = 1; i <= runs; i++)); do
  if ! cargo test -q "${release[@]}" -p multitask "${tests[@]}" >"$log" 2>&1; then
    cat "$log" >&2
    echo "fault-loop: run $i of $runs failed ($((i - 1)) passed in a row); its output: $log"
    exit 1
  fi
done
rm -f "$log"
echo "fault-loop: $runs of $runs runs passed in a row"
