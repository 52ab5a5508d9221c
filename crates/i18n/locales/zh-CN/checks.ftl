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
list-sep = 、
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
format-every-line = 每一行都{$what}（{$quote}）；其余方面各行都正确{$advice}
format-line = 第 {$n} 行{$what}：{$quote}
format-otherwise = {$text}，除此之外它是一行“{$kind}”
format-advice-crlf = ：行尾只用 \n

# 为缓冲输出指出的原因。
cause-written-again = 原因：第 {$n} 行 {$text} 在进程 {$pid} 退出时又被写了一次：进程 {$parent} 调用 fork() 时这一行还在它的输出缓冲区里，所以两个进程都刷新了它（应在 fork() 之前刷新标准输出；在终端上这一行会立即刷新）
cause-burst = 原因：进程 {$pid} 在退出时一次写出了它的 {$count} 行：在此之前它的输出从未刷新（应在每行之后刷新，例如 print(..., flush=True)；在终端上每行打印时就会刷新）

# 规格中各类检查的失败说明。
count-exactly = 恰好 {$n}
count-between = {$min} 到 {$max}
count-at-least = 至少 {$n}
count-at-most = 至多 {$n}
count-any = 任意数量
count-found-none = 实际一行也没有
count-found = 实际有 {$count} 行：{$lines}
count-expected = 应有{$want} 行“{$kind}”，{$found}
count-expected-per = {$capture}={$value} 的“{$kind}”行应有{$want} 行，{$found}
value-not-listed = {$line} 的 {$capture}={$value}，不在 {$listed} 之中
order-with = （{$capture}={$value}）
order-before-any = {$line} 出现在所有“{$before}”行之前{$with}
order-after = {$line}（“{$before}”）出现在{$other}（“{$after}”）之后{$with}
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
relation-value-from = {$value}（{$source}）
relation-pair = {$left} = {$lvalue}，而{$right} = {$rvalue}：应满足 {$lname} {$op} {$rname}
open-at = 第 {$n} 行的 {$capture}={$value}
open-too-many = 在{$line}处，有 {$count} 行“{$open}”还没有对应的“{$close}”行（{$list}）：最多允许 {$max} 行
open-too-few = 同一时刻最多只有 {$peak} 行“{$open}”未结束（还没有对应的“{$close}”行）；应在某一时刻达到 {$need} 行
distinct-too-many = “{$kind}”行中有 {$count} 个不同的 {$capture}（{$list}）：最多允许 {$max} 个；第一个超出的在{$line}
distinct-too-few = “{$kind}”行中只有 {$count} 个不同的 {$capture}（{$list}）：应至少有 {$min} 个
range-scaled-slack = （[{$min}, {$max}] × 时间缩放 {$scale}，± 余量 {$slack}）
range-scaled = （[{$min}, {$max}] × 时间缩放 {$scale}）
range-slack = （[{$min}, {$max}] ± 余量 {$slack}）
range-outside = {$line} 的 {$capture} = {$value}，超出了 [{$lo}, {$hi}]{$how}
range-not-number = {$line} 的 {$capture} = {$value}，不是数
duration-longer = {$line} 打印 {$capture} = {$printed} 秒，但自它的“{$kind}”行（第 {$n} 行）以来只过了 {$span} 秒：打印的时间比跟踪测得的长
duration-shorter = {$line} 打印 {$capture} = {$printed} 秒，但自它的“{$kind}”行（第 {$n} 行）以来已过了 {$span} 秒：打印的时间比跟踪测得的短了不止 {$slack} 秒
exit-code-exec = 执行了路径匹配 /{$pattern}/ 的系统程序的
exit-code-since = 自上一行“{$kind}”以来
exit-code-no-child = {$line} 打印的退出码是 {$printed}，但{$since}它的写入者（进程 {$pid}）没有任何{$which}子进程结束：这不是任何子进程的退出码
exit-code-child-exec = ，{$exec}
exit-code-wrong = {$line} 打印的退出码是 {$printed}，但它等待的子进程（进程 {$pid}{$exec}）的退出码是 {$code}
tasks-thread = 进程 {$pid} 的线程 {$tid}
tasks-process = 进程 {$pid}
tasks-process-exec = 进程 {$pid}（{$exec}）
tasks-list = ：{$list}
tasks-too-few = 程序创建了 {$count} 个{$role ->
    [thread] 线程
   *[process] 进程
}{$list}；应至少 {$min} 个
tasks-too-many = 程序创建了 {$count} 个{$role ->
    [thread] 线程
   *[process] 进程
}{$list}；应至多 {$max} 个

