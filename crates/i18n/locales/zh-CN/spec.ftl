# 规格文件的问题，写给编写它的教师。每条说在文件名和行号之后：“fork.toml:12: 检查“x”：……”。
spec-check = 检查“{$name}”：{$message}
spec-needs-field = `{$ctype}` 检查需要 `{$field}`
spec-unknown-kind = 未知的行类型“{$kind}”（已有：{$known}）
spec-no-capture = 行类型“{$kind}”没有名为“{$capture}”的捕获组（它的捕获组：{$captures}）；每种行类型还有来自跟踪的 writer.pid、writer.tid、writer.ppid 和 writer.role
spec-none = 无
spec-unknown-param = 未知的参数“{$param}”（请在 [params] 下声明）
spec-not-count = 应为不小于 0 的整数或参数名
spec-bad-values = `values` 应是列表或形如 "0..5"、"1..=n" 的范围，而不是“{$value}”
spec-bad-operand = “{$word}”既不是 KIND.CAPTURE，也不是 main_pid / adopter_pid
spec-name-empty = 规格的 `name` 为空
spec-no-lines = 规格没有任何 [[line]] 行类型
spec-two-checks = 有两项检查都叫“{$name}”
spec-no-checks = 规格没有任何 [[check]]
spec-check-name-empty = 有一项检查的 `name` 为空
spec-unknown-type = 未知的类型“{$ctype}”（已有：{$known}）
spec-field-not-for-type = 字段 `{$field}` 不适用于 `{$ctype}` 检查（它接受：name、type、likely、{$takes}）
spec-bad-likely = `likely` 是必须通过的运行所占的比例，取值在 (0, 1] 之内，而不是 {$value}
spec-kind-not-ident = 行类型名“{$name}”不是一个简单标识符
spec-kind-builtin = “{$name}”是内置的值；行类型不能用这个名字
spec-kind-twice = 行类型“{$name}”定义了两次
spec-bad-pattern = 行类型“{$name}”的模式有误：{$why}
spec-param-not-ident = 参数名“{$name}”不是一个简单标识符
spec-param-default = 参数“{$name}”的默认值必须是不小于 0 的整数或 "cpus"
spec-check-not-tables = `check` 应是由 [[check]] 表组成的列表
spec-values-need-per = `values` 需要 `per`（这些值所属的捕获组）
spec-count-either = 只能用 `exactly`，或者用 `min`/`max`，不能同时用
spec-count-needs = `count` 检查需要 `exactly`、`min` 或 `max`
spec-distinct-needs = `distinct` 检查需要 `max` 或 `min`
spec-open-needs = `open` 检查需要 `max`（上限）或 `min`（要达到的峰值）
spec-open-capacity = `capacity` 只能是 "processes"，并且要有 `min`
spec-slack = `slack` 必须是不小于 0 的数
spec-bad-exec = `exec` 模式有误：{$error}
spec-range-field = `range` 检查的 `{$field}` 必须是数或参数名
spec-range-order = `min` {$min} 大于 `max` {$max}
spec-unknown-op = 未知的运算 op“{$op}”（已有：==、!=、in、not in）
spec-right-empty = `right` 为空
spec-right-list-op = 右边是列表时，op 必须是 `in` 或 `not in`
spec-tasks-needs-role = `tasks` 检查需要 `role`（"process" 或 "thread"）
spec-tasks-role = `tasks` 检查的 `role` 只能是 "process" 或 "thread"
spec-tasks-needs = `tasks` 检查需要 `min` 或 `max`
spec-writer-role = 未知的角色“{$role}”（已有：main、process、thread）
spec-writer-process = `process` 只能是 "main" 或 "other"，而不是“{$value}”
spec-writer-needs = `writer` 检查至少需要 role、process、pid、tid、made_by、same_process、other_process、exec 中的一项

# 规格不能接受的 --param 或时间缩放。
param-time-scale = 时间缩放必须是正数，而不是 {$value}
param-unknown = {$spec} 没有参数“{$param}”（它的参数：{$known}）
param-bad-value = 参数“{$param}”需要 1 到 {$max} 之间的整数，而不是“{$value}”
