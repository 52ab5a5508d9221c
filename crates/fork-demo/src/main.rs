//! ### 操作系统的相关知识: `os.fork()` returns twice, 0 in the child and the child's pid in the
//! parent.

// The book (crates/book) pairs each statement tagged `// [N]` with the Python line tagged `# [N]`:
// [book] order = 10, part = "notes", section = "多进程 › 操作系统的相关知识", python = "tests/reference/unmodified/orig_fork.py", spec = "fork"

use std::process::ExitCode;

use clap::Parser;
use multitask::{current_pid, fork, parent_pid};

/// Forks once: the parent and the child each say who they are (the notes' os.fork).
#[derive(Parser)]
#[command(version)]
struct Args {}

fn main() -> ExitCode {
    demo_cli::main(|Args {}| run())
}

fn run() -> multitask::Result<()> {
    println!("Process ({}) start...", current_pid()); // [1]
    // Only fork, as in the notes: the child is not waited for, so its parent may have exited
    // by the time it asks for its parent's pid (then it prints the pid of whoever adopted it).
    let pid = fork()?; // [2]
    if pid == 0 {
        // [3]
        println!(
            // [4]
            "I am child process ({}) and my parent is {}.",
            current_pid(),
            parent_pid()
        );
    } else {
        // [5]
        println!(
            // [6]
            "I ({}) just created a child process ({}).",
            current_pid(),
            pid
        );
    }
    Ok(())
}
