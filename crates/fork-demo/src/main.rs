//! ### 操作系统的相关知识: `os.fork()` returns twice, 0 in the child and the child's pid in the
//! parent.

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
    println!("Process ({}) start...", current_pid());
    // Only fork, as in the notes: the child is not waited for, so its parent may have exited
    // by the time it asks for its parent's pid (then it prints the pid of whoever adopted it).
    let pid = fork()?;
    if pid == 0 {
        println!(
            "I am child process ({}) and my parent is {}.",
            current_pid(),
            parent_pid()
        );
    } else {
        println!(
            "I ({}) just created a child process ({}).",
            current_pid(),
            pid
        );
    }
    Ok(())
}
