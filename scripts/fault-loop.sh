#!/usr/bin/env bash
# Runs multitask's fault tests (issue 20's kinds, issue 13's five, and the older faults) N times in a row
# (default 20), stopping at the first failure, and prints how many runs passed. Then, once, the
# test that a value over 4 GiB is refused as it is encoded (it needs about 6 GiB of memory, so it
# is #[ignore]d in `cargo test`): run when the machine has 10 GiB available, else reported as
# not run (the same kind of refusal at a queue's 1 MiB limit is in every run of the loop).
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
available_kib=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)
if ((available_kib >= 10 * 1024 * 1024)); then
  cargo test -q "${release[@]}" -p multitask --test faults_corners -- --ignored \
    a_value_over_4_gib >"$log" 2>&1 || {
    cat "$log" >&2
    echo "fault-loop: the value over 4 GiB was not refused as it was encoded; its output: $log"
    exit 1
  }
  rm -f "$log"
  echo "fault-loop: a value over 4 GiB refused as it was encoded (run once)"
else
  echo "fault-loop: NOT RUN: a value over 4 GiB refused as encoded (needs 10 GiB available," \
    "has $((available_kib / 1024 / 1024)))"
fi
