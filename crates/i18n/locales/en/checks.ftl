# The built-in checks every run gets (their English names are also their identities).
check-exit = exits with status 0
check-timeout = finishes within the timeout
check-output-limit = output stays under the limit
check-trace = the trace accounts for stdout
check-left-behind = leaves no process behind
check-lines = every line matches a pattern
check-format = line format

# How checks quote a run (crates/grader/src/text.rs, spec/rule.rs).
quote-cut = {$text}... ({$bytes} bytes)
quote-more = and {$count} more
list-sep = {", "}
problems-more = (and {$count} more)
line-quote = line {$n} {$text}

# Near misses: what differs, after "line N" (spec/near.rs).
near-leading = begins with a space
near-trailing = ends with a space
near-crlf = ends with \r\n
near-case = differs in letter case
near-punctuation = lacks its final '{$mark}'
near-bom = begins with a byte order mark (U+FEFF)
near-tab = has a tab where a space belongs
near-full-width = has the full-width '{$mark}' for an ASCII mark

# The built-in checks' failures (run_checks.rs).
exit-status = exited with status {$code}
exit-signal = was killed by signal {$signal}
exit-killed = did not exit on its own (the grader killed it)
exit-stderr-empty = the main process {$what}; stderr was empty
exit-stderr-tail = the main process {$what}; stderr ends with:
timeout = still running at the timeout (after {$seconds} s): the whole process tree was killed
output-limit = output limit: the output passed the cap after {$lines} lines; the rest was discarded and the process tree killed
trace-incomplete = {$why}; the checks that need the trace could not judge this run
left-behind = {$count ->
    [one] {$count} process was
   *[other] {$count} processes were
} still alive after the main process exited (killed by the grader): {$list}
left-behind-pid = pid {$pid} ({$cmdline})
line-not-utf8 = line {$n} is not valid UTF-8: {$text}
line-run-together = line {$n} {$text} is two expected lines run together ({$first} + {$second}): two processes wrote at once; write each line in one call (text and newline together) and flush
line-cut-in-two = line {$n} {$text} is another line written into the middle of an expected line (which begins {$prefix} and ends on line {$next}): write each line in one call (text and newline together) and flush
line-no-pattern = line {$n} {$text} matches no pattern
format-no-newline = line {$n} {$text} has no newline after it: end the last line with \n
format-every-line = every line {$what} ({$quote}); otherwise the lines are right{$advice}
format-line = line {$n} {$what}: {$quote}
format-otherwise = {$text} is otherwise a '{$kind}' line
format-advice-crlf = : end lines with \n only

# Causes named for buffered output (causes.rs).
cause-written-again = cause: line {$n} {$text} was written again by pid {$pid} as it exited: the line was still in pid {$parent}'s output buffer when it forked, so both processes flushed it (flush stdout before fork; at a terminal the line is flushed at once)
cause-burst = cause: pid {$pid} wrote its {$count} lines in one burst as it exited: its output was never flushed until then (flush after each line, e.g. print(..., flush=True); at a terminal lines are flushed as printed)

