# grade 命令：评一个移植程序。
grade-stopped-early = 运行 { $runs } 次后停止：结论已不会再变（--all-runs 会跑完全部运行）
grade-needs-dashes = { $error }：要评的程序的命令应写在 `--` 之后，例如 grade 示例 [选项] -- { $arg } ...
grade-bad-arguments = { $error }（见 { $help }）
grade-bad-lang = --lang { $value }：不支持的语言（可用 en 或 zh）
grade-no-example = 没有给出示例：grade 示例 [选项] -- 命令 [参数...]（见 grade --list）
grade-no-command = 没有给出命令：grade 示例 [选项] -- 命令 [参数...]
grade-example-is-command = 没有叫“{ $name }”的示例；是不是想用命令“grade { $command }”？（示例列表见 grade --list）
grade-unknown-example = 没有叫“{ $name }”的示例（已有：{ $known }）
grade-unknown-example-like = 没有叫“{ $name }”的示例：是不是“{ $like }”？（已有：{ $known }）
grade-trace-refused = 无法跟踪运行（{ $why }）：未跟踪地评分，需要跟踪的检查不做
grade-fence-on = 运行已隔离（命名空间、Landlock、seccomp、资源限制；报告里写明各项）
grade-fence-partial = 运行已隔离，但缺少部分隔离（报告里写明缺了哪些）
grade-fence-off = { $why }
progress-starting = 正在开始第一次运行
progress-this-run = ，本次已用 {"{"}elapsed{"}"}
progress-run = 第 { $run } / { $runs } 次运行，目前 { $passed } 次通过
progress-run-took = 第 { $run } / { $runs } 次运行用时 { $seconds } 秒，目前 { $passed } 次通过
grade-fence-off-asked = 运行未隔离（--no-fence）
cli-not-positive = “{ $value }”不是正数
cli-too-large = “{ $value }”太大了
cli-not-size = “{ $value }”不是大小（字节数，或带 K、M、G 的数）
cli-runs-at-least-1 = 运行次数至少为 1
cli-not-runs = “{ $value }”不是运行次数（整数）
cli-reference-empty = --reference 需要一条命令
cli-not-command-line = “{ $value }”不是一条命令（引号没有闭合？）
cli-not-fraction = “{ $value }”不是 0 到 1 之间的比例
cli-not-key-value = “{ $value }”不是 K=V 的形式
cli-not-env = “{ $value }”不是 NAME 或 NAME=VALUE 的形式（NAME 由字母、数字和 _ 组成，不以数字开头）
cli-unknown-argument = 未知的参数“{ $arg }”
cli-invalid-value = 选项“{ $arg }”的值“{ $value }”无效{ $why }
# 评分无法使用的选项。
opt-env-time-scale = 环境变量 { $name }={ $value } 不是不超过 { $max } 的正数
opt-env-seed = 环境变量 { $name }={ $value } 不是整数
opt-runs = --runs 至少为 1
opt-timeout-zero = --timeout 必须大于 0
opt-timeout-max = --timeout 最多 { $max } 秒（一天）
opt-time-scale = --time-scale 必须是不超过 { $max } 的正数，而不是 { $value }
opt-depth = --depth 至少为 1
opt-confidence = --confidence 必须是大于 0 且小于 1 的概率，而不是 { $value }
opt-shake = --shake 必须是 0 到 1 之间的比例，而不是 { $value }
opt-no-command = 没有要评分的命令
opt-pair-after = --pair-after 需要同时使用 --pair
opt-pair-fence = --pair 需要隔离（运行自己的回环网络）：去掉 --no-fence
opt-pair-namespace = --pair 需要运行有自己的网络命名空间，而这里没有（{ $why }）
# grade trace。
trace-no-command = 没有给出命令：grade trace [-o FILE] -- COMMAND [ARGS...]
trace-title-scaled = { $command }（时间缩放 { $scale }）
trace-timed-out = 到了 { $seconds } 秒的超时被杀死
trace-wrote = 已写出 { $file }：{ $tasks } 个任务，{ $lines } 行{ $end }
trace-main-end = ；主进程{ $how }
trace-end-replaced = 被替换了
# 评分程序读写的文件。
cannot-write = 无法写入 { $path }：{ $error }
spec-read = 无法读取规格：{ $error }
spec-read-not-file = 无法读取规格：不是普通文件
spec-read-too-big = 无法读取规格：{ $bytes } 字节，超过了规格允许的 { $max } 字节
spec-read-grew = 无法读取规格：超过了规格允许的 { $max } 字节
cannot-make = 无法创建 { $path }：{ $error }
cannot-write-report = 无法写出报告：{ $error }
# 无法完成的一次运行。
os-subreaper = 无法成为子进程收养者（child subreaper）：{ $error }
os-read-stdout = 无法读取标准输出：{ $error }
os-read-stderr = 无法读取标准错误输出：{ $error }
os-wait-port = 无法等待移植程序：{ $error }
os-wait-main = 无法等待主进程：{ $error }
os-watch-main = 无法监视主进程：{ $error }
os-pass-pty = 无法传递伪终端：{ $error }
os-open-pty = 无法打开伪终端：{ $error }
os-setup-pty = 无法设置伪终端：{ $error }
os-read-pty = 无法读取伪终端的设置：{ $error }
os-set-pty = 无法修改伪终端的设置：{ $error }
run-fence = 无法隔离这次运行：{ $error }
run-is-dir = 命令是一个目录：{ $command }
run-no-interpreter = 找不到命令：{ $command }（它的解释器不存在）
run-not-found = 找不到命令：{ $command }
run-not-executable = 命令不可执行：{ $command }（权限不足）
run-cannot-start = 无法启动命令 { $command }：{ $error }
run-not-found-why = 找不到命令：{ $command }（{ $error }）
run-cannot-trace = 无法跟踪移植程序：{ $error }
cli-runs-too-many = 运行次数“{ $value }”太多了
cli-used-twice = 参数“{ $arg }”不能多次使用
cli-conflict = 参数“{ $arg }”不能与“{ $other }”一起使用
cli-missing = 缺少必需的参数：{ $args }
