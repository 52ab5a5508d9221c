//! Ports 进程和线程 › 分布式进程 › task_worker.py: the worker connects to the master's queues,
//! tries 10 times to take a task `n`, takes 1 s over each, and returns `n * n = m`; a try that
//! finds the queue empty for 1 s prints `task queue is empty.` and goes on to the next try.
//!
//! Differences from the original, and why: the original's `except Queue.Empty` names a module
//! it never imported (it dies with a NameError where it means to print the line); the port
//! prints it, as the Python 2 tutorial does. A master that has gone away (it shuts down once
//! every result is in) ends the worker with one line on stderr and status 1, where the
//! original dies with a traceback.

// The book (crates/book) pairs each statement tagged `// [N]` with the Python line tagged `# [N]`:
// [book] order = 170, part = "chapter", section = "分布式进程 › task_worker.py", python = "tests/fixtures/distributed/tutorial/task_worker.py", spec = "distributed"
// [book] run = "cargo run -p task-worker  # beside a running task-master"
// [book] picture = "crates/task-master/timeline.svg"

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use task_manager::{Client, ErrorKind};

/// Take tasks from a master and return their results.
#[derive(Debug, Parser)]
#[command(name = "task-worker", version)]
struct Args {
    /// The master's host name or address.
    #[arg(long, default_value = "127.0.0.1")]
    server: String,
    /// The master's TCP port.
    #[arg(long, default_value_t = 5000, value_parser = clap::value_parser!(u16).range(1..))]
    port: u16,
    /// The shared secret the master expects.
    #[arg(long, default_value = "abc")]
    authkey: String,
}

fn fail(message: &str) -> ! {
    eprintln!("task-worker: {message}");
    std::process::exit(1);
}

fn main() -> ExitCode {
    let args: Args = match demo_cli::parse() {
        Ok(args) => args,
        Err(code) => return code,
    };
    let second = Duration::from_secs_f64(multitask::time_scale());

    // 连接到服务器, 也就是运行task_master.py的机器:
    let server_addr = &args.server; // [1]
    println!("Connect to server {server_addr}..."); // [2]
    // 端口和验证码注意保持与task_master.py设置的完全一致:
    let m = // [3]
        Client::connect(server_addr, args.port, args.authkey.as_bytes()).unwrap_or_else(|err| {
            match err.kind() {
                ErrorKind::Authentication => fail(&format!(
                    "the master at {server_addr}:{} refused our authkey ({err})",
                    args.port
                )),
                _ => fail(&err.to_string()),
            }
        });
    // 获取Queue的对象:
    let task = m
        .get_queue("get_task_queue")
        .unwrap_or_else(|e| fail(&e.to_string())); // [4]
    let result = m
        .get_queue("get_result_queue")
        .unwrap_or_else(|e| fail(&e.to_string())); // [5]
    // 从task队列取任务, 并把结果写入result队列:
    for _ in 0..10 {
        // [6]
        match task.get::<i64>(Some(second)) {
            // [7]
            Ok(Some(n)) => {
                println!("run task {n} * {n}..."); // [8]
                // i128: the square of any i64 fits, whatever a master sends.
                let r = format!("{n} * {n} = {}", i128::from(n) * i128::from(n)); // [9]
                std::thread::sleep(second); // [10]
                result
                    .put(&r) // [11]
                    .unwrap_or_else(|err| fail(&format!("cannot return {r:?}: {err}")));
            }
            Ok(None) => {
                // [12]
                println!("task queue is empty."); // [13]
            }
            Err(err) if err.kind() == ErrorKind::Closed => {
                fail("the master closed the connection (all its results are in, or it gave up)")
            }
            Err(err) => fail(&err.to_string()),
        }
    }
    // 处理结束:
    println!("worker exit."); // [14]
    ExitCode::SUCCESS
}
