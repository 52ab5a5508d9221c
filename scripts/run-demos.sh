#!/usr/bin/env bash
# Runs every demo once, each under a header, at the time scale given (default 1: as the notes):
# the notes' programs, the rest of the chapter, and the distributed master with a worker.
#   scripts/run-demos.sh [TIME_SCALE]
set -euo pipefail
cd "$(dirname "$0")/.."
scale="${1:-1}"
export MULTITASK_TIME_SCALE="$scale"
cargo build --quiet --workspace --bins
bin=target/debug
source scripts/examples.sh
# Every example of one program (the pair below).
for example in $(examples); do
  is_pair "$example" && continue
  echo "== cargo run -p $example-demo"
  "$bin/$example-demo"
  echo
done

# The master listens on a free port it prints on stderr; the worker connects to it. The
# master's other stderr lines are shown too.
echo "== cargo run -p task-master -- --port 0   +   cargo run -p task-worker -- --port PORT"
work=$(mktemp -d)
master_pid=
cleanup() {
  [[ -n $master_pid ]] && kill "$master_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkfifo "$work/master.err"
"$bin/task-master" --port 0 2>"$work/master.err" >"$work/master.out" &
master_pid=$!
port=
while IFS= read -r line; do
  if [[ $line == "listening on "* ]]; then
    port=${line##*:}
    break
  fi
  echo "$line" >&2
done <"$work/master.err"
if [[ -z $port ]]; then
  echo "run-demos.sh: the master did not start" >&2
  exit 1
fi
# Keep draining the master's stderr so it never blocks on it.
cat "$work/master.err" >&2 &
"$bin/task-worker" --port "$port" | sed 's/^/[worker] /'
wait "$master_pid"
master_pid=
sed 's/^/[master] /' "$work/master.out"
