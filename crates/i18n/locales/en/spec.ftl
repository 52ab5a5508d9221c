# A spec file's problems, for the teacher who wrote it (crates/grader/src/spec, checks' build).
# Each is said after the file and line: "fork.toml:12: check 'x': ...".
spec-check = check '{$name}': {$message}
spec-needs-field = a `{$ctype}` check needs `{$field}`
spec-unknown-kind = unknown line kind '{$kind}' (known: {$known})
spec-no-capture = line kind '{$kind}' has no capture named '{$capture}' (its captures: {$captures}); every kind also has writer.pid, writer.tid, writer.ppid and writer.role from the trace
spec-none = none
spec-unknown-param = unknown parameter '{$param}' (declare it under [params])
spec-not-count = expected a whole number >= 0 or a parameter name
spec-bad-values = `values` is a list or a range like "0..5" or "1..=n", not '{$value}'
spec-bad-operand = '{$word}' is neither KIND.CAPTURE nor main_pid / adopter_pid
spec-name-empty = the spec's `name` is empty
spec-no-lines = the spec has no [[line]] kinds
spec-two-checks = two checks are named '{$name}'
spec-no-checks = the spec has no [[check]]
spec-check-name-empty = a check's `name` is empty
spec-unknown-type = unknown type '{$ctype}' (known: {$known})
spec-field-not-for-type = field `{$field}` does not apply to a `{$ctype}` check (it takes: name, type, likely, {$takes})
spec-bad-likely = `likely` is the fraction of runs that must pass, in (0, 1], not {$value}
spec-kind-not-ident = line kind name '{$name}' is not a plain identifier
spec-kind-builtin = '{$name}' is a built-in value; a line kind cannot take its name
spec-kind-twice = line kind '{$name}' is defined twice
spec-bad-pattern = bad pattern for line kind '{$name}': {$why}
spec-param-not-ident = parameter name '{$name}' is not a plain identifier
spec-param-default = parameter '{$name}' must default to a whole number >= 0 or "cpus"
spec-check-not-tables = `check` is a list of [[check]] tables
spec-values-need-per = `values` needs `per` (the capture they are values of)
spec-count-either = use either `exactly` or `min`/`max`
spec-count-needs = a `count` check needs `exactly`, `min` or `max`
spec-distinct-needs = a `distinct` check needs `max` or `min`
spec-open-needs = an `open` check needs `max` (a bound) or `min` (a peak to reach)
spec-open-capacity = `capacity` is "processes", with a `min`
spec-slack = `slack` must be a number >= 0
spec-bad-exec = bad `exec` pattern: {$error}
spec-range-field = `{$field}` of a `range` check must be a number or a parameter name
spec-range-order = `min` {$min} is above `max` {$max}
spec-unknown-op = unknown op '{$op}' (known: ==, !=, in, not in)
spec-right-empty = `right` is empty
spec-right-list-op = a list on the right needs op `in` or `not in`
spec-tasks-needs-role = a `tasks` check needs `role` ("process" or "thread")
spec-tasks-role = a `tasks` check's `role` is "process" or "thread"
spec-tasks-needs = a `tasks` check needs `min` or `max`
spec-writer-role = unknown role '{$role}' (known: main, process, thread)
spec-writer-process = `process` is "main" or "other", not '{$value}'
spec-writer-needs = a `writer` check needs at least one of role, process, pid, tid, made_by, same_process, other_process, exec

# A --param or time scale the spec cannot take (spec/params.rs).
param-time-scale = the time scale must be a positive number, not {$value}
param-unknown = unknown parameter '{$param}' for {$spec} (its parameters: {$known})
param-bad-value = parameter '{$param}' needs a whole number from 1 to {$max}, not '{$value}'
