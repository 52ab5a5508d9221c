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
order-with = with {$capture}={$value}
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
relation-pair = {$left} = {$lvalue} and {$right} = {$rvalue}: expected {$lname} {$op} {$rname}
open-at = {$capture}={$value} at line {$n}
open-too-many = at {$line}, {$count} '{$open}' lines are open without their '{$close}' line ({$list}): at most {$max} allowed
open-too-few = at most {$peak} '{$open}' line(s) were open at once (without their '{$close}' line); expected {$need} at some point
distinct-too-many = {$count} distinct {$capture} among '{$kind}' lines ({$list}): at most {$max} allowed; the one too many first at {$line}
distinct-too-few = {$count} distinct {$capture} among '{$kind}' lines ({$list}): at least {$min} expected
range-scaled-slack = ([{$min}, {$max}] x time scale {$scale}, +/- slack {$slack})
range-scaled = ([{$min}, {$max}] x time scale {$scale})
range-slack = ([{$min}, {$max}] +/- slack {$slack})
range-outside = {$line} has {$capture} = {$value}, outside [{$lo}, {$hi}]{$how}
range-not-number = {$line} has {$capture} = {$value}, not a number
