# 运行的图（时间线）：标题、注释和图例。
picture-passed = 通过
picture-failed = 未通过：{ $check }
picture-failed-more = 未通过：{ $check }，另有 { $more } 项
picture-shaken = 以种子 { $seed } 扰动
picture-untraced = 未跟踪：每一行都画在主进程的泳道上，位置是它到达的时刻
picture-title = { $example }：第 { $run } / { $runs } 次运行，{ $verdict }
picture-kind-line = “{ $kind }”行
picture-stdout-line = 标准输出行
picture-stderr-line = 标准错误行
picture-quoted = 被未通过的检查引用
picture-creates-process = 创建进程
picture-creates-thread = 创建线程
picture-hand-off = 传递
picture-open = 打开（任务在运行）
picture-held = 被暂停（扰动）
