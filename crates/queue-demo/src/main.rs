//! ### 进程间通信: two children share a `Queue`, one writes A, B, C, the other reads forever
//! until the parent terminates it.

// The book (crates/book) pairs each statement tagged `// [N]` with the Python line tagged `# [N]`:
// [book] order = 40, part = "notes", section = "多进程 › 进程间通信 (Queue)", python = "tests/reference/unmodified/orig_queue.py", spec = "queue"

use std::process::ExitCode;

use clap::Parser;
use multitask::{Process, Queue};

/// Two children share a Queue: one puts A, B, C, the other gets them (the notes' Queue).
#[derive(Parser)]
#[command(version)]
struct Args {}

// 写数据进程执行的代码:
fn write(q: &Queue<String>) -> multitask::Result<()> {
    // [1]
    for value in ["A", "B", "C"] {
        // [2]
        println!("Put {} to queue...", value); // [3]
        q.put(value.to_string())?; // [4]
        multitask::sleep(multitask::random()); // [5]
    }
    Ok(())
}

// 读数据进程执行的代码:
fn read(q: &Queue<String>) -> multitask::Result<()> {
    // [6]
    loop {
        // [7]
        let value = q.get()?; // [8]
        println!("Get {} from queue.", value); // [9]
    }
}

fn main() -> ExitCode {
    demo_cli::main(|Args {}| run())
}

fn run() -> multitask::Result<()> {
    // [10]
    // 父进程创建Queue，并传给各个子进程 (each child uses its forked copy; items go by serde):
    let q = Queue::new()?; // [11]
    let mut pw = Process::new(|| write(&q)); // [12]
    let mut pr = Process::new(|| read(&q)); // [13]
    // 启动子进程pw，写入:
    pw.start()?; // [14]
    // 启动子进程pr，读取:
    pr.start()?; // [15]
    // 等待pw结束:
    pw.join()?; // [16]
    // pr进程里是死循环，无法等待其结束，只能强行终止:
    pr.terminate()?; // [17]
    Ok(())
}
