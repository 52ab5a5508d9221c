//! ### multiprocessing: `Process(target=run_proc, args=('test',))`, `start()`, `join()`.

// The book (crates/book) pairs each statement tagged `// [N]` with the Python line tagged `# [N]`:
// [book] order = 20, part = "notes", section = "多进程 › multiprocessing", python = "tests/reference/unmodified/orig_process.py", spec = "process"

use std::process::ExitCode;

use clap::Parser;
use multitask::{Process, current_pid};

/// Starts one child process that runs a function, and joins it (the notes' Process).
#[derive(Parser)]
#[command(version)]
struct Args {}

// 子进程要执行的代码
fn run_proc(name: &str) {
    // [1]
    println!("Run child process {} ({})...", name, current_pid()); // [2]
}

fn main() -> ExitCode {
    demo_cli::main(|Args {}| run())
}

fn run() -> multitask::Result<()> {
    // [3]
    println!("Parent process {}.", current_pid()); // [4]
    // The closure is the target and its arguments: it runs in the forked child's copy.
    let mut p = Process::new(|| run_proc("test")); // [5]
    println!("Process will start."); // [6]
    p.start()?; // [7]
    p.join()?; // join()方法可以等待子进程结束后再继续往下运行，通常用于进程间的同步 // [8]
    println!("Process end."); // [9]
    Ok(())
}
