# grade class：标准输出上的表格和全班的索引页。
class-head-submission = 提交
class-head-build = 构建
class-head-verdict = 结论
class-head-checks = 检查
class-head-detail = 第一项未通过的检查 / 未评分的原因
class-word-ok = 成功
class-word-failed = 失败
class-word-pass = 通过
class-word-fail = 未通过
class-word-not-graded = 未评分
class-summary = { $submissions } 份提交：{ $pass } 份通过，{ $fail } 份未通过，{ $not_graded } 份未评分；用时 { $seconds } 秒，{ $jobs } 个并行任务
class-word-cargo = Cargo 项目
class-word-rs = 单个 .rs 文件
class-word-py = 单个 .py 文件
class-word-unknown = 未知
class-html-at-scale = ，时间缩放 { $scale }
class-html-intro = { $submissions } 份提交，每份运行 { $runs } 次{ $scale }；评分用时 { $seconds } 秒，{ $jobs } 个并行任务。点击列标题可排序。
class-html-form = 形式
class-html-checks-passed = 通过的检查
class-html-reports = 报告
class-html-seconds = 秒
class-html-link-html = 网页
class-html-link-text = 文本
class-html-link-json = JSON
class-html-link-build-log = 构建日志
class-progress-not-graded = 未评分：{ $why }（{ $seconds } 秒）
class-progress-built = 构建用时 { $seconds } 秒
class-progress-checks = 通过 { $passed }/{ $total } 项检查，
class-progress-seconds = { $seconds } 秒
class-progress-still = 仍在运行：{ $summary }
class-progress-summary = { $pass } 份通过，{ $fail } 份未通过，{ $not_graded } 份未评分 | 构建中 { $building }，评分中 { $grading }
class-progress-building = 构建
class-progress-grading = 评分
class-progress-slowest = { " " }| 最慢：{ $name }（{ $what } { $seconds } 秒）
# 某份作业为何没有评分（表格和索引页的最后一列、构建日志）。
class-why-no-toolchain = 没有 Rust 工具链
class-why-no-file-name = 作业没有文件名
class-why-cannot-copy = 无法复制作业：{ $error }
class-why-cannot-copy-project = 无法复制项目：{ $error }
class-why-no-program = 文件夹里没有 Cargo.toml，也没有 .rs 或 .py 文件
class-why-many-programs = 没有 Cargo.toml，却有 { $count } 个 .rs/.py 文件：哪一个是程序？
class-why-not-submission = 不是一份作业
class-why-no-binary = 项目没有可执行目标（binary target）
class-why-many-binaries = 项目有 { $count } 个可执行目标（{ $names }），没有一个与包同名
class-why-too-large = 项目（不含 target/）超过 { $mib } MiB
class-why-cannot-run = 无法运行 { $program }：{ $error }
class-why-timeout = { $program } 没有在构建时限（{ $seconds } 秒）内完成：已被杀死
class-why-status = { $program } 失败，退出状态 { $code }
class-why-signal = { $program } 被信号 { $signal } 杀死
class-why-failed = { $program } 失败
class-why-no-worker = 没有工作线程接手它
class-why-panic = 评分程序崩溃（panic）：{ $text }
class-panic-unknown = 一次 panic
class-refused-git = 已拒绝：{ $at }：git = { $url }（只允许 crates.io 和作业内部的路径；--allow-git 可放行 https:// 上的 git）
class-refused-path = 已拒绝：{ $at }：path = { $path } 在作业之外
class-refused-registry = 已拒绝：{ $at }：{ $key } = { $value }（只允许 crates.io）
class-refused-source = 已拒绝：{ $at } 中的包 { $name }：source = { $source }（只允许 crates.io）
class-refused-source-git = 已拒绝：{ $at } 中的包 { $name }：source = { $source }（只允许 crates.io；--allow-git 可放行 https:// 上的 git）
# 构建日志里评分程序自己写的行。
class-log-left-running = 这一步留下的 { $count } 个仍在运行的进程已被杀死
class-log-python = { $file }：Python 文件，无需构建：用 python3 运行
class-log-build-ok = 构建成功：运行 { $command }
class-log-build-failed = 构建失败：{ $why }
class-log-copied = { $entry }：已复制到 { $file }，它的构建和运行只能读到班级文件夹里的这些内容
class-log-cargo = { $source }：Cargo 项目，在 { $copy } 中的副本上作为独立的工作区构建
class-log-fetch-online = 教师的 registry 缓存里没有全部依赖：从 crates.io 获取
class-log-encloses = 警告：{ $outer } 包含了这个副本：cargo 可能把它当作工作区
class-log-left-out = 没有复制：{ $path }（{ $why }）
class-log-cargo-home = 私有的 CARGO_HOME { $home }：复制了教师 registry 缓存中的 { $mib } MiB
class-log-toolchain-named = 工具链：{ $name }（{ $sysroot }），即 grade 运行时所用的；作业里的工具链文件不会被使用
class-log-toolchain = 工具链：{ $sysroot }，即 grade 运行时所用的；作业里的工具链文件不会被使用
# grade class 在标准错误输出上关于班级文件夹和结束时说的话。
class-skipped-results = { $entry }：已跳过（结果文件夹）
class-skipped-dangling = { $entry }：已跳过（失效的链接）
class-skipped-other = { $entry }：已跳过（不是文件夹，也不是 .rs 或 .py 文件）
class-grader-failed = 评分程序在 { $names } 上出错（见它们所在的行）；其余结果在 { $out }
# 一份作业的 Gradescope 内容。
class-gs-first-failing = 第一次失败的运行（第 { $run } 次）打印了：
class-gs-more-lines = ……（另有 { $count } 行）
class-gs-nothing = （标准输出上什么也没有）
class-gs-not-graded = 未评分：{ $why }
class-gs-not-graded-head = 未评分：{ $why }
# 班级为何无法评分（grade class 以状态 2 退出）。
error-cause = { $what }：{ $cause }
class-io-write = 无法写入 { $path }
class-io-read = 无法读取 { $path }
class-io-make = 无法创建 { $path }
class-io-empty = 无法清空 { $path }
class-io-readable = 无法让 { $path } 可读
class-io-scratch = 无法在 { $path } 中创建临时文件夹
class-io-seed = 无法准备私有的 CARGO_HOME { $path }
class-folder-open = 无法打开班级文件夹 { $path }
class-err-fence-build = 无法隔离构建
class-err-options = 评分选项有误
class-err-param = --param 有误
class-err-jobs = --jobs 至少为 1
class-err-no-submissions = { $dir } 中没有任何作业
class-err-supervise = 无法监管各次运行
class-err-workers = 无法启动工作线程
class-err-no-example = 没有给出示例：--example EXAMPLE 或 --spec FILE（见 grade --list）
class-err-needed-by = { $tool }（{ $users } 需要它）
class-err-not-installed = 没有安装：{ $tools }
class-err-rustc-sysroot = 无法运行 rustc --print sysroot
class-err-no-sysroot = rustc --print sysroot 没有给出工具链文件夹
class-err-toolchain-folder = 工具链文件夹 { $path }
class-err-no-rustc = { $path } 中没有 rustc
class-log-build-fence = 构建的隔离：{ $status }
# grade gradescope：自动评分包。
bundle-no-git = 无法运行 git
bundle-git-failed = 在 { $dir } 中运行 git ls-files 失败：{ $error }
bundle-not-sources = { $dir } 里不是本仓库的源代码
bundle-no-sources = 找不到构建这个评分程序所用的源代码：请用 --source DIR 指定
bundle-no-example = 没有给出示例（见 grade --list）
bundle-wrote = 已写出 { $file }（setup.sh、run_autograder 和 { $files } 个源文件）
class-io-give = 无法把 { $path } 交给 nobody
class-why-dropped = 工具链和 cargo 的配置都用评分程序的
class-why-hard-link = 指向其他所有者文件的硬链接：它可能是教师或其他同学的文件
class-why-not-regular = 不是普通文件
class-why-file-too-large = 超过 { $mib } MiB
class-why-too-many-files = 项目的文件和文件夹超过 { $max } 个
class-skipped-special = { $entry }：已跳过（不是普通文件：是 FIFO、套接字或设备）
class-log-toolchain-as-root = { $toolchain }；它无法绑定进 nobody 的隔离环境，所以获取依赖和构建都以不带任何能力（capabilities）的 uid 0 运行
# 获取依赖时通往 crates.io 的中继（写在构建日志里）。
relay-note = 中继：{ $why }
relay-too-many = 中继：同时超过 { $max } 个连接，已拒绝
relay-no-thread = 中继：没有线程处理连接：{ $error }
relay-cannot-start = 中继：无法启动：{ $error }
relay-reading = 读取请求时出错：{ $error }
relay-no-end = 请求没有结束
relay-not-connect = 已拒绝 { $request }：只中继 CONNECT
relay-refused = 已拒绝 CONNECT { $target }：{ $why }
relay-no-port = 没有端口
relay-only-443 = 只允许 443 端口（https）
relay-not-crates-io = 不是 crates.io 的主机（--allow-git 可放行 https 上的 git）
relay-cannot-resolve = 无法解析：{ $error }
relay-own-address = 解析到本机自己的地址或没有地址（{ $addresses }）
