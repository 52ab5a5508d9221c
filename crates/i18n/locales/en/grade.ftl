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
