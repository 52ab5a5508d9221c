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

# Every example of one program, at the time scale and with the arguments its example.toml gives
# the picture (Pool(4) as the notes run it, half a second of multicore's busy loop...), else 1.
source scripts/examples.sh
for example in $(examples); do
  is_pair "$example" && continue
  scale=$(example_setting "$example" picture_time_scale)
  read -r -a picture_args <<<"$(example_setting "$example" picture_args)"
  draw "$example-demo" "$example" "${scale:-1}" -- "$bin/$example-demo" "${picture_args[@]}"
done

# The master and a worker in one picture: the master on a free port (bash's coproc reads its
# stderr, where it says where it listens; its stdout is ours), then the worker against it.
if want task-master; then
  scale=$(example_setting distributed picture_time_scale)
  "$bin/grade" trace -o crates/task-master/timeline.svg --example distributed --time-scale "$scale" \
    --title "task-master and task-worker (time scale $scale)" -- bash -c '
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
