# The built-in checks every run gets (their English names are also their identities).
check-exit = exits with status 0
check-timeout = finishes within the timeout
check-output-limit = output stays under the limit
check-trace = the trace accounts for stdout
check-left-behind = leaves no process behind
check-lines = every line matches a pattern
check-format = line format

# A `came_through` check no run could judge: the values went through memory the processes share.
came-through-shared-memory = not checked: the channel is shared memory, which the trace cannot see (see the note)
# A `came_through` check no run could judge: the trace stopped recording channel traffic (a flood).
came-through-cut = not checked: the port moved too much through its pipes and sockets for the trace to keep (see the note)
