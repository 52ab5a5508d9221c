#!/usr/bin/env bash
# Runs every command README.md shows (its lines indented by four spaces that start with `cargo `
# or `scripts/`), in order, as written, then checks that `git status` is as clean as before:
# every output of a README command goes under target/.
#   scripts/readme-examples.sh [--here] [--with-tests] [--from N]
# Default: in a fresh clone of this checkout's HEAD under target/readme-clone (its own build
# from scratch: several minutes). --here: in this checkout. --with-tests: also the README's
# test command (CI runs it on its own, so it is skipped by default). --from N:
# start at the README's N-th command (to resume after a failure; the log names it).
# A command grading a fixture that is wrong by design (tests/fixtures/..., not correct.*) may
# exit 1 (a check failed); every other command must exit 0. Logs: target/readme-examples/.
set -euo pipefail
cd "$(dirname "$0")/.."
here=0
with_tests=0
from=1
while [ $# -gt 0 ]; do
  case "$1" in
    --here) here=1 ;;
    --with-tests) with_tests=1 ;;
    --from) from="${2:?--from needs a number}"; shift ;;
    *) echo "readme-examples.sh: unknown option $1 (--here, --with-tests, --from N)" >&2; exit 2 ;;
  esac
  shift
done
logs="$PWD/target/readme-examples"
mkdir -p "$logs"
if [ "$here" = 0 ]; then
  clone="$PWD/target/readme-clone"
  rm -rf "$clone"
  git clone --quiet --no-hardlinks "$PWD" "$clone"
  # The grader runs ports as nobody when root: nobody must reach the clone (as .ci/run does).
  chmod -R o+rX "$clone"
  cd "$clone"
fi
before="$(git status --porcelain)"
mapfile -t commands < <(grep -E '^    (cargo |scripts/)' README.md | sed 's/^    //')
ran=0
skipped=0
for i in "${!commands[@]}"; do
  cmd="${commands[$i]}"
  if [ $((i + 1)) -lt "$from" ]; then
    continue
  fi
  if [ "$cmd" = "cargo nextest run --workspace && cargo test --workspace --doc" ] && [ "$with_tests" = 0 ]; then
    echo "readme-examples: skipped (CI runs it): $cmd"
    skipped=$((skipped + 1))
    continue
  fi
  log="$logs/$((i + 1)).log"
  echo "readme-examples: [$((i + 1))] $cmd"
  set +e
  bash -c "$cmd" >"$log" 2>&1 </dev/null
  status=$?
  set -e
  allowed=0
  if [[ "$cmd" == *tests/fixtures/* && "$cmd" != *correct* ]]; then
    allowed=1
  fi
  if [ "$status" != 0 ] && ! { [ "$allowed" = 1 ] && [ "$status" = 1 ]; }; then
    echo "readme-examples: FAILED with status $status: $cmd (log: $log)" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  ran=$((ran + 1))
done
after="$(git status --porcelain)"
if [ "$before" != "$after" ]; then
  echo "readme-examples: the README's commands left files outside target/:" >&2
  diff <(echo "$before") <(echo "$after") >&2 || true
  exit 1
fi
echo "readme-examples: $ran commands passed, $skipped skipped; git status unchanged"
