# The report of a grading: its text form (the HTML page and Gradescope reuse these words).
report-heading = grade { $example }: { $runs ->
    [one] { $runs } run
   *[other] { $runs } runs
}, time scale { $scale }
report-passed = PASSED
report-failed = FAILED
report-all-passed = all { $total } checks passed over { $runs ->
    [one] { $runs } run
   *[other] { $runs } runs
}
report-some-passed = { $passed } of { $total } checks passed{ $also } over { $runs ->
    [one] { $runs } run
   *[other] { $runs } runs
}
report-some-failed = { $failed } of { $total } checks failed{ $also } over { $runs ->
    [one] { $runs } run
   *[other] { $runs } runs
}
report-also-not-reached = , { $count } not reached
report-also-not-checked = , { $count } not checked
report-also-undecided = , { $count } undecided
report-tag-pass = PASS
report-tag-fail = FAIL
report-tag-not-reached = ----
report-tag-not-checked = ????
report-not-checked = not checked: it needs the trace, and no run was traced
report-not-judged = not checked: the machine could not judge it in any run (see the note)
report-not-reached = not reached: no run printed a line it judges
# $unshaken is "yes" when shaken runs were left out of the count.
report-likely = likely: held in { $held } of { $judged } { $unshaken ->
    [yes] unshaken runs
   *[no] runs
}{ $interval }, needs { $percent }%
report-likely-undecided = likely: undecided after { $judged } { $unshaken ->
    [yes] unshaken runs
   *[no] runs
}, held in { $held }{ $interval }, needs { $percent }%: about { $more } more needed (--confidence 0.99 runs them)
# A likely check's 95% confidence interval (Wilson), in percent.
report-interval = { " " }(95%: { $low }%-{ $high }%)
report-tag-undecided = ~~~~
report-failed-in = run { $run } (failed in { $failed } of { $runs ->
    [one] { $runs } run
   *[other] { $runs } runs
}):
report-fence = fence: { $fence }
# The facts of the runs, a line under the heading.
facts-line = stdout: a { $stdout }; tracing: { $tracing }
facts-stdout-terminal = terminal
facts-stdout-pipe = pipe
facts-tracing-on = on
facts-tracing-off = off
facts-shaken = ; shaken runs: { $runs }
facts-shaken-run = { $run } (seed { $seed })
facts-explored-run = { $run } (schedule { $schedule })
# The HTML page of a report.
html-summary = { $passed } of { $total } checks passed, { $failed } failed, { $unreached } not reached, { $unchecked } not checked, over { $runs ->
    [one] { $runs } run
   *[other] { $runs } runs
} at time scale { $scale }
html-head-result = result
html-head-check = check
html-head-kind = kind
html-head-held = runs held
html-not-reached = not reached
html-not-checked = not checked
html-undecided = undecided
html-guaranteed = guaranteed
html-likely = likely
html-likely-needs = likely (needs { $percent }%)
html-held = { $held } of { $runs }
html-timeline-passing = Run { $run }, a passing run: who printed what, when
html-timeline-failing = Run { $run }, the first failing run: who printed what, when
html-beside = Run { $run } beside a correct run
# The first failing run beside a correct one, as two columns.
diff-beside-reference = run { $run } beside the reference run (>> marks the first line where they part):
diff-beside-spec = run { $run } beside the spec's line kinds (>> marks the first line where they part):
html-beside-spec = Run { $run } beside the line kinds the spec expects
# Gradescope's and JUnit's words for a check.
gradescope-summary = { $example }: { $passed } of { $total } checks passed over { $runs ->
    [one] { $runs } run
   *[other] { $runs } runs
}
output-not-checked = not checked: it needs the trace, and none of the { $runs } runs was traced (tracing { $tracing })
output-not-reached = not reached: none of the { $runs } runs printed a line this check judges
output-held = held in { $held } of { $runs ->
    [one] { $runs } run
   *[other] { $runs } runs
}
output-shaken = { " " }(shaken runs are not judged by likely checks)
output-likely = { " " }(likely check: needs { $percent }%)
output-interval = { " " }(95% interval { $low }%-{ $high }%)
output-undecided = ; undecided: about { $more } more judged runs needed
output-run = run { $run }
report-note = note: { $note }
report-note-run = note (run { $run }): { $note }
report-note-more = note: ... and { $count } more
facts-tracing-refused = refused: { $why }
facts-tracing-incomplete = incomplete in { $count } run(s): { $why }
# What the runs scheduled by PCT covered (coverage.rs).
coverage = schedule: PCT in { $runs } run(s) ({ $runs_at_depth } of them at depth { $depth }), n = { $tasks } tasks, k = { $points } stop points: a run at depth { $depth } shows a given ordering bug of depth <= { $depth } with probability >= 1/(n*k^(d-1)) = { $per_run }; at least one of these runs showed it, with probability >= { $at_least_once } (a bug of depth 1: >= { $depth_one })
coverage-more = {" "}(0.99 needs about { $runs } runs by PCT: --confidence 0.99)
coverage-cut = {" "}({ $valves } decision(s) forced by a valve (a task running on for 300 ms of CPU, or a park of 10 s), { $over } run(s) over budget: the bound assumes neither)
report-verdict = { $verdict }: { $summary }
