# grade explore: every order of a small run's stop points up to a preemption bound.
explore-replay-hint = (an explored order: replay it with --schedule { $schedule } --runs 1)
explore-needs-trace = grade explore needs the runs traced, and they were not ({ $why })
explore-summary = explore { $example }: { $runs } order(s) run, with at most { $bound } preemption(s) each and up to { $decisions } decision(s) per run; { $skipped } order(s) skipped as equivalent to one already run (independent steps swapped)
explore-covered = covered: every order within { $bound } preemption(s) was run or skipped as equivalent
explore-capped = not covered: --max-runs stopped it after { $runs } run(s)
explore-stopped-at-failure = not covered: it stopped at the first order that broke a guaranteed check
explore-diverged = not covered: { $runs } run(s) could not follow their schedule (the program's timing, not the schedule, decided something)
explore-forced = { $runs } run(s) had a decision a valve forced (a task kept running, or a park outlived its limit): their timing, not the schedule, chose there
explore-no-failure = no order broke a guaranteed check
explore-failing = order { $run } broke { $checks }: replay it with --schedule { $schedule } --runs 1
    (its stop points in order: { $order })
explore-progress = explore: run { $run }, { $pending } order(s) waiting
explore-no-example = no example given: grade explore EXAMPLE [OPTIONS] -- COMMAND [ARGS...] (see grade --list)
explore-no-command = no command given: grade explore EXAMPLE [OPTIONS] -- COMMAND [ARGS...]
cli-not-schedule = '{ $value }' is not a schedule (DECISION:TASK pairs joined by commas, as grade explore prints them, or none)
