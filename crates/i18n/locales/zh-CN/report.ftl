# 一次评分的报告：文本形式（HTML 页面和 Gradescope 也用这些词）。
report-heading = grade { $example }：{ $runs } 次运行，时间缩放 { $scale }
report-passed = 通过
report-failed = 未通过
report-all-passed = { $runs } 次运行中全部 { $total } 项检查通过
report-some-passed = { $runs } 次运行中 { $total } 项检查有 { $passed } 项通过{ $also }
report-some-failed = { $runs } 次运行中 { $total } 项检查有 { $failed } 项未通过{ $also }
report-also-not-reached = ，{ $count } 项未触及
report-also-not-checked = ，{ $count } 项未检查
report-also-undecided = ，{ $count } 项未定
report-tag-pass = 通过
report-tag-fail = 失败
report-tag-not-reached = 未及
report-tag-not-checked = 未查
report-not-checked = 未检查：它需要跟踪，而没有一次运行被跟踪
report-not-judged = 未检查：机器在任何一次运行中都无法评判它（见注释）
report-not-reached = 未触及：没有一次运行打印出它要评判的行
report-likely = 大概率成立：在 { $judged } 次{ $unshaken ->
    [yes] 未扰动的
   *[no] {""}
}运行中成立 { $held } 次{ $interval }，需要 { $percent }%
report-likely-undecided = 大概率成立：{ $judged } 次{ $unshaken ->
    [yes] 未扰动的
   *[no] {""}
}运行后仍未定，成立 { $held } 次{ $interval }，需要 { $percent }%：大约还需 { $more } 次（--confidence 0.99 会运行它们）
report-interval = （95% 置信区间：{ $low }%-{ $high }%）
report-tag-undecided = 未定
report-failed-in = 第 { $run } 次运行（{ $runs } 次中有 { $failed } 次失败）：
report-fence = 隔离：{ $fence }
facts-line = 标准输出：{ $stdout }；跟踪：{ $tracing }
facts-stdout-terminal = 终端
facts-stdout-pipe = 管道
facts-tracing-on = 开
facts-tracing-off = 关
facts-shaken = ；被扰动的运行：{ $runs }
facts-shaken-run = 第 { $run } 次（种子 { $seed }）
facts-explored-run = 第 { $run } 次（调度 { $schedule }）
html-summary = { $runs } 次运行（时间缩放 { $scale }）中，{ $total } 项检查有 { $passed } 项通过，{ $failed } 项未通过，{ $unreached } 项未触及，{ $unchecked } 项未检查
html-head-result = 结果
html-head-check = 检查
html-head-kind = 类别
html-head-held = 成立的运行
html-not-reached = 未触及
html-not-checked = 未检查
html-undecided = 未定
html-guaranteed = 必然成立
html-likely = 大概率成立
html-likely-needs = 大概率成立（需要 { $percent }%）
html-held = { $runs } 次中 { $held } 次
html-timeline-passing = 第 { $run } 次运行（通过）：谁在何时打印了什么
html-timeline-failing = 第 { $run } 次运行（第一次失败的运行）：谁在何时打印了什么
html-beside = 第 { $run } 次运行与一次正确运行对照
diff-beside-reference = 第 { $run } 次运行与一次正确运行（参照程序）对照（>> 标出两边第一处不同的行）：
diff-beside-spec = 第 { $run } 次运行与规格中的行类型对照（>> 标出两边第一处不同的行）：
html-beside-spec = 第 { $run } 次运行与规格期望的行类型对照
gradescope-summary = { $example }：{ $runs } 次运行中 { $total } 项检查有 { $passed } 项通过
output-not-checked = 未检查：它需要跟踪，而 { $runs } 次运行都没有被跟踪（跟踪：{ $tracing }）
output-not-reached = 未触及：{ $runs } 次运行都没有打印出它要评判的行
output-held = { $runs } 次运行中成立 { $held } 次
output-shaken = （大概率成立的检查不评判被扰动的运行）
output-likely = （大概率成立的检查：需要 { $percent }%）
output-interval = （95% 置信区间 { $low }%-{ $high }%）
output-undecided = ；未定：大约还需 { $more } 次被评判的运行
output-run = 第 { $run } 次运行
report-note = 注：{ $note }
report-note-run = 注（第 { $run } 次运行）：{ $note }
report-note-more = 注：……另有 { $count } 条
facts-tracing-refused = 被拒绝：{ $why }
facts-tracing-incomplete = 有 { $count } 次运行不完整：{ $why }
# PCT 调度的运行覆盖了什么。
coverage = 调度：{ $runs } 次运行由 PCT 调度（其中 { $runs_at_depth } 次深度为 { $depth }），n = { $tasks } 个任务，k = { $points } 个停顿点：一次深度为 { $depth } 的运行揭示某个深度不超过 { $depth } 的顺序错误的概率 >= 1/(n*k^(d-1)) = { $per_run }；这些运行中至少有一次揭示它的概率 >= { $at_least_once }（深度为 1 的错误：>= { $depth_one }）
coverage-more = （要达到 0.99，PCT 大约需要 { $runs } 次运行：--confidence 0.99）
coverage-cut = （有 { $valves } 个决定由安全阀强制做出（某任务持续运行了 300 毫秒 CPU 时间，或某次停放达到 10 秒），{ $over } 次运行超出预算：上面的界限假定两者都没有发生）
report-verdict = { $verdict }：{ $summary }
