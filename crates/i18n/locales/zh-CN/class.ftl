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