# Spec check types' failures (checks/*.rs).
count-exactly = exactly {$n}
count-between = between {$min} and {$max}
count-at-least = at least {$n}
count-at-most = at most {$n}
count-any = any number
count-found-none = found none
count-found = found {$count}: {$lines}
count-expected = expected {$want} '{$kind}' line(s), {$found}
count-expected-per = expected {$want} '{$kind}' line(s) with {$capture}={$value}, {$found}
value-not-listed = {$line} has {$capture}={$value}, not one of {$listed}
order-with = {" "}with {$capture}={$value}
order-before-any = {$line} comes before any '{$before}' line{$with}
order-after = {$line} ('{$before}') comes after {$other} ('{$after}'){$with}
end-no-output = there is no output, so no {$which ->
    [first] first
   *[other] last
} '{$kind}' line
end-wrong = the {$which ->
    [first] first
   *[other] last
} line is line {$n} {$text}, not a '{$kind}' line
sequence-out-of-order = {$line} ({$capture}={$value}) comes after {$other} ({$capture}={$other_value}): expected the order {$listed}
relation-source = {$line} has {$operand}
relation-set = {$left} = {$value}: expected {$lname} {$op} [{$rname}], which here {$set}
relation-set-empty = is empty
relation-set-are = are {$values}
relation-value-from = {$value} ({$source})
relation-pair = {$left} = {$lvalue} and {$right} = {$rvalue}: expected {$lname} {$op} {$rname}
open-at = {$capture}={$value} at line {$n}
open-too-many = at {$line}, {$count} '{$open}' lines are open without their '{$close}' line ({$list}): at most {$max} allowed
open-too-few = at most {$peak} '{$open}' line(s) were open at once (without their '{$close}' line); expected {$need} at some point
distinct-too-many = {$count} distinct {$capture} among '{$kind}' lines ({$list}): at most {$max} allowed; the one too many first at {$line}
distinct-too-few = {$count} distinct {$capture} among '{$kind}' lines ({$list}): at least {$min} expected
range-scaled-slack = {" "}([{$min}, {$max}] x time scale {$scale}, +/- slack {$slack})
range-scaled = {" "}([{$min}, {$max}] x time scale {$scale})
range-slack = {" "}([{$min}, {$max}] +/- slack {$slack})
range-outside = {$line} has {$capture} = {$value}, outside [{$lo}, {$hi}]{$how}
range-not-number = {$line} has {$capture} = {$value}, not a number
duration-longer = {$line} prints {$capture} = {$printed} s, but only {$span} s passed since its '{$kind}' line (line {$n}): the printed time is longer than the trace measured
duration-shorter = {$line} prints {$capture} = {$printed} s, but {$span} s passed since its '{$kind}' line (line {$n}): the printed time is shorter than the trace measured by more than {$slack} s
exit-code-exec = {" "}that exec'd the system's program matching /{$pattern}/
exit-code-since = {" "}since its previous '{$kind}' line
exit-code-no-child = {$line} prints the exit code {$printed}, but no child process of its writer (pid {$pid}){$which} ended{$since}: it is no child's exit code
exit-code-child-exec = {", "}{$exec}
exit-code-wrong = {$line} prints the exit code {$printed}, but the child it waited for (pid {$pid}{$exec}) ended with {$code}
tasks-thread = tid {$tid} of pid {$pid}
tasks-process = pid {$pid}
tasks-process-exec = pid {$pid} ({$exec})
tasks-list = : {$list}
tasks-too-few = the program made {$count} {$role ->
    [thread] thread(s)
   *[process] process(es)
}{$list}; expected at least {$min}
tasks-too-many = the program made {$count} {$role ->
    [thread] thread(s)
   *[process] process(es)
}{$list}; expected at most {$max}

# Who wrote a line, as the trace knows it (writer.rs).
writer-whose = pid {$pid}
writer-whose-main = pid {$pid}, the main process
writer-main = pid {$pid} (the main process)
writer-process = pid {$pid} (a process made by {$parent})
writer-process-unknown = pid {$pid} (a process of unknown origin)
writer-thread = tid {$tid} (a thread of {$process})
pid-n = pid {$pid}
either = {$first} or {$second}