# 跟踪所知的某一行的写入者。
writer-whose = 进程 {$pid}
writer-whose-main = 主进程 {$pid}
writer-main = 进程 {$pid}（主进程）
writer-process = 进程 {$pid}（由{$parent} 创建的进程）
writer-process-unknown = 进程 {$pid}（来历不明的进程）
writer-thread = 线程 {$tid}（{$process} 的线程）
pid-n = 进程 {$pid}
either = {$first}或{$second}

# writer、direct_child、parent_pid、cpu_time、cores_busy 检查的失败说明。
role-main = 主进程
role-process = 主进程以外的进程
role-thread = 线程（不是所在进程的主线程）
writer-who = {$line} 由{$writer}写出
writer-expected = {$who}：应由{$want}写出
writer-per = （{$capture}={$value}）
writer-of-kind = 写出“{$kind}”行{$per}的进程
writer-wrong-pid = {$who}，但它打印的 {$capture} 是 {$printed}：打印的 pid 不是写入者的 pid
writer-wrong-tid = {$who}，但它打印的 {$capture} 是 {$printed}：打印的线程 ID 不是写入者的线程 ID
writer-not-made-by = {$who}：应由{$whose}（{$pids}）创建的进程写出（直接创建，或经由它创建的进程间接创建）
writer-not-same = {$who}：应由写出“{$kind}”行{$per}的那个进程（{$pids}）写出
writer-not-other = {$who}，而它也写出了“{$kind}”行{$per}：应由另一个进程写出
writer-wrong-exec = {$who}：应由执行了路径匹配 /{$pattern}/ 的程序的进程写出（它执行的是 {$execs}）
writer-wrong-exec-none = {$who}：应由执行了路径匹配 /{$pattern}/ 的程序的进程写出（它没有执行任何程序）
writer-exec-impostor = {$who}：应由执行了路径匹配 /{$pattern}/ 的系统程序的进程写出；它执行的是 {$paths}，与系统中同名的程序不是同一个文件（是复制品，或被改了名字的别的程序）
exec-impostors = ；未计入：{$paths}，与系统中同名的程序不是同一个文件（是复制品，或被改了名字的别的程序）
direct-child-not = {$line} 由{$writer}写出：应由{$whose}（{$pids}）自己调用 fork 直接创建的子进程写出
direct-child-execd = {$line} 由进程 {$pid} 写出，它在创建后又 exec 了 {$program}：os.fork 返回两次，子进程运行的是 fork 出它的那个程序（用 Popen 或 posix_spawn 启动的程序是子进程，但不是 fork 出来的）
parent-pid-ended = {$line} 打印的父进程是 {$printed}，但它的写入者（进程 {$pid}）由进程 {$creator} 创建，而进程 {$creator} 已经结束：它的父进程应是进程 {$creator}，或收养它的进程 {$adopter}
parent-pid-alive = {$line} 打印的父进程是 {$printed}，但它的写入者（进程 {$pid}）由进程 {$creator} 创建，且进程 {$creator} 一直存活到最后：它的父进程应是进程 {$creator}
cpu-time-not-used = {$line} 打印 {$capture} = {$printed} 秒 CPU 时间，但内核为这次运行的全部 {$tasks} 个任务合计只记了 {$used} 秒：打印的 CPU 时间并没有真的用掉
cpu-time-range = {$lo} 到 {$hi}
quotient-wrong = {$line} 打印 {$capture} = {$printed}，但 {$dividend} / {$divisor} = {$a} / {$b} = {$value}：即使算上它们的舍入，这个数也不是前者除以后者
cpu-time-span-more = {$line} 打印 {$capture} = {$printed} 秒 CPU 时间，但按内核的计数，从第 {$from} 行到这一行之间这次运行的任务只用了 {$used} 秒：打印的 CPU 时间不是这段时间里用掉的（是编造的，或是在这两行之前或之后用掉的）
cpu-time-span-less = {$line} 打印 {$capture} = {$printed} 秒 CPU 时间，但按内核的计数，从第 {$from} 行到这一行之间这次运行的任务用了 {$used} 秒：打印的 CPU 时间漏掉了其中一部分
cores-unknown = 各任务的 CPU 时间或机器的计数未知
cores-machine-busy = 在这 {$seconds} 秒里机器只有 {$free} 个空闲核心，少于这项检查需要的 {$need} 个
cores-cpu-missed = 跟踪漏掉了 {$count} 个任务的 CPU 时间（它们结束时跟踪没能在退出处停下它们）
cores-too-few = 从第 {$from} 行到第 {$to} 行（{$seconds} 秒），按内核统计的 CPU 时间，移植程序的任务只让 {$busy} 个核心保持忙碌，而机器有 {$free} 个空闲核心：应至少 {$need} 个

