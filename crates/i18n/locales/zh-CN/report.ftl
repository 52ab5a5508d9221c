# 一次评分的报告：文本形式（HTML 页面和 Gradescope 也用这些词）。
report-heading = grade { $example }：{ $runs } 次运行，时间缩放 { $scale }
report-passed = 通过
report-failed = 未通过
report-all-passed = { $runs } 次运行中全部 { $total } 项检查通过
report-some-passed = { $runs } 次运行中 { $total } 项检查有 { $passed } 项通过{ $also }
report-some-failed = { $runs } 次运行中 { $total } 项检查有 { $failed } 项未通过{ $also }
report-also-not-reached = ，{ $reached } 项未触及
report-also-not-checked = ，{ $checked } 项未检查
report-tag-pass = 通过
report-tag-fail = 失败
report-tag-not-reached = 未及
report-tag-not-checked = 未查
report-not-checked = 未检查：它需要跟踪，而没有一次运行被跟踪
report-not-reached = 未触及：没有一次运行打印出它要评判的行
report-likely = 大概率成立：在 { $judged } 次{ $unshaken ->
    [yes] 未扰动的
   *[no] {""}
}运行中成立 { $held } 次，需要 { $percent }%
report-failed-in = 第 { $run } 次运行（{ $runs } 次中有 { $failed } 次失败）：
