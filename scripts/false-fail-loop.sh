#!/usr/bin/env bash
# No false fail under load: grades each demo and each Python original (flushed `ref_*.py` and
# unmodified `orig_*.py`) of fork, process, pool and queue N times in a row (default 20; default
# grade options: 10 runs, half shaken, a terminal for stdout) at time scale 0.01, with two busy
# processes loading the machine, PYTHONUNBUFFERED unset in odd gradings and set in even ones.
# Prints each program's failing gradings (the failed checks of each) and a total.
#
#   scripts/false-fail-loop.sh [N]
#
# Exit status 1 when a grading failed, 0 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20}
cargo build --workspace --bins --quiet
grade=target/debug/grade
unmodified=tests/reference/unmodified

busy=()
for _ in 1 2; do
  (while :; do :; done) &
  busy+=($!)
done
trap 'kill "${busy[@]}" 2>/dev/null || true' EXIT

total=0
failed=0
check() {
  local name=$1 example=$2; shift 2
  local bad=0 i out
  for ((i = 1; i <= n; i++)); do
    if ((i % 2)); then unset PYTHONUNBUFFERED; else export PYTHONUNBUFFERED=1; fi
    # --env: a port gets no variable of grade's environment but those it names.
    out=$(PYTHONPATH=$unmodified/scaled "$grade" "$example" --time-scale 0.01 --format json \
      --env PYTHONPATH --env PYTHONUNBUFFERED "$@" 2>/dev/null) || {
      bad=$((bad + 1))
      echo "  $name grading $i failed: $(printf '%s' "$out" | python3 -c 'import json,sys; r=json.load(sys.stdin); print([c["name"] for c in r["checks"] if c["status"]=="failed"])' 2>/dev/null || echo '(no report)')"
    }
  done
  unset PYTHONUNBUFFERED
  total=$((total + n))
  failed=$((failed + bad))
  printf '%-28s %d of %d gradings failed\n' "$name" "$bad" "$n"
}

check fork-demo fork -- target/debug/fork-demo
check process-demo process -- target/debug/process-demo
check pool-demo pool -- target/debug/pool-demo
check queue-demo queue -- target/debug/queue-demo
check ref_fork.py fork -- python3 tests/reference/ref_fork.py
check ref_process.py process -- python3 tests/reference/ref_process.py
check ref_pool.py pool -- python3 tests/reference/ref_pool.py
check ref_queue.py queue -- python3 tests/reference/ref_queue.py
check orig_fork.py fork -- python3 $unmodified/orig_fork.py
check orig_process.py process -- python3 $unmodified/orig_process.py
check "orig_pool.py (Pool(4))" pool --param processes=4 -- python3 $unmodified/orig_pool.py
check orig_queue.py queue -- python3 $unmodified/orig_queue.py
echo "total: $failed of $total gradings failed (load average $(cut -d' ' -f1-3 /proc/loadavg))"
[ "$failed" -eq 0 ]