# 一次评分的注释。
note-run = 第 {$run} 次运行：{$note}
note-not-judged = “{$name}”有 {$count} 次运行未能评判（{$why}）
note-on-stderr = 规格期望出现在标准输出上的 {$count} 行被打印到了标准错误输出，例如 {$text}（“{$kind}”）：应把它们打印到标准输出
replay-pct = （这次运行由 PCT 调度，种子 {$seed}：用 --seed {$seed} --points {$points} --depth {$depth}{$lead} --runs 1 重放）
replay-shaken = （这是一次被扰动的运行，种子 {$seed}：用 --seed {$seed} --runs 1 重放其中的停顿）
fence-max-procs = 创建进程或线程时被 --max-procs {$limit} 的上限拒绝（每次运行的进程和线程总数）
fence-max-memory = 申请内存时被 --max-memory {$limit} 字节的上限拒绝（每个进程）
fence-max-disk = 写入时被 --max-disk {$limit} 字节的上限拒绝（临时磁盘和文件大小）
fence-cpu-limit = 到达 CPU 时间上限而被杀死（每个进程的 CPU 时间上限等于 --timeout）
fence-refused = 系统调用被拒绝：{$call}
trace-enosys = 移植程序因一个系统未实现的调用（ENOSYS）而失败：在跟踪下 io_uring_setup 和 clone3 会被这样拒绝；请用普通的读写、fork 或 clone

# 跟踪为何不完整，以及混有多个写入者的行。
trace-unread = 跟踪无法确定标准输出中 {$bytes} 个字节的写入者：它们是用 {$calls} 写出的，评分程序无法追溯（请用 write 或 writev 写出）
trace-no-writer = 跟踪无法确定标准输出中 {$bytes} 个字节的写入者：没有任何被跟踪的任务写过它们（跟踪看到写到标准输出的有 {$seen} 字节，实际到达 {$arrived} 字节）
trace-went-elsewhere = 跟踪看到写到标准输出的有 {$seen} 字节，实际只到达 {$arrived} 字节：有 {$bytes} 字节去了别处
trace-output-limit = 输出超过了上限
trace-failed = 跟踪程序出错：{$error}
trace-unfinished = 跟踪程序没有结束
mixed-thread = 进程 {$pid} 的线程 {$tid}
mixed-line = 真实标准输出的第 {$n} 行 {$text} 混有 {$count} 个写入者的字节（{$writers}）：各写入者的行已分开评判；要让每行保持完整，请一次写出一整行（文本和换行符一起）
mixed-more = ……另有 {$count} 行混杂的输出

# 没有一次运行能评判的 `came_through` 检查：值经由进程共享的内存传递。
came-through-shared-memory = 未检查：通道是共享内存，跟踪看不到（见注释）
# 没有一次运行能评判的 `came_through` 检查：跟踪停止了记录通道流量（流量过大）。
came-through-cut = 未检查：程序经由管道和套接字传递的数据太多，跟踪无法全部保留（见注释）

