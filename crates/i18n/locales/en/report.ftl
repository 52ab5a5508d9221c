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
report-also-not-reached = , { $reached } not reached
report-also-not-checked = , { $checked } not checked
report-tag-pass = PASS
report-tag-fail = FAIL
report-tag-not-reached = ----
report-tag-not-checked = ????
report-not-checked = not checked: it needs the trace, and no run was traced
report-not-reached = not reached: no run printed a line it judges
# $unshaken is "yes" when shaken runs were left out of the count.
report-likely = likely: held in { $held } of { $judged } { $unshaken ->
    [yes] unshaken runs
   *[no] runs
}, needs { $percent }%
report-failed-in = run { $run } (failed in { $failed } of { $runs ->
    [one] { $runs } run
   *[other] { $runs } runs
}):
