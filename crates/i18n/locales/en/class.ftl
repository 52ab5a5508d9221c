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