# came_through（checks/came_through.rs）。
came-through-unmet = {$line} 打印了 {$value}，但它的写入者（进程 {$pid}）在这一行之前没有从另一个进程写入过它的管道或套接字中读到它{$exec}：{$why}
came-through-exec = ，也没有执行路径匹配 /{$pattern}/ 的系统程序
came-through-own = 它从 {$end} 读到了它，但没有别的进程把它写进这个通道
came-through-nothing = 它没有从任何管道或套接字读过东西
came-through-none-holds = 到那时它从 {$ends} 个管道或套接字端读到的 {$bytes} 字节中都没有它
came-through-stopped = 跟踪在 {$seconds} 秒时停止记录管道和套接字上的读写（读写太多）
came-through-too-much = 这次运行经由管道和套接字传递的数据超过了一个检查所搜索的上限（{$mib} MiB）
came-through-cut-why = {$why}，在进程 {$pid} 的一行之前，而跟踪没有看到那一行的值经由通道传来
came-through-shared-why = 通道是共享内存：进程 {$pid} 有 {$count} 行的值不是经由管道或套接字传来的，它与进程 {$with} 映射了同一块 {$name}，值可以不经过跟踪能看到的系统调用在其中传递

# 没有一次运行能评判的带 `joined` 的 `order` 检查：跟踪看不到写入者是否看到了另一个进程结束。
joined-not-seen = 未检查：跟踪看不到这一行的写入者是否看到了另一个进程结束（见注释）
# order 的 `joined`（checks/order.rs、joins.rs）。
joined-before-end = {$line} 写出时，它的写入者（进程 {$parent}）还没有看到写出{$other}的进程 {$pid} 结束：{$how}
joined-late = 进程 {$parent} 直到 {$at} 秒才得知它结束，晚于这一行
joined-never = 进程 {$pid} 在 {$at} 秒结束，而进程 {$parent} 没有等待过它
joined-running = 进程 {$pid} 仍在运行
joined-why = {$line}：{$why}
joined-untraced = 这次运行没有被跟踪，无法知道写入者是否看到了另一个进程结束
joined-burst = {$line} 是在写入者退出时一起刷出的，无法知道它是何时写的
joined-same-process = 两行都由同一个进程（{$pid}）写出，进程看不到自己的结束
joined-not-recorded = 跟踪没有记录对子进程的等待
joined-unknown-process = 跟踪中没有进程 {$pid}
joined-not-child = 进程 {$pid} 是由进程 {$maker} 创建的，不是由进程 {$parent} 创建的，后者无法等待它；跟踪也没有看到有进程经由管道或套接字告诉进程 {$parent} 它已结束（fork 服务器的子进程就是这样被告知的）
joined-not-child-unknown = 跟踪不知道进程 {$pid} 是由哪个进程创建的：进程 {$parent} 可能无法等待它
joined-pidfd = 进程 {$parent} 打开了进程 {$pid} 的 pidfd，并在进程 {$pid} 结束后轮询：跟踪不读取轮询的结果
joined-ready = 进程 {$pid} 结束后，进程 {$parent} 从 {$syscall} 返回：就绪的描述符（只有进程 {$pid} 持有的管道，如 Process.sentinel）或收到的 SIGCHLD 可能告诉了它，跟踪无法分辨
joined-eof = 进程 {$pid} 结束后，进程 {$parent} 读到一个已关闭的管道：它可能是只有进程 {$pid} 持有的管道（Process.sentinel），跟踪无法分辨
# 没有一次运行能评判的 `terminated_after` 检查。
terminated-not-seen = 未检查：跟踪看不到发送信号的进程是否已看到另一个进程结束（见注释）
# terminated_after（checks/terminated_after.rs）。
terminated-before-end = 进程 {$sender} 在 {$at} 秒向写出{$line}的进程 {$pid} 发送了 {$signal}，此时它还没有看到写出{$other}的进程 {$other_pid} 结束：{$how}
terminated-unsent = 进程 {$pid} 被 {$signal} 结束，而这个信号不是本次运行的任何进程发出的
joined-too-many = 这次运行中一行要等待其结束的进程超过 {$count} 个：超出的不再追踪
