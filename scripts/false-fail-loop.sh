#!/usr/bin/env bash
# No false fail under load: grades each demo, each Python original (flushed `ref_*.py` and
# unmodified `orig_*.py`), each correct fixture (`tests/fixtures/*/`, `# expect: pass`) and each C
# port (`tests/c-ports/`) of every example (but multicore and distributed) N times in a row
# (default 20; default grade options: 10 runs, half shaken, a terminal for stdout) at time scale
# 0.01, with two busy processes loading the machine, PYTHONUNBUFFERED unset in odd gradings and
# set in even ones. Prints each program's failing gradings (the failed checks of each) and a
# total. `--default` grades with grade's default options instead (no `--time-scale`: sleeps at
# full length, holds of up to 1 s; about 10x slower), `--time-scale S` at another scale.
#
#   [ONLY=WORD] scripts/false-fail-loop.sh [--default | --time-scale S] [N]
#
# ONLY grades only the programs whose name holds WORD (e.g. ONLY=pool).
#
# Exit status 1 when a grading failed, 0 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=(--time-scale 0.01)
case ${1:-} in
  --default) scale=(); shift ;;
  --time-scale) scale=(--time-scale "$2"); shift 2 ;;
esac
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
  if [[ -n ${ONLY:-} && $name != *"$ONLY"* ]]; then return; fi
  local bad=0 i out
  for ((i = 1; i <= n; i++)); do
    if ((i % 2)); then unset PYTHONUNBUFFERED; else export PYTHONUNBUFFERED=1; fi
    # --env: a port gets no variable of grade's environment but those it names.
    out=$(PYTHONPATH=$unmodified/scaled "$grade" "$example" "${scale[@]}" --format json \
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

# Every example but those whose example.toml sets their own time scale (multicore keeps every
# core busy: multicore-under-load.sh judges it; the distributed pair: demos.rs grades it).
source scripts/examples.sh
mkdir -p target/c-ports
for example in $(examples); do
  [[ -z $(example_setting "$example" time_scale) ]] || continue
  check "$example-demo" "$example" -- "target/debug/$example-demo"
  check "ref_$example.py" "$example" -- python3 "tests/reference/ref_$example.py"
  if [[ -f $unmodified/orig_$example.py ]]; then
    if [[ $example == pool ]]; then
      check "orig_pool.py (Pool(4))" pool --param processes=4 -- python3 "$unmodified/orig_pool.py"
    else
      check "orig_$example.py" "$example" -- python3 "$unmodified/orig_$example.py"
    fi
  fi
  # The correct fixtures (`# expect: pass`), with their spec parameters and arguments.
  for fixture in tests/fixtures/"$example"/*.py; do
    grep -qx '# expect: pass' "$fixture" || continue
    params=$(sed -n 's/^# grade-args: //p' "$fixture" | grep -o -- '--param [^ ]*' || true)
    args=$(sed -n 's/^# args: //p' "$fixture")
    # shellcheck disable=SC2086 # options and arguments are words
    check "$fixture" "$example" $params -- python3 "$fixture" $args
  done
  # The C port of the example, if there is one (tests/c-ports/).
  if [[ -f tests/c-ports/$example.c ]]; then
    cc -O2 -Wall -pthread -o "target/c-ports/$example" "tests/c-ports/$example.c"
    check "c-ports/$example.c" "$example" -- "target/c-ports/$example"
  fi
done
echo "total: $failed of $total gradings failed (${scale[*]:-default options}; load average $(cut -d' ' -f1-3 /proc/loadavg))"
[ "$failed" -eq 0 ]