# `writer`, `direct_child`, `parent_pid`, `cpu_time`, `cores_busy` checks' failures.
role-main = the main process
role-process = a process other than the main one
role-thread = a thread (not its process's main thread)
writer-who = {$line} was written by {$writer}
writer-expected = {$who}: expected {$want}
writer-per = {" "}with {$capture}={$value}
writer-of-kind = the writer of the '{$kind}' line{$per}
writer-wrong-pid = {$who}, but prints {$printed} as {$capture}: the printed pid is not the writer's
writer-wrong-tid = {$who}, but prints {$printed} as {$capture}: the printed thread id is not the writer's
writer-not-made-by = {$who}: expected a process made by {$whose} ({$pids}), directly or through processes it made
writer-not-same = {$who}: expected the process that wrote the '{$kind}' line{$per} ({$pids})
writer-not-other = {$who}, which also wrote the '{$kind}' line{$per}: expected another process
writer-wrong-exec = {$who}: expected a process that exec'd a program whose path matches /{$pattern}/ (it exec'd {$execs})
writer-wrong-exec-none = {$who}: expected a process that exec'd a program whose path matches /{$pattern}/ (it exec'd nothing)
writer-exec-impostor = {$who}: expected a process that exec'd the system's program whose path matches /{$pattern}/; it exec'd {$paths}, another file than the system's program of that name (a copy, or another program given the name)
exec-impostors = {"; "}not counted: {$paths}, another file than the system's program of that name (a copy, or another program given the name)
direct-child-not = {$line} was written by {$writer}: expected a child of {$whose} ({$pids}) itself, made by its own fork
direct-child-execd = {$line} was written by pid {$pid}, which exec'd {$program} after it was created: os.fork returns twice, so the child runs the program it was forked from (a program started with Popen or posix_spawn is a child, not a fork)
parent-pid-ended = {$line} prints {$printed} as its parent, but its writer (pid {$pid}) was made by pid {$creator}, which ended: its parent was pid {$creator} or, adopted, pid {$adopter}
parent-pid-alive = {$line} prints {$printed} as its parent, but its writer (pid {$pid}) was made by pid {$creator}, alive to the end: its parent was pid {$creator}
cpu-time-not-used = {$line} prints {$capture} = {$printed} s of CPU time, but the kernel counted {$used} s for all {$tasks} tasks of the run together: the printed CPU time was not used
cpu-time-range = {$lo} to {$hi}
quotient-wrong = {$line} prints {$capture} = {$printed}, but {$dividend} / {$divisor} = {$a} / {$b} = {$value}: the figure is not the one over the other (even allowing for their rounding)
cpu-time-span-more = {$line} prints {$capture} = {$printed} s of CPU time, but the run's tasks used {$used} s between line {$from} and it, as the kernel counted: the printed CPU time was not used then (made up, or used before or after those lines)
cpu-time-span-less = {$line} prints {$capture} = {$printed} s of CPU time, but the run's tasks used {$used} s between line {$from} and it, as the kernel counted: the printed CPU time leaves out what they used
cores-unknown = the CPU times or the machine's counts are unknown
cores-machine-busy = the machine had {$free} free cores over those {$seconds} s, fewer than the {$need} the check needs
cores-cpu-missed = the trace missed the CPU time of {$count} task(s) (they ended without an exit stop)
cores-too-few = from line {$from} to line {$to} ({$seconds} s) the port's tasks kept {$busy} cores busy, as the kernel counted their CPU time, while the machine had {$free} free: expected at least {$need}

# Notes of a grading (judge.rs, fencing.rs, trace_refusals.rs).
note-run = run {$run}: {$note}
note-not-judged = '{$name}' was not judged in {$count} run(s) ({$why})
note-on-stderr = {$count} line(s) the spec expects on stdout were printed on stderr, e.g. {$text} ('{$kind}'): print them on stdout
replay-pct = (a run scheduled by PCT, seed {$seed}: replay it with --seed {$seed} --points {$points} --depth {$depth}{$lead} --runs 1)
replay-shaken = (a shaken run, seed {$seed}: replay its holds with --seed {$seed} --runs 1)
fence-max-procs = a process or thread was refused at the limit --max-procs {$limit} (processes and threads per run)
fence-max-memory = memory was refused at the limit --max-memory {$limit} bytes (per process)
fence-max-disk = a write was refused at the limit --max-disk {$limit} bytes (scratch disk and file size)
fence-cpu-limit = killed at the CPU time limit (--timeout of CPU time per process)
fence-refused = refused {$call}
trace-enosys = the port failed on a call the system did not implement (ENOSYS): under the trace io_uring_setup and clone3 are refused that way; use plain reads and writes, fork or clone

# Why a run's trace is incomplete, and lines of several writers (run/attribute.rs, run/supervise.rs).
trace-unread = the trace could not attribute {$bytes} bytes of stdout: written with {$calls}, which the grader cannot attribute (write them with write or writev)
trace-no-writer = the trace could not attribute {$bytes} bytes of stdout: written by no traced task (the trace saw {$seen} bytes written to stdout, {$arrived} arrived)
trace-went-elsewhere = the trace saw {$seen} bytes written to stdout, only {$arrived} arrived: {$bytes} bytes went elsewhere
trace-output-limit = the output passed the limit
trace-failed = the tracer failed: {$error}
trace-unfinished = the tracer did not finish
mixed-thread = pid {$pid} tid {$tid}
mixed-line = line {$n} of the real stdout {$text} mixes bytes of {$count} writers ({$writers}): each writer's lines were judged apart; to keep lines whole, write each line in one call (text and newline together)
mixed-more = ... {$count} more mixed lines

