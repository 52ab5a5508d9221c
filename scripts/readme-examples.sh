#!/usr/bin/env bash
# Runs every command README.md shows (its lines indented by four spaces that start with `cargo `
# or `scripts/`), in order, as written, then checks that `git status` is as clean as before:
# every output of a README command goes under target/.
#   scripts/readme-examples.sh [--here] [--with-tests]
# Default: in a fresh clone of this checkout's HEAD under target/readme-clone (its own build
# from scratch: several minutes). --here: in this checkout. --with-tests: also the README's
# `cargo test --workspace` (CI runs it on its own, so it is skipped by default).
# A command grading a fixture that is wrong by design (tests/fixtures/..., not correct.*) may
# exit 1 (a check failed); every other command must exit 0. Logs: target/readme-examples/.
set -euo pipefail
cd "$(dirname "$0")/.."
here=0
with_tests=0
for arg in "$@"; do
  case "$arg" in
    --here) here=1 ;;
    --with-tests) with_tests=1 ;;
    *) echo "readme-examples.sh: unknown option $arg (--here, --with-tests)" >&2; exit 2 ;;
  esac
done
logs="$PWD/target/readme-examples"
rm -rf "$logs"
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
  if [ "$cmd" = "cargo test --workspace" ] && [ "$with_tests" = 0 ]; then
    echo "readme-examples: skipped (CI runs it): $cmd"
    skipped=$((skipped + 1))
    continue
  fi
  log="$logs/$((i + 1)).log"
  echo "readme-examples: $cmd"
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
