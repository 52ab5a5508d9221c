#!/usr/bin/env bash
# Draws the gallery: each demo's timeline in crates/<demo>/timeline.svg, as the README's table
# of sections shows them. Each picture is one run of the demo under `grade trace` (one lane per
# process and thread, each line on the lane of the thread that wrote it, the spans the demo's
# spec watches shaded), at a time scale that keeps the run short but keeps its shape, and with a
# fixed seed so the same random draws come out each time (pids and exact times still differ).
#
#   scripts/timelines.sh              every demo
#   scripts/timelines.sh pool-demo    only the demos named
#
# Builds the workspace first. Exit status 0 when every picture was drawn.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --quiet --workspace --bins
bin=target/debug
export MULTITASK_SEED=${MULTITASK_SEED:-7}

wanted=("$@")
want() {
  [[ ${#wanted[@]} -eq 0 ]] && return 0
  local w
  for w in "${wanted[@]}"; do [[ $w == "$1" ]] && return 0; done
  return 1
}

# draw DEMO EXAMPLE TIME_SCALE -- COMMAND...: one traced run into crates/DEMO/timeline.svg.
draw() {
  local demo=$1 example=$2 scale=$3
  shift 4
  want "$demo" || return 0
  "$bin/grade" trace -o "crates/$demo/timeline.svg" --example "$example" \
    --time-scale "$scale" -- "$@" >/dev/null
}

draw fork-demo fork 1 -- "$bin/fork-demo"
draw process-demo process 1 -- "$bin/process-demo"
# Pool(4), as the notes run it: five tasks, four workers, task 4 waits for a free worker.
draw pool-demo pool 0.3 -- "$bin/pool-demo" 4
draw queue-demo queue 0.3 -- "$bin/queue-demo"
draw pipe-demo pipe 1 -- "$bin/pipe-demo"
draw thread-demo thread 0.1 -- "$bin/thread-demo"
draw lock-demo lock 1 -- "$bin/lock-demo"
draw threadlocal-demo threadlocal 1 -- "$bin/threadlocal-demo"
draw multicore-demo multicore 1 -- "$bin/multicore-demo" --seconds 0.5
draw subprocess-demo subprocess 1 -- "$bin/subprocess-demo"

# The master and a worker in one picture: the master on a free port (bash's coproc reads its
# stderr, where it says where it listens; its stdout is ours), then the worker against it.
if want task-master; then
  "$bin/grade" trace -o crates/task-master/timeline.svg --example distributed --time-scale 0.3 \
    --title "task-master and task-worker (time scale 0.3)" -- bash -c '
      exec 3>&1
      coproc master { exec "$0" --port 0 2>&1 1>&3; }
      port=
      while read -r line <&"${master[0]}"; do
        case $line in "listening on "*) port=${line##*:}; break ;; esac
      done
      "$1" --server 127.0.0.1 --port "$port"
      wait
    ' "$bin/task-master" "$bin/task-worker" >/dev/null
fi
