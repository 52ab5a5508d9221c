//! ### multiprocessing: `Process(target=run_proc, args=('test',))`, `start()`, `join()`.

use std::process::ExitCode;

use clap::Parser;
use multitask::{Process, current_pid};

/// Starts one child process that runs a function, and joins it (the notes' Process).
#[derive(Parser)]
#[command(version)]
struct Args {}

// 子进程要执行的代码
fn run_proc(name: &str) {
    println!("Run child process {} ({})...", name, current_pid());
}

fn main() -> ExitCode {
    demo_cli::main(|Args {}| run())
}

fn run() -> multitask::Result<()> {
    println!("Parent process {}.", current_pid());
    // The closure is the target and its arguments: it runs in the forked child's copy.
    let mut p = Process::new(|| run_proc("test"));
    println!("Process will start.");
    p.start()?;
    p.join()?; // join()方法可以等待子进程结束后再继续往下运行，通常用于进程间的同步
    println!("Process end.");
    Ok(())
}
