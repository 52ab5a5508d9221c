# 每次运行都有的内置检查。
check-exit = 以状态 0 退出
check-timeout = 在时限内结束
check-output-limit = 输出不超过上限
check-trace = 跟踪能说明标准输出的每个字节
check-left-behind = 不留下任何进程
check-lines = 每一行都匹配某个模式
check-format = 行的格式

# 没有一次运行能评判的 `came_through` 检查：值经由进程共享的内存传递。
came-through-shared-memory = 未检查：通道是共享内存，跟踪看不到（见注释）
# 没有一次运行能评判的 `came_through` 检查：跟踪停止了记录通道流量（流量过大）。
came-through-cut = 未检查：程序经由管道和套接字传递的数据太多，跟踪无法全部保留（见注释）
