//! Ports 进程和线程 › 分布式进程 › task_master.py: the master serves a task queue and a result
//! queue over the network behind an authkey, puts 10 random tasks, and collects 10 results from
//! whatever workers connect.
//!
//! Differences from the original, and why: it binds 127.0.0.1 by default (the original binds
//! every interface, and the default authkey `abc` is public; pass `--bind 0.0.0.0` for workers
//! on other machines); it prints the address it really bound on stderr (so `--port 0` is
//! usable); and when no result comes within 10 s it says so and exits 1 instead of a traceback.

// The book (crates/book) pairs each statement tagged `// [N]` with the Python line tagged `# [N]`:
// [book] order = 160, part = "chapter", section = "分布式进程 › task_master.py", python = "tests/fixtures/distributed/tutorial/task_master.py", spec = "distributed"

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use task_manager::{QueueManager, SharedQueue};

/// Serve 10 tasks to workers and print their results.
#[derive(Debug, Parser)]
#[command(name = "task-master", version)]
struct Args {
    /// TCP port to listen on (0: any free port, printed on stderr).
    #[arg(long, default_value_t = 5000)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    bind: IpAddr,
    /// The shared secret a worker must prove it knows.
    #[arg(long, default_value = "abc")]
    authkey: String,
}

/// How long the master waits for each result (the original's `result.get(timeout=10)`).
const RESULT_TIMEOUT_SECS: f64 = 10.0;

fn fail(message: &str) -> ! {
    eprintln!("task-master: {message}");
    std::process::exit(1);
}

fn main() -> ExitCode {
    let args: Args = match demo_cli::parse() {
        Ok(args) => args,
        Err(code) => return code,
    };

    // 发送任务的队列:
    let task_queue = SharedQueue::new(); // [1]
    // 接收结果的队列:
    let result_queue = SharedQueue::new(); // [2]

    // 把两个Queue都注册到网络上, callable参数关联了Queue对象:
    let mut manager = QueueManager::new(args.authkey.as_bytes());
    manager.register("get_task_queue", task_queue); // [3]
    manager.register("get_result_queue", result_queue); // [4]
    // 绑定端口5000, 设置验证码'abc', 启动Queue:
    let manager = manager
        .start(SocketAddr::new(args.bind, args.port), |peer, err| {
            // [5]
            eprintln!("task-master: refused a connection from {peer}: {err}");
        })
        .unwrap_or_else(|err| fail(&err.to_string()));
    eprintln!("listening on {}", manager.address());
    // 获得通过网络访问的Queue对象:
    let task = manager
        .get_queue("get_task_queue")
        .unwrap_or_else(|e| fail(&e.to_string())); // [6]
    let result = manager
        .get_queue("get_result_queue")
        .unwrap_or_else(|e| fail(&e.to_string())); // [7]
    // 放几个任务进去:
    for _ in 0..10 {
        // [8]
        // random.randint(0, 10000); MULTITASK_SEED pins it.
        let n = (multitask::random() * 10001.0) as u32; // [9]
        println!("Put task {n}..."); // [10]
        task.put(&n).unwrap_or_else(|err| fail(&err.to_string())); // [11]
    }
    // 从result队列读取结果:
    println!("Try get results..."); // [12]
    let timeout = Duration::from_secs_f64(RESULT_TIMEOUT_SECS * multitask::time_scale());
    for i in 0..10 {
        // [13]
        match result.get::<String>(Some(timeout)) {
            // [14]
            Ok(Some(r)) => println!("Result: {r}"), // [15]
            Ok(None) => fail(&format!(
                "no result within {:.2} s ({i} of 10 received): is a worker running?",
                timeout.as_secs_f64()
            )),
            Err(err) => fail(&err.to_string()),
        }
    }
    // 关闭:
    manager.shutdown(); // [16]
    println!("master exit."); // [17]
    ExitCode::SUCCESS
}
