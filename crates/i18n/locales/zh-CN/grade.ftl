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
