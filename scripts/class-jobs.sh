#!/usr/bin/env bash
# Grades one class several times with each --jobs value and compares the verdicts: the same
# verdicts whatever --jobs is, or which submissions differ. Prints one line per grading (jobs,
# round, wall seconds, pass/fail/not graded) and a summary per --jobs value. Each round grades
# with every --jobs value in turn, so that they share the machine's load of the moment.
#
# usage: scripts/class-jobs.sh CLASS ROUNDS "JOBS..." [GRADE CLASS OPTIONS...]
#   e.g. scripts/class-jobs.sh tests/fixtures/class 5 "1 4" --example fork --runs 3 \
#            --time-scale 0.01 --timeout 5
#   GRADE: the grader to use (default: this repo's, built in release mode).
# Exit status: 0 identical verdicts, 1 some differ, 2 bad usage or a grading that failed.
set -euo pipefail

[[ $# -ge 3 ]] || { echo "usage: $0 CLASS ROUNDS \"JOBS...\" [GRADE CLASS OPTIONS...]" >&2; exit 2; }
class=$1 rounds=$2 jobs_list=$3
shift 3
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ -z ${GRADE:-} ]]; then
    cargo build --release --quiet -p grade --manifest-path "$repo/Cargo.toml"
    GRADE="$repo/target/release/grade"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

reference=""
status=0
for round in $(seq 1 "$rounds"); do
    for jobs in $jobs_list; do
        out="$work/$jobs-$round"
        start=$(date +%s.%N)
        if ! "$GRADE" class "$class" --jobs "$jobs" --out "$out" "$@" >/dev/null 2>"$work/err"; then
            echo "class-jobs: grading failed (jobs $jobs, round $round): $(tail -n 1 "$work/err")" >&2
            exit 2
        fi
        secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
        # submission,build,verdict: the verdict columns.
        cut -d, -f1-3 "$out/results.csv" >"$out/verdicts"
        counts=$(awk -F, 'NR > 1 { n[$3]++ } END { printf "%d pass, %d fail, %d not graded", n["pass"], n["fail"], n["not-graded"] }' "$out/results.csv")
        same="same"
        if [[ -z $reference ]]; then
            reference="$out/verdicts"
        elif ! cmp -s "$reference" "$out/verdicts"; then
            same="DIFFERENT: $(diff "$reference" "$out/verdicts" | grep '^>' | tr '\n' ' ' || true)"
            status=1
        fi
        printf 'jobs %-2s round %s  %6.1f s  %s  %s\n' "$jobs" "$round" "$secs" "$counts" "$same"
        echo "$jobs $secs" >>"$work/times"
    done
done
awk '{ s[$1] += $2; n[$1]++; if (!($1 in lo) || $2 < lo[$1]) lo[$1] = $2; if ($2 > hi[$1]) hi[$1] = $2 }
     END { for (j in s) printf "jobs %s: mean %.1f s (min %.1f, max %.1f) over %d gradings\n", j, s[j] / n[j], lo[j], hi[j], n[j] }' "$work/times" | sort -n -k2
if [[ $status -eq 0 ]]; then
    echo "identical verdicts in every grading"
fi
exit "$status"
