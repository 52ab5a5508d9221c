#!/usr/bin/env bash
# Replay that replays (issue 19): finds a failing run of a fake scheduled by PCT, replays its seed
# N times (default 100) with `--seed S --points K --depth D --lead L --last M --runs 1`, and counts how often the
# replay's order of stop points (the scheduler's decisions, `facts.shaken[].order` of the JSON
# report) is the failing run's, and how often the replay failed again. With `--schedule`, a
# schedule string of `grade explore` instead: each replay runs `--schedule STRING --runs 1`.
#
#   scripts/replay.sh [N] [-- EXAMPLE [GRADE OPTIONS...] -- COMMAND...]
#   scripts/replay.sh 100 --schedule STRING -- EXAMPLE [GRADE OPTIONS...] -- COMMAND...
#
# Without a command: the Python sleep-for-join Process fake at time scale 0.01. The floor of
# issue 19 is 95 of 100 identical orders; the script prints the counts and exits 1 below it.
set -euo pipefail
cd "$(dirname "$0")/.."
n=100
if [[ ${1:-} =~ ^[0-9]+$ ]]; then n=$1; shift; fi
schedule=
if [ "${1:-}" = --schedule ]; then schedule=$2; shift 2; fi
if [ "${1:-}" = -- ]; then shift; fi
if [ $# -eq 0 ]; then
  set -- process --time-scale 0.01 -- python3 tests/fixtures/sleep_join/process.py 0.2
fi
# GRADE=PATH: another build of grade (e.g. a copy of an older one, to compare).
if [ -z "${GRADE:-}" ]; then cargo build -p grade -p fake-ports --bins --quiet; fi
grade=${GRADE:-target/debug/grade}
example=$1
shift
# The grade options, then the command after the first `--`.
opts=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
shift
cmd=("$@")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The failing run to replay: its replay options and its order.
if [ -n "$schedule" ]; then
  replay=(--schedule "$schedule")
  "$grade" "$example" "${opts[@]}" "${replay[@]}" --runs 1 --format json -- "${cmd[@]}" >"$tmp/first.json" 2>/dev/null || true
else
  found=
  for try in 1 2 3 4 5 6 7 8 9 10; do
    "$grade" "$example" "${opts[@]}" --all-runs --format json -- "${cmd[@]}" >"$tmp/first.json" 2>/dev/null || true
    if found=$(python3 - "$tmp/first.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
shaken = {s["run"]: s for s in r["facts"]["shaken"] if s["depth"] > 0}
failed = sorted({f["run"] for c in r["checks"] if c["status"] == "failed" and c["kind"] == "guaranteed" for f in c["failures"]} & set(shaken))
if not failed:
    sys.exit(1)
s = shaken[failed[0]]
print(s["seed"], s["points"], s["depth"], s.get("lead", "-"), s.get("last", "-"))
EOF
    ); then break; fi
    found=
  done
  if [ -z "$found" ]; then
    echo "no run scheduled by PCT failed in 10 gradings: nothing to replay" >&2
    exit 2
  fi
  read -r seed points depth lead last <<<"$found"
  replay=(--seed "$seed" --points "$points" --depth "$depth")
  if [ "$lead" != - ]; then replay+=(--lead "$lead"); fi
  if [ "$last" != - ]; then replay+=(--last "$last"); fi
  # The failing run's own order, from the grading that found it.
  python3 - "$tmp/first.json" "$seed" >"$tmp/order" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
print(next(s["order"] for s in r["facts"]["shaken"] if s["seed"] == int(sys.argv[2])))
EOF
fi
if [ -n "$schedule" ]; then
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["facts"]["shaken"][0]["order"])' "$tmp/first.json" >"$tmp/order"
fi
echo "replaying ${replay[*]} $n times: $example ${opts[*]} -- ${cmd[*]}"
echo "order: $(cat "$tmp/order")"
same=0
failed=0
for ((i = 1; i <= n; i++)); do
  "$grade" "$example" "${opts[@]}" "${replay[@]}" --runs 1 --format json -- "${cmd[@]}" >"$tmp/r.json" 2>/dev/null || true
  read -r order_same fail <<<"$(python3 - "$tmp/r.json" "$tmp/order" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
want = open(sys.argv[2]).read().strip()
got = r["facts"]["shaken"][0]["order"] if r["facts"]["shaken"] else ""
failed = any(c["status"] == "failed" and c["kind"] == "guaranteed" for c in r["checks"])
print(int(got == want), int(failed))
if got != want:
    print(got, file=sys.stderr)
EOF
  )" 2>>"$tmp/other"
  same=$((same + order_same))
  failed=$((failed + fail))
done
echo "identical order in $same of $n replays; failed again in $failed of $n"
if [ -s "$tmp/other" ]; then
  echo "orders that differed (count, order):"
  sort "$tmp/other" | uniq -c | sort -rn | head -5
fi
[ $((same * 100)) -ge $((n * 95)) ]
