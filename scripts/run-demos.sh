#!/usr/bin/env bash
# Runs every demo once, each under a header, at the time scale given (default 1: as the notes).
#   scripts/run-demos.sh [TIME_SCALE]
set -euo pipefail
cd "$(dirname "$0")/.."
scale="${1:-1}"
cargo build --quiet --workspace --bins
for demo in fork process pool queue pipe thread lock threadlocal subprocess; do
  echo "== cargo run -p $demo-demo"
  MULTITASK_TIME_SCALE="$scale" "target/debug/$demo-demo"
  echo
done
