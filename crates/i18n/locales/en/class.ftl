# grade class: the table on stdout and the class's index page.
class-head-submission = submission
class-head-build = build
class-head-verdict = verdict
class-head-checks = checks
class-head-detail = first failed check / why not graded
class-word-ok = ok
class-word-failed = failed
class-word-pass = pass
class-word-fail = fail
class-word-not-graded = not-graded
class-summary = { $submissions ->
    [one] { $submissions } submission
   *[other] { $submissions } submissions
}: { $pass } pass, { $fail } fail, { $not_graded } not graded; { $seconds } s with { $jobs ->
    [one] { $jobs } job
   *[other] { $jobs } jobs
}
class-word-cargo = cargo
class-word-rs = rs
class-word-py = py
class-word-unknown = unknown
# The class's index page.
class-html-at-scale = { " " }at time scale { $scale }
class-html-intro = { $submissions ->
    [one] { $submissions } submission
   *[other] { $submissions } submissions
}, { $runs ->
    [one] { $runs } run
   *[other] { $runs } runs
} each{ $scale }, graded in { $seconds } s with { $jobs ->
    [one] { $jobs } job
   *[other] { $jobs } jobs
}. Click a column to sort.
class-html-form = form
class-html-checks-passed = checks passed
class-html-reports = reports
class-html-seconds = seconds
class-html-link-html = html
class-html-link-text = text
class-html-link-json = json
class-html-link-build-log = build log
# grade class: progress on stderr.
class-progress-not-graded = not graded: { $why } ({ $seconds } s)
class-progress-built = built in { $seconds } s
class-progress-checks = { $passed }/{ $total } checks passed,{ " " }
class-progress-seconds = { $seconds } s
class-progress-still = still running: { $summary }
class-progress-summary = { $pass } pass, { $fail } fail, { $not_graded } not graded | building { $building }, grading { $grading }
class-progress-building = building
class-progress-grading = grading
class-progress-slowest = { " " }| slowest: { $name } ({ $what } { $seconds } s)
