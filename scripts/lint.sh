#!/usr/bin/env bash
# The tree is clean: rustfmt's layout and no clippy warning, over every crate and target (tests,
# examples and benches too). Run before every commit; exit status 1 at the first finding.
#
#   scripts/lint.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
