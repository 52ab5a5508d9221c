# The grade command: grading one port.
grade-stopped-early = stopped after { $runs ->
    [one] { $runs } run
   *[other] { $runs } runs
}: the verdict could not change (--all-runs makes them all)
grade-needs-dashes = { $error }: the port's command goes after `--`, as in grade EXAMPLE [OPTIONS] -- { $arg } ...
grade-bad-arguments = { $error } (see { $help })
grade-bad-lang = --lang { $value }: not a language here (en or zh)
grade-no-example = no example given: grade EXAMPLE [OPTIONS] -- COMMAND [ARGS...] (see grade --list)
grade-no-command = no command given: grade EXAMPLE [OPTIONS] -- COMMAND [ARGS...]
grade-example-is-command = '{ $name }' is no example; did you mean the command 'grade { $command }'? (see grade --list for the examples)
grade-unknown-example = unknown example '{ $name }' (known: { $known })
grade-unknown-example-like = unknown example '{ $name }': did you mean '{ $like }'? (known: { $known })
grade-trace-refused = cannot trace the runs ({ $why }): graded untraced, checks that need the trace are not checked
grade-fence-on = runs fenced (namespaces, Landlock, seccomp, limits; the report says which)
grade-fence-partial = runs fenced, some fences missing (the report says which)
grade-fence-off = { $why }
# The progress line on stderr while runs go.
progress-starting = starting the first run
# After the message; indicatif replaces {"{"}elapsed{"}"}.
progress-this-run = , this run {"{"}elapsed{"}"}
progress-run = run { $run } of { $runs }, { $passed } passed so far
progress-run-took = run { $run } of { $runs } took { $seconds } s, { $passed } passed so far
grade-fence-off-asked = runs not fenced (--no-fence)
# The command line's complaints about a value (clap's own words are used in English).
cli-not-positive = '{ $value }' is not a positive number
cli-too-large = '{ $value }' is too large
cli-not-size = '{ $value }' is not a size (bytes, or a number with K, M or G)
cli-runs-at-least-1 = the runs must be at least 1
cli-not-runs = '{ $value }' is not a whole number of runs
cli-reference-empty = --reference needs a command
cli-not-command-line = '{ $value }' is not a command line (an unclosed quote?)
cli-not-fraction = '{ $value }' is not a fraction from 0 to 1
cli-not-key-value = '{ $value }' is not K=V
cli-not-env = '{ $value }' is not NAME or NAME=VALUE (a NAME is letters, digits and _, not starting with a digit)
cli-unknown-argument = unexpected argument '{ $arg }' found
cli-invalid-value = invalid value '{ $value }' for '{ $arg }'{ $why }
# Options a grading cannot use (grade.rs, main_trace.rs).
opt-env-time-scale = { $name }={ $value } in the environment is not a positive number up to { $max }
opt-env-seed = { $name }={ $value } in the environment is not an integer
opt-runs = --runs must be at least 1
opt-timeout-zero = --timeout must be above 0
opt-timeout-max = --timeout must be at most { $max } seconds (a day)
opt-time-scale = --time-scale must be a positive number up to { $max }, not { $value }
opt-depth = --depth must be at least 1
opt-confidence = --confidence must be a probability above 0 and below 1, not { $value }
opt-shake = --shake must be a fraction from 0 to 1, not { $value }
opt-no-command = no command to grade
opt-pair-after = --pair-after needs --pair
opt-pair-fence = --pair needs the fence (a loopback of the run's own): drop --no-fence
opt-pair-namespace = --pair needs a network namespace of the run's own, and here there is none ({ $why })
# grade trace (main_trace.rs).
trace-no-command = no command given: grade trace [-o FILE] -- COMMAND [ARGS...]
trace-title-scaled = { $command } (time scale { $scale })
trace-timed-out = killed at the { $seconds } s timeout
trace-wrote = wrote { $file }: { $tasks ->
    [one] { $tasks } task
   *[other] { $tasks } tasks
}, { $lines ->
    [one] { $lines } line
   *[other] { $lines } lines
}{ $end }
trace-main-end = {"; "}the main process { $how }
trace-end-replaced = was replaced
# Files the grader reads or writes.
cannot-write = cannot write { $path }: { $error }
spec-read = cannot read the spec: { $error }
spec-read-not-file = cannot read the spec: not a regular file
spec-read-too-big = cannot read the spec: { $bytes } bytes, more than the { $max } a spec may have
spec-read-grew = cannot read the spec: more than the { $max } bytes a spec may have
cannot-make = cannot make { $path }: { $error }
cannot-write-report = cannot write the report: { $error }
# A run that could not be done (run/).
os-subreaper = cannot become a child subreaper: { $error }
os-read-stdout = cannot read stdout: { $error }
os-read-stderr = cannot read stderr: { $error }
os-wait-port = cannot wait for the port: { $error }
os-wait-main = cannot wait for the main process: { $error }
os-watch-main = cannot watch the main process: { $error }
os-pass-pty = cannot pass the pseudo-terminal on: { $error }
os-open-pty = cannot open a pseudo-terminal: { $error }
os-setup-pty = cannot set up the pseudo-terminal: { $error }
os-read-pty = cannot read the pseudo-terminal's settings: { $error }
os-set-pty = cannot set the pseudo-terminal's settings: { $error }
run-fence = cannot fence the run: { $error }
run-is-dir = command is a directory: { $command }
run-no-interpreter = command not found: { $command } (its interpreter does not exist)
run-not-found = command not found: { $command }
run-not-executable = command not executable: { $command } (permission denied)
run-cannot-start = cannot start command { $command }: { $error }
run-not-found-why = command not found: { $command } ({ $error })
run-cannot-trace = cannot trace the port: { $error }
cli-runs-too-many = '{ $value }' runs are too many
cli-used-twice = the argument '{ $arg }' cannot be used multiple times
cli-conflict = the argument '{ $arg }' cannot be used with '{ $other }'
cli-missing = the following required arguments were not provided: { $args }
