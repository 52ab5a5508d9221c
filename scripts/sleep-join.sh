#!/usr/bin/env bash
# A sleep is not a join (issue 19): grades the sleep-for-join fakes of tests/fixtures/sleep_join
# (Python) and `fake-sleep-join` (Rust), Process, thread and Pool, each sleeping a fixed 0.05,
# 0.2 and 1 s instead of joining, with the default options (10 runs, half shaken) at time scales
# 0.01 and 1. Each grading must fail; prints one line per grading and a total.
#
#   scripts/sleep-join.sh [EXTRA GRADE OPTIONS...]     e.g. --scheduler random
#
# Exit status 1 when a fake passed a grading.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -p grade -p fake-ports --bins --quiet
grade=target/debug/grade
fake=target/debug/fake-sleep-join
total=0
passed=0
for scale in 0.01 1; do
  for kind in process thread pool; do
    example=$kind
    extra=()
    if [ "$kind" = pool ]; then extra=(--param processes=2); fi
    for secs in 0.05 0.2 1; do
      for lang in python rust; do
        if [ "$lang" = python ]; then cmd=(python3 "tests/fixtures/sleep_join/$kind.py" "$secs"); else cmd=("$fake" "$kind" "$secs"); fi
        total=$((total + 1))
        t0=$(date +%s%3N)
        if out=$("$grade" "$example" --time-scale "$scale" "${extra[@]}" "$@" --format json -- "${cmd[@]}" 2>/dev/null); then
          verdict="PASSED (not caught)"
          passed=$((passed + 1))
        else
          verdict="failed in $(printf '%s' "$out" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(max([len(c["failures"]) for c in r["checks"] if c["status"]=="failed"] or [0]))' 2>/dev/null || echo '?') of 10 runs"
        fi
        t1=$(date +%s%3N)
        printf 'scale %-4s %-7s %-4s s %-6s %s (%d ms)\n' "$scale" "$kind" "$secs" "$lang" "$verdict" $((t1 - t0))
      done
    done
  done
done
echo "total: $((total - passed)) of $total gradings caught the sleep"
[ "$passed" -eq 0 ]
