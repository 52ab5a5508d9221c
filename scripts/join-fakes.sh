#!/usr/bin/env bash
# A spin or a timed wait is not a join either: grades the fakes that wait instead of joining
# (tests/fixtures/{process,pool,queue,thread}/fake_spins_instead_of_join.py in Python,
# `fake-busy-join` in Rust), each way of waiting (a busy spin on the clock, an Event's timed wait
# nobody ends, a select on a pipe nobody writes) with its default length (1.5 s plus the
# example's own time x time scale, never scaled itself), at time scales 0.01 and 1, with the
# default options (10 runs, half of them shaken). Each grading must fail the join check; prints
# one line per grading (in how many of the 10 runs it was caught) and a total.
#
#   [KINDS="thread queue"] [SCALES="0.01"] scripts/join-fakes.sh [EXTRA GRADE OPTIONS...]
#
# KINDS and SCALES pick a part of the table (default: every kind, both scales).
# Exit status 1 when a fake passed a grading. Takes about half an hour (the pool's fakes wait
# 11.5 s a run at time scale 1).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -p grader -p fake-ports --bins --quiet
grade=target/debug/grade
fake=target/debug/fake-busy-join
total=0
passed=0
for scale in ${SCALES:-0.01 1}; do
  for kind in ${KINDS:-process pool queue thread}; do
    case $kind in
      process) check="'Process end.' comes after the child line (join)" ;;
      pool) check="the done line comes after every Task line, once the parent joined their workers" ;;
      queue) check="the reader is terminated only once the parent joined the writer" ;;
      thread) check="MainThread ends after LoopThread (join)" ;;
    esac
    extra=()
    if [ "$kind" = pool ]; then extra=(--param processes=2); fi
    for how in spin event select; do
      for lang in python rust; do
        if [ "$lang" = python ]; then
          cmd=(python3 "tests/fixtures/$kind/fake_spins_instead_of_join.py" "$how")
        else
          cmd=("$fake" "$kind" "$how")
        fi
        total=$((total + 1))
        t0=$(date +%s%3N)
        out=$("$grade" "$kind" --all-runs --time-scale "$scale" "${extra[@]}" "$@" --format json -- "${cmd[@]}" 2>/dev/null || true)
        caught=$(printf '%s' "$out" | CHECK="$check" python3 -c '
import json, os, sys
r = json.load(sys.stdin)
c = [c for c in r["checks"] if c["name"] == os.environ["CHECK"]][0]
print(len(c["failures"]) if c["status"] == "failed" else 0)' 2>/dev/null || echo 0)
        t1=$(date +%s%3N)
        if [ "$caught" = 0 ]; then
          verdict="PASSED (not caught)"
          passed=$((passed + 1))
        else
          verdict="caught in $caught of 10 runs"
        fi
        printf 'scale %-4s %-7s %-6s %-6s %s (%d ms)\n' "$scale" "$kind" "$how" "$lang" "$verdict" $((t1 - t0))
      done
    done
  done
done
echo "total: $((total - passed)) of $total gradings caught the fake join"
[ "$passed" -eq 0 ]