# A `came_through` check no run could judge: the values went through memory the processes share.
came-through-shared-memory = not checked: the channel is shared memory, which the trace cannot see (see the note)
# A `came_through` check no run could judge: the trace stopped recording channel traffic (a flood).
came-through-cut = not checked: the port moved too much through its pipes and sockets for the trace to keep (see the note)

# came_through (checks/came_through.rs).
came-through-unmet = {$line} prints {$value}, but its writer (pid {$pid}) read it from no pipe or socket another process wrote it into before the line{$exec}: {$why}
came-through-exec = , nor did it exec the system's program matching /{$pattern}/
came-through-own = it read it from {$end}, but no other process wrote it into that channel
came-through-nothing = it read nothing from any pipe or socket
came-through-none-holds = none of the {$bytes} bytes it read from {$ends} pipe or socket end(s) by then holds it
came-through-stopped = the trace stopped recording reads and writes on pipes and sockets at {$seconds} s (too many of them)
came-through-too-much = the run moved more through its pipes and sockets than a check searches ({$mib} MiB)
came-through-cut-why = {$why}, before a line of pid {$pid} whose value it did not see come through one
came-through-shared-why = the channel is shared memory: pid {$pid}, whose {$count} line(s) got their value through no pipe or socket, maps {$name} with pid {$with}, and values can pass through it without a system call the trace sees

# An `order` check with `joined` no run could judge: the trace could not see whether the writer saw the other processes end.
joined-not-seen = not checked: the trace could not see whether the line's writer saw the other process end (see the note)
# order's `joined` (checks/order.rs, joins.rs).
joined-before-end = {$line} was written before its writer (pid {$parent}) saw pid {$pid}, which wrote {$other}, end: {$how}
joined-late = pid {$parent} learned of its end only at {$at} s, after the line
joined-never = pid {$pid} ended at {$at} s, and pid {$parent} had not waited for it
joined-running = pid {$pid} was still running
joined-why = {$line}: {$why}
joined-untraced = the run was not traced, so whether the writer saw the other process end is unknown
joined-burst = {$line} was flushed at its writer's exit, so when it was written is unknown
joined-same-process = one process (pid {$pid}) wrote both lines, and a process cannot see its own end
joined-not-recorded = the trace did not record waits for children
joined-unknown-process = the trace has no process {$pid}
joined-not-child = pid {$pid} was made by pid {$maker}, not by pid {$parent}, which cannot wait for it, and the trace saw no process tell pid {$parent} of its end through a pipe or socket (a fork server's child is told through one)
joined-not-child-unknown = the trace does not know which process made pid {$pid}: pid {$parent} may not be able to wait for it
joined-pidfd = pid {$parent} opened a pidfd of pid {$pid} and polled after pid {$pid} ended: the trace does not read what the poll found
joined-ready = pid {$parent} returned from {$syscall} after pid {$pid} ended: a descriptor found ready (a pipe only pid {$pid} held, as a Process.sentinel is) or a SIGCHLD taken may have told it, which the trace cannot tell
joined-eof = pid {$parent} read a pipe closed after pid {$pid} ended: it may have been a pipe only pid {$pid} held (a Process.sentinel), which the trace cannot tell
# A `terminated_after` check no run could judge.
terminated-not-seen = not checked: the trace could not see whether the process that sent the signal had seen the other process end (see the note)
# terminated_after (checks/terminated_after.rs).
terminated-before-end = pid {$sender} sent {$signal} to pid {$pid}, which wrote {$line}, at {$at} s, before it saw pid {$other_pid}, which wrote {$other}, end: {$how}
terminated-unsent = pid {$pid} was ended by {$signal}, which no process of the run sent
joined-too-many = the run has more than {$count} processes whose ends a line waits for: past them, none is followed
