# The pictures of runs (timelines): headings, notes and legends.
picture-passed = passed
picture-failed = failed: { $check }
picture-failed-more = failed: { $check }, and { $more } more
picture-shaken = shaken with seed { $seed }
picture-explored = an explored order, schedule { $schedule }
picture-untraced = not traced: every line is on the main process's lane, at its arrival
picture-title = { $example }: run { $run } of { $runs }, { $verdict }
picture-kind-line = '{ $kind }' line
picture-stdout-line = stdout line
picture-stderr-line = stderr line
picture-quoted = quoted by a failing check
picture-creates-process = creates a process
picture-creates-thread = creates a thread
picture-hand-off = hand-off
picture-open = open (a task running)
picture-held = held (shaken)
lane-main = main
lane-worker = worker
lane-child-of = child of { $pid }
lane-thread-of = thread of { $pid }
picture-counts = { $processes ->
    [one] { $processes } process
   *[other] { $processes } processes
}, { $threads ->
    [one] { $threads } thread
   *[other] { $threads } threads
}, { $lines ->
    [one] { $lines } line
   *[other] { $lines } lines
}
picture-in-all = , { $time } in all
picture-shaken-holds = , shaken (seed { $seed }, holds up to { $hold })
picture-hidden = ; { $hidden ->
    [one] { $hidden } task
   *[other] { $hidden } tasks
} not drawn (printed nothing, or past { $lanes } lanes)
picture-time-since-start = time since start
picture-exit = exit { $status }
picture-exited = exited with status { $status }
picture-killed = killed by { $signal }
picture-replaced = replaced
picture-replaced-why = removed by another thread's exec
picture-ended = ended
picture-cut = // N // a quiet stretch cut out of the time axis (N: its real length)
picture-cut-why = nothing happens for { $time }: the axis is cut here
