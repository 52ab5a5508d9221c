#!/usr/bin/env bash
# What tracing costs a grading: the wall time of `grade EXAMPLE --runs 10 --time-scale 0.01`
# traced (unshaken, `--shake 0`) against `--no-trace`, for every demo and every Python original,
# alternating the two in one run of this script; medians of REPS gradings each and their ratio,
# against the floor of issue 9 (traced at most 1.5x untraced). A third column shows the default
# grading (half the runs shaken), whose holds add time on purpose.
#
#   scripts/trace-overhead.sh [REPS]     (default 5; debug build, as the tests grade)
#
# A benchmark reports, it never fails a build: exit status 0 whatever the floor says.
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-5}
cargo build --workspace --bins --quiet
grade=target/debug/grade
export MULTITASK_TIME_SCALE=0.01

now_ms() { date +%s%3N; }

# One grading's wall time in ms (its verdict is not this script's business).
timed() {
  local t0 t1
  t0=$(now_ms)
  "$grade" "$@" >/dev/null 2>&1 || true
  t1=$(now_ms)
  echo $((t1 - t0))
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '| program | --no-trace (ms) | traced, --shake 0 (ms) | ratio | traced, default shake (ms) |\n'
printf '|---|---|---|---|---|\n'
measure() {
  local name=$1 example=$2; shift 2
  local plain=() traced=() shaken=() i
  for ((i = 0; i < reps; i++)); do
    plain+=("$(timed "$example" --runs 10 --time-scale 0.01 --no-trace -- "$@")")
    traced+=("$(timed "$example" --runs 10 --time-scale 0.01 --shake 0 -- "$@")")
    shaken+=("$(timed "$example" --runs 10 --time-scale 0.01 -- "$@")")
  done
  local p t s
  p=$(printf '%s\n' "${plain[@]}" | median)
  t=$(printf '%s\n' "${traced[@]}" | median)
  s=$(printf '%s\n' "${shaken[@]}" | median)
  printf '| %s | %s | %s | %s | %s |\n' "$name" "$p" "$t" \
    "$(awk -v t="$t" -v p="$p" 'BEGIN {r = t / p; printf "%.2f%s", r, (r <= 1.5 ? "" : " (over 1.5)")}')" "$s"
}

# Every example of one program, but those whose example.toml leaves them out (busy loops).
source scripts/examples.sh
measured=()
for example in $(examples); do
  is_pair "$example" || [[ $(example_setting "$example" no_overhead) == true ]] || measured+=("$example")
done
for example in "${measured[@]}"; do
  measure "$example-demo" "$example" "target/debug/$example-demo"
done
for example in "${measured[@]}"; do
  measure "ref_$example.py" "$example" python3 "tests/reference/ref_$example.py"
done
echo
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
