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
# Tooltips and small texts of a timeline (timeline/draw.rs, strip.rs).
picture-span-title = { $label } open from { $from } to { $to }
picture-never-closed = the end (never closed)
picture-hold-write = before a write
picture-hold-create = after creating a task
picture-hold-start = at its start
picture-hold-sleep = before a sleep
picture-hold-exit = at its exit
picture-hold-title = held { $duration } { $at } (shaken), from { $from }
picture-exec-title = exec { $path } ({ $argv }) at { $time }
picture-not-drawn = { $count } line(s) not drawn (past { $max } marks, or of tasks not drawn)
picture-mark-title = { $lane } (pid { $pid }, tid { $tid }) on { $stream } at { $time }
picture-mark-kind = {", "}a '{ $kind }' line
picture-mark-quoted = {"; "}quoted by a failing check
picture-end-title = { $lane } { $how } at { $time }
picture-open-at-once = open at once ({ $kinds })
picture-open-at-most = at most { $peak }
picture-open-title = lines open without their closing line; at most { $peak } at once
picture-stream-stdout = stdout
picture-stream-stderr = stderr
picture-link-title = { $label }: { $first } then { $then }
