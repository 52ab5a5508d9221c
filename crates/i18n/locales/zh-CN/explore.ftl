# grade explore：在抢占次数上限内，穷举一次小运行各停止点的所有顺序。
explore-replay-hint = （一个穷举出的顺序：用 --schedule { $schedule } --runs 1 重放）
explore-needs-trace = grade explore 需要跟踪运行，而这些运行没有被跟踪（{ $why }）
explore-summary = 穷举 { $example }：运行了 { $runs } 种顺序，每种至多 { $bound } 次抢占，每次运行至多 { $decisions } 个决定；{ $skipped } 种顺序与已运行的等价（只交换了互不相干的步骤），已跳过
explore-covered = 已覆盖：{ $bound } 次抢占以内的每种顺序都已运行，或作为等价顺序跳过
explore-capped = 未覆盖：--max-runs 在 { $runs } 次运行后让它停下
explore-stopped-at-failure = 未覆盖：它在第一个违反必然检查的顺序处停下
explore-diverged = 未覆盖：{ $runs } 次运行没能按其调度进行（是程序的时机而不是调度决定了某一步）
explore-forced = { $runs } 次运行中有被安全阀强制的决定（某任务一直在运行，或某次停放超过上限）：那里是时机而不是调度做的选择
explore-no-failure = 没有哪个顺序违反必然检查
explore-failing = 第 { $run } 个顺序违反了 { $checks }：用 --schedule { $schedule } --runs 1 重放
    （其停止点的顺序：{ $order }）
explore-progress = 穷举：第 { $run } 次运行，还有 { $pending } 种顺序待运行
explore-no-example = 没有给出示例：grade explore 示例 [选项] -- 命令 [参数...]（见 grade --list）
explore-no-command = 没有给出命令：grade explore 示例 [选项] -- 命令 [参数...]
cli-not-schedule = “{ $value }”不是调度（用逗号连接的 决定:任务 对，如 grade explore 所印，或 none）
