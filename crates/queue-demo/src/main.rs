//! ### 进程间通信: two children share a `Queue`, one writes A, B, C, the other reads forever
//! until the parent terminates it.

use std::process::ExitCode;

use clap::Parser;
use multitask::{Process, Queue};

/// Two children share a Queue: one puts A, B, C, the other gets them (the notes' Queue).
#[derive(Parser)]
#[command(version)]
struct Args {}

// 写数据进程执行的代码:
fn write(q: &Queue<String>) -> multitask::Result<()> {
    for value in ["A", "B", "C"] {
        println!("Put {} to queue...", value);
        q.put(value.to_string())?;
        multitask::sleep(multitask::random());
    }
    Ok(())
}

// 读数据进程执行的代码:
fn read(q: &Queue<String>) -> multitask::Result<()> {
    loop {
        let value = q.get()?;
        println!("Get {} from queue.", value);
    }
}

fn main() -> ExitCode {
    demo_cli::main(|Args {}| run())
}

fn run() -> multitask::Result<()> {
    // 父进程创建Queue，并传给各个子进程 (each child uses its forked copy; items go by serde):
    let q = Queue::new()?;
    let mut pw = Process::new(|| write(&q));
    let mut pr = Process::new(|| read(&q));
    // 启动子进程pw，写入:
    pw.start()?;
    // 启动子进程pr，读取:
    pr.start()?;
    // 等待pw结束:
    pw.join()?;
    // pr进程里是死循环，无法等待其结束，只能强行终止:
    pr.terminate()?;
    Ok(())
}
