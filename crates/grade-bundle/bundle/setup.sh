#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (written by
# `grade gradescope`). It installs what the submissions and the grader need (python3, a C
# linker, Rust), then builds the grader from the sources in this bundle into
# $AUTOGRADER_ROOT/source/grade. Tools already there are not installed again.
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"

need=()
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v cc >/dev/null 2>&1 || need+=(build-essential)
command -v curl >/dev/null 2>&1 || need+=(curl ca-certificates)
if ((${#need[@]})); then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"
fi

if [ -f "$HOME/.cargo/env" ]; then
    . "$HOME/.cargo/env"
fi
if ! command -v cargo >/dev/null 2>&1; then
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
        sh -s -- -y --profile minimal --default-toolchain @TOOLCHAIN@
    . "$HOME/.cargo/env"
fi

cd "$ROOT/source/grader-src"
cargo build --release --locked -p grade --target-dir "$ROOT/source/grader-src/target"
install -m 0755 "$ROOT/source/grader-src/target/release/grade" "$ROOT/source/grade"
"$ROOT/source/grade" --version
