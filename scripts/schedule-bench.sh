#!/usr/bin/env bash
# Random holds against PCT (issue 19): grades each ordering fake G times (default 100) with the
# default 10 runs (half shaken) under `--scheduler random` and `--scheduler pct`, and prints a
# Markdown table: in how many gradings the fake was caught (by any run: what a teacher gets), in
# how many by a shaken run (what the scheduler did), and the median number of the first failing
# shaken run.
#
#   scripts/schedule-bench.sh [G]
#   SCHEDULERS=pct scripts/schedule-bench.sh 20     (one scheduler only: the other's cells are -)
#   ONLY='thread' scripts/schedule-bench.sh 30       (only the fakes whose row name matches)
#
# The floor of issue 19: under PCT each fake caught in at least 99 of 100 gradings. A benchmark
# reports; it never fails a build (exit status 0).
set -euo pipefail
cd "$(dirname "$0")/.."
g=${1:-100}
cargo build -p grade -p fake-ports --bins --quiet
grade=target/debug/grade
fx=tests/fixtures
bin=target/debug

# One grading: the number of the first run that failed the check, or 0 when none did.
first_failure() {
  local check=$1 sched=$2 out; shift 2
  out=$("$grade" --scheduler "$sched" --format json "$@" 2>/dev/null) || true
  printf '%s' "$out" | python3 -c '
import json, sys
r = json.load(sys.stdin)
shaken = {s["run"] for s in r["facts"]["shaken"]}
runs = [f["run"] for c in r["checks"] if c["name"] == sys.argv[1] and c["status"] == "failed" for f in c["failures"]]
first = min(runs) if runs else 0
by_shaken = min([x for x in runs if x in shaken] or [0])
print(first, by_shaken)' "$check" 2>/dev/null || echo 0 0
}

join="'Process end.' comes after the child line (join)"
tjoin="MainThread ends after LoopThread (join)"
getput="each Get comes after its Put"
pjoin="the done line comes after every Task line, once the parent joined their workers"

printf '| fake | example, time scale | random: caught | random: caught by a shaken run | random: median first failing shaken run | PCT: caught | PCT: caught by a shaken run | PCT: median first failing shaken run |\n'
printf '|---|---|---|---|---|---|---|---|\n'
row=0
bench() {
  local name=$1 check=$2; shift 2
  row=$((row + 1))
  # SKIP=N: leave out the first N fakes (to finish a table another run began).
  if [ "$row" -le "${SKIP:-0}" ]; then return; fi
  if [ -n "${ONLY:-}" ] && ! [[ "$name" =~ $ONLY ]]; then return; fi
  local cells=() sched i r first by caught shook firsts med
  for sched in random pct; do
    if [[ " ${SCHEDULERS:-random pct} " != *" $sched "* ]]; then
      cells+=("-" "-" "-")
      continue
    fi
    caught=0
    shook=0
    firsts=()
    for ((i = 0; i < g; i++)); do
      read -r first by <<<"$(first_failure "$check" "$sched" "$@")"
      if [ "$first" -gt 0 ]; then caught=$((caught + 1)); fi
      if [ "$by" -gt 0 ]; then shook=$((shook + 1)); firsts+=("$by"); fi
    done
    med=$(printf '%s\n' "${firsts[@]:-}" | { grep . || true; } | sort -n | awk '{a[NR]=$1} END {print (NR ? a[int((NR+1)/2)] : "-")}')
    cells+=("$caught of $g" "$shook of $g" "$med")
  done
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$EXAMPLE" "${cells[@]}"
}

EXAMPLE="process, 0.1" bench "process/fake_sleeps_instead_of_join.py" "$join" process --time-scale 0.1 -- python3 $fx/process/fake_sleeps_instead_of_join.py
EXAMPLE="process, 0.1" bench "fake-process-sleeps" "$join" process --time-scale 0.1 -- $bin/fake-process-sleeps
EXAMPLE="thread, 0.1" bench "thread/fake_sleeps_instead_of_join.py" "$tjoin" thread --time-scale 0.1 -- python3 $fx/thread/fake_sleeps_instead_of_join.py
EXAMPLE="thread, 0.1" bench "fake-thread-sleeps" "$tjoin" thread --time-scale 0.1 -- $bin/fake-thread-sleeps
EXAMPLE="process, 0.01" bench "sleep_join/process.py 0.2 (fixed 0.2 s)" "$join" process --time-scale 0.01 -- python3 $fx/sleep_join/process.py 0.2
EXAMPLE="process, 0.01" bench "fake-sleep-join process 0.2" "$join" process --time-scale 0.01 -- $bin/fake-sleep-join process 0.2
EXAMPLE="thread, 0.01" bench "sleep_join/thread.py 0.2" "$tjoin" thread --time-scale 0.01 -- python3 $fx/sleep_join/thread.py 0.2
EXAMPLE="process, 0.01" bench "two_wrong/both_children_late.py" "$join" process --time-scale 0.01 -- python3 $fx/two_wrong/both_children_late.py
EXAMPLE="queue, 0.01" bench "two_wrong/put_then_print.py" "$getput" queue --time-scale 0.01 -- python3 $fx/two_wrong/put_then_print.py
EXAMPLE="process, 0.01" bench "process/fake_double_fork_grandchild_tells.py" "$join" process --time-scale 0.01 -- python3 $fx/process/fake_double_fork_grandchild_tells.py
EXAMPLE="thread, 0.01" bench "fake-sleep-join thread 0.2" "$tjoin" thread --time-scale 0.01 -- $bin/fake-sleep-join thread 0.2
EXAMPLE="pool, 0.01" bench "sleep_join/pool.py 0.2" "$pjoin" pool --time-scale 0.01 --param processes=2 -- python3 $fx/sleep_join/pool.py 0.2
EXAMPLE="pool, 0.01" bench "fake-sleep-join pool 0.2" "$pjoin" pool --time-scale 0.01 --param processes=2 -- $bin/fake-sleep-join pool 0.2
# A spin or a timed wait where a thread join belongs (join-fakes.sh): 1.5 s a run, never scaled.
for how in spin event select; do
  EXAMPLE="thread, 0.01" bench "thread/fake_spins_instead_of_join.py $how" "$tjoin" thread --time-scale 0.01 -- python3 $fx/thread/fake_spins_instead_of_join.py $how
  EXAMPLE="thread, 0.01" bench "fake-busy-join thread $how" "$tjoin" thread --time-scale 0.01 -- $bin/fake-busy-join thread $how
done
echo
echo "$g gradings per cell; load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
