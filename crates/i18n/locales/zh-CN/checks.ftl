# 每次运行都有的内置检查。
check-exit = 以状态 0 退出
check-timeout = 在时限内结束
check-output-limit = 输出不超过上限
check-trace = 跟踪能说明标准输出的每个字节
check-left-behind = 不留下任何进程
check-lines = 每一行都匹配某个模式
check-format = 行的格式

# 检查如何引用一次运行的输出。
quote-cut = {$text}……（共 {$bytes} 字节）
quote-more = 等另外 {$count} 项
problems-more = （另有 {$count} 处）
line-quote = 第 {$n} 行 {$text}

# 近似匹配：与行类型的差别（接在“第 N 行”之后）。
near-leading = 以空格开头
near-trailing = 以空格结尾
near-crlf = 以 \r\n 结尾
near-case = 字母大小写不同
near-punctuation = 缺少结尾的“{$mark}”
near-bom = 以字节顺序标记（U+FEFF）开头
near-tab = 该用空格的地方用了制表符
near-full-width = 用了全角的“{$mark}”，应为半角标点

# 内置检查的失败说明。
exit-status = 以状态 {$code} 退出
exit-signal = 被信号 {$signal} 杀死
exit-killed = 没有自行退出（被评分程序杀死）
exit-stderr-empty = 主进程{$what}；标准错误输出为空
exit-stderr-tail = 主进程{$what}；标准错误输出的结尾是：
timeout = 到了超时仍在运行（{$seconds} 秒后）：整个进程树已被杀死
output-limit = 输出超限：输出在 {$lines} 行后超过上限；其余输出被丢弃，进程树已被杀死
trace-incomplete = {$why}；需要跟踪记录的检查无法评判这次运行
left-behind = 主进程退出后仍有 {$count} 个进程存活（已被评分程序杀死）：{$list}
left-behind-pid = 进程 {$pid}（{$cmdline}）
line-not-utf8 = 第 {$n} 行不是有效的 UTF-8：{$text}
line-run-together = 第 {$n} 行 {$text} 是两行预期输出连在了一起（{$first} + {$second}）：两个进程同时写入；每行应一次写出（文本和换行符一起）并刷新
line-cut-in-two = 第 {$n} 行 {$text} 是写进一行预期输出中间的另一行（那一行以 {$prefix} 开头，在第 {$next} 行结束）：每行应一次写出（文本和换行符一起）并刷新
line-no-pattern = 第 {$n} 行 {$text} 不匹配任何模式
format-no-newline = 第 {$n} 行 {$text} 后面没有换行符：最后一行也要以 \n 结尾
format-every-line = 每一行都{$what}（{$quote}）；除此之外各行都正确{$advice}
format-line = 第 {$n} 行{$what}：{$quote}
format-otherwise = {$text} 除此之外是一行“{$kind}”
format-advice-crlf = ：行尾只用 \n

# 为缓冲输出指出的原因。
cause-written-again = 原因：第 {$n} 行 {$text} 在进程 {$pid} 退出时又被写了一次：进程 {$parent} 调用 fork() 时这一行还在它的输出缓冲区里，所以两个进程都刷新了它（应在 fork() 之前刷新标准输出；在终端上这一行会立即刷新）
cause-burst = 原因：进程 {$pid} 在退出时一次写出了它的 {$count} 行：在此之前它的输出从未刷新（应在每行之后刷新，例如 print(..., flush=True)；在终端上每行打印时就会刷新）

# 规格中各类检查的失败说明。
count-exactly = 恰好 {$n}
count-between = {$min} 到 {$max}
count-at-least = 至少 {$n}
count-at-most = 至多 {$n}
count-any = 任意数量的
count-found-none = 实际一行也没有
count-found = 实际有 {$count} 行：{$lines}
count-expected = 应有{$want}行“{$kind}”，{$found}
count-expected-per = {$capture}={$value} 的“{$kind}”行应有{$want}行，{$found}
value-not-listed = {$line} 的 {$capture}={$value}，不在 {$listed} 之中
order-with = （{$capture}={$value}）
order-before-any = {$line} 出现在所有“{$before}”行之前{$with}
order-after = {$line}（“{$before}”）出现在 {$other}（“{$after}”）之后{$with}
end-no-output = 没有任何输出，所以没有作为{$which ->
    [first] 第一行
   *[other] 最后一行
}的“{$kind}”行
end-wrong = {$which ->
    [first] 第一行
   *[other] 最后一行
}是第 {$n} 行 {$text}，不是“{$kind}”行
sequence-out-of-order = {$line}（{$capture}={$value}）出现在 {$other}（{$capture}={$other_value}）之后：应按 {$listed} 的顺序
relation-source = {$line} 中的 {$operand}
relation-set = {$left} = {$value}：应满足 {$lname} {$op} [{$rname}]，而这里{$set}
relation-set-empty = 它为空
relation-set-are = 它是 {$values}
relation-pair = {$left} = {$lvalue}，而 {$right} = {$rvalue}：应满足 {$lname} {$op} {$rname}
open-at = 第 {$n} 行的 {$capture}={$value}
open-too-many = 在{$line}处，有 {$count} 行“{$open}”还没有对应的“{$close}”行（{$list}）：最多允许 {$max} 行
open-too-few = 同一时刻最多只有 {$peak} 行“{$open}”未结束（还没有对应的“{$close}”行）；应在某一时刻达到 {$need} 行
distinct-too-many = “{$kind}”行中有 {$count} 个不同的 {$capture}（{$list}）：最多允许 {$max} 个；第一个超出的在{$line}
distinct-too-few = “{$kind}”行中只有 {$count} 个不同的 {$capture}（{$list}）：应至少有 {$min} 个
range-scaled-slack = （[{$min}, {$max}] × 时间倍率 {$scale}，± 余量 {$slack}）
range-scaled = （[{$min}, {$max}] × 时间倍率 {$scale}）
range-slack = （[{$min}, {$max}] ± 余量 {$slack}）
range-outside = {$line} 的 {$capture} = {$value}，超出了 [{$lo}, {$hi}]{$how}
range-not-number = {$line} 的 {$capture} = {$value}，不是数
