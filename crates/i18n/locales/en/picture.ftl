# The pictures of runs (timelines): headings, notes and legends.
picture-passed = passed
picture-failed = failed: { $check }
picture-failed-more = failed: { $check }, and { $more } more
picture-shaken = shaken with seed { $seed }
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
