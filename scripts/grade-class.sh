#!/usr/bin/env bash
# Grades a class: every submission folder in DIR (a Cargo project each) is built and its binary
# graded against EXAMPLE; prints a table "submission  passed/total checks" on stdout and one
# progress line per submission on stderr.
#
# usage: scripts/grade-class.sh DIR EXAMPLE [GRADE OPTIONS...]
#   e.g. scripts/grade-class.sh ~/class/pool pool --runs 20 --time-scale 0.01
#   GRADE OPTIONS go to `grade` as they are (--runs, --timeout, --time-scale, --param, --spec);
#   not --format, which this script sets to json to read the results.
#
# Each submission is built with `cargo build --release --quiet` in its own folder, into its own
# target dir (SUB/target, whatever CARGO_TARGET_DIR says). Its binary is the package's single
# bin target as `cargo metadata --no-deps` lists it; with several, the one named like the
# package; otherwise the row says "no single binary". A submission folder that sits inside
# another Cargo workspace must declare its own `[workspace]` to build on its own.
#
# The grader: $GRADE if set (a prebuilt `grade`), else this repo's, built once in release mode.
# Needs cargo and python3 (to read JSON).
# Exit status: 0 every submission was built and graded (whatever its grade), 1 some could not
# be built or graded (see their rows), 2 bad usage or no grader.
set -euo pipefail

usage() {
    echo "usage: $0 DIR EXAMPLE [GRADE OPTIONS...]" >&2
    exit 2
}

[[ $# -ge 2 ]] || usage
dir=$1
example=$2
shift 2
opts=("$@")
[[ -d $dir ]] || { echo "grade-class: not a directory: $dir" >&2; exit 2; }
for tool in cargo python3; do
    command -v "$tool" >/dev/null || { echo "grade-class: $tool is needed and not found" >&2; exit 2; }
done
for opt in "${opts[@]}"; do
    if [[ $opt == --format || $opt == --format=* ]]; then
        echo "grade-class: --format is set by this script (json); leave it out" >&2
        exit 2
    fi
done

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Prints a JSON field path of a file, e.g. json_get FILE target_directory.
json_get() {
    python3 - "$@" <<'PY'
import json, sys
value = json.load(open(sys.argv[1]))
for key in sys.argv[2:]:
    value = value[key]
print(value)
PY
}

if [[ -n ${GRADE:-} ]]; then
    grade=$GRADE
else
    echo "grade-class: building the grader..." >&2
    if ! cargo build --release --quiet -p grader --manifest-path "$repo/Cargo.toml" 2>"$work/grader-build.log"; then
        cat "$work/grader-build.log" >&2
        echo "grade-class: cannot build the grader" >&2
        exit 2
    fi
    cargo metadata --no-deps --format-version 1 --manifest-path "$repo/Cargo.toml" >"$work/repo-meta.json"
    grade="$(json_get "$work/repo-meta.json" target_directory)/release/grade"
fi
[[ -x $grade ]] || { echo "grade-class: grader not executable: $grade" >&2; exit 2; }

# The binary name of the Cargo project whose metadata is in $1, or nothing.
bin_name() {
    python3 - "$1" <<'PY'
import json, sys
meta = json.load(open(sys.argv[1]))
packages = meta["packages"]
bins = [(p["name"], t["name"]) for p in packages for t in p["targets"] if "bin" in t["kind"]]
if len(bins) == 1:
    print(bins[0][1])
else:
    named = [b for pkg, b in bins if b == pkg]
    if len(named) == 1:
        print(named[0])
PY
}

subs=()
for sub in "$dir"/*/; do
    [[ -d $sub ]] && subs+=("${sub%/}")
done
if [[ ${#subs[@]} -eq 0 ]]; then
    echo "grade-class: no submission folders in $dir" >&2
    exit 2
fi

# One progress line on stderr, for submission number $i named $name.
progress() { echo "grade-class: [$i/$n] $name: $1" >&2; }

names=()
results=()
status=0
n=${#subs[@]}
i=0
for sub in "${subs[@]}"; do
    i=$((i + 1))
    name=$(basename "$sub")
    names+=("$name")
    log="$work/$i.log"

    if [[ ! -f $sub/Cargo.toml ]]; then
        results+=("not a Cargo project (no Cargo.toml)")
        progress "${results[-1]}"
        status=1
        continue
    fi
    progress "building..."
    if ! (cd "$sub" && CARGO_TARGET_DIR="$PWD/target" cargo build --release --quiet) >"$log" 2>&1; then
        results+=("build failed")
        progress "build failed: $(grep -m1 -E '^error' "$log" || tail -n 1 "$log")"
        status=1
        continue
    fi
    if ! (cd "$sub" && cargo metadata --no-deps --format-version 1) >"$work/$i.meta.json" 2>"$log"; then
        results+=("cargo metadata failed")
        progress "${results[-1]}: $(tail -n 1 "$log")"
        status=1
        continue
    fi
    bin=$(bin_name "$work/$i.meta.json")
    if [[ -z $bin || ! -x $sub/target/release/$bin ]]; then
        results+=("no single binary")
        progress "${results[-1]}"
        status=1
        continue
    fi
    progress "grading $bin..."
    rc=0
    "$grade" "$example" --format json "${opts[@]}" -- "$sub/target/release/$bin" \
        >"$work/$i.json" 2>"$log" || rc=$?
    if [[ $rc -eq 0 || $rc -eq 1 ]] && counts=$(python3 - "$work/$i.json" <<'PY'
import json, sys
try:
    checks = json.load(open(sys.argv[1]))["checks"]
    print(f"{sum(1 for c in checks if c['passed'])}/{len(checks)}")
except (OSError, ValueError, KeyError, TypeError):
    sys.exit(1)
PY
    ); then
        results+=("$counts")
        progress "$counts checks passed"
    else
        why=$(head -n 1 "$log")
        results+=("not graded: ${why:-grade gave no JSON (exit status $rc)}")
        progress "${results[-1]}"
        status=1
    fi
done

width=10
for name in "${names[@]}"; do
    ((${#name} > width)) && width=${#name}
done
printf '%-*s  %s\n' "$width" "submission" "passed/total checks"
for k in "${!names[@]}"; do
    printf '%-*s  %s\n' "$width" "${names[$k]}" "${results[$k]}"
done
exit "$status"
