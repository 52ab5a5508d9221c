#!/usr/bin/env bash
# Runs tracer tests that once failed only under load, each N times (default 100) through its
# built test binary with `--exact`, and prints each one's failure count; with --load, two busy
# loops keep both cores loaded meanwhile (ended by their pids at the end). Exits 1 if any failed.
#   scripts/tracer-flake-loop.sh [N] [--load] [TEST_FILE::NAME ...]
# Without names: the three of the flake hunt (attribution's CPU time at exit, shake's holds at
# the main process's end and random holds' replay). The failed runs' output is kept in a folder
# the summary names.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=100
load=0
names=()
for a in "$@"; do
  case "$a" in
  --load) load=1 ;;
  *::*) names+=("$a") ;;
  *) runs="$a" ;;
  esac
done
if ((${#names[@]} == 0)); then
  names=(attribution::cpu_time_is_read_at_each_tasks_exit
    shake::holds_end_when_the_main_process_ends
    shake::random_holds_replay_with_their_seed)
fi
# The test binaries, by test file: cargo's JSON names each built executable.
declare -A bins
while IFS=$'\t' read -r name exe; do
  bins[$name]=$exe
done < <(cargo test -q -p tracer --tests --no-run --message-format=json 2>/dev/null |
  python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["kind"] == ["test"]:
        print(m["target"]["name"] + "\t" + m["executable"])
')
busy=()
stop_load() {
  for p in "${busy[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${busy[@]}"; do wait "$p" 2>/dev/null || true; done
  busy=()
}
trap stop_load EXIT
if ((load)); then
  for _ in 1 2; do
    sh -c 'while :; do :; done' &
    busy+=($!)
  done
fi
logs=$(mktemp -d)
failed=0
for spec in "${names[@]}"; do
  file=${spec%%::*}
  test=${spec#*::}
  exe=${bins[$file]:-}
  [[ -n $exe ]] || {
    echo "tracer-flake-loop: no test binary for $file" >&2
    exit 2
  }
  fails=0
  start=$(date +%s)
  for ((i = 1; i <= runs; i++)); do
    if ! "$exe" --exact "$test" --include-ignored -q >"$logs/run.log" 2>&1; then
      fails=$((fails + 1))
      mv "$logs/run.log" "$logs/$file-$test-$i.log"
    fi
  done
  echo "tracer-flake-loop: $spec: $fails of $runs failed$( ((load)) && echo " (loaded)") in $(($(date +%s) - start)) s"
  ((fails == 0)) || failed=1
done
rm -f "$logs/run.log"
if ((failed)); then
  echo "tracer-flake-loop: the failed runs' output: $logs"
  exit 1
fi
rmdir "$logs"
