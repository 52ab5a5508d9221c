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
cli-unknown-argument = unexpected argument '{ $arg }' found
cli-invalid-value = invalid value '{ $value }' for '{ $arg }'{ $why }
