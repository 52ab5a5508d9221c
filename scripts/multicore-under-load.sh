#!/usr/bin/env bash
# Made-up CPU figures fail on a loaded machine, honest ones pass (the red team of issue 18): with
# two busy loops loading the cores, grades multicore's demo, Python original and correct fixture
# (they must pass: the cores-busy check is then "not judged", never failed) and its fakes (they
# must fail: the printed CPU time against the kernel's count between the two lines, the cores
# figure against the CPU time over the wall time), at time scale 0.01 and at the default 1.
#
#   scripts/multicore-under-load.sh [SCALE...]      (default: 0.01 1)
#
# Exit status 1 when an honest port failed or a fake passed.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -p grade -p multicore-demo -p fake-ports --bins --quiet
grade=target/debug/grade
scales=("$@")
[ ${#scales[@]} -gt 0 ] || scales=(0.01 1)

busy=()
for _ in 1 2; do
  sh -c 'while :; do :; done' &
  busy+=($!)
done
# Only the loops started here, by their pids.
trap 'kill "${busy[@]}" 2>/dev/null || true' EXIT

wrong=0
grade_one() {
  local want=$1 scale=$2; shift 2
  local status=0
  "$grade" multicore --time-scale "$scale" "$@" >/dev/null 2>&1 || status=$?
  local got=pass
  [ "$status" -eq 0 ] || got=fail
  [ "$status" -le 1 ] || got="error ($status)"
  printf '%-5s %-6s %-5s %s\n' "$scale" "$want" "$got" "${*: -1}"
  [ "$got" = "$want" ] || wrong=$((wrong + 1))
}

for scale in "${scales[@]}"; do
  grade_one pass "$scale" -- target/debug/multicore-demo
  grade_one pass "$scale" --param cores=1 -- python3 tests/reference/ref_multicore.py
  grade_one pass "$scale" --param cores=1 -- tests/fixtures/multicore/correct.py
  for fake in fake_sleeping_threads fake_spins_before_it_starts fake_made_up_cores_figure; do
    grade_one fail "$scale" --param cores=1 -- "tests/fixtures/multicore/$fake.py"
  done
  for fake in fake-multicore-sleeps fake-multicore-spins-before; do
    grade_one fail "$scale" -- "target/debug/$fake"
  done
done
echo "$wrong wrong (load average $(cut -d' ' -f1-3 /proc/loadavg))"
[ "$wrong" -eq 0 ]
