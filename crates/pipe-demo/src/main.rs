//! ### 进程间通信 (Pipes): the notes name `Queue` and `Pipes`; this is `Pipe()` between a parent
//! and a child. The parent sends `ping N`, the child answers `pong N`, three rounds, then the
//! parent closes its end and the child sees the pipe closed.

// The book (crates/book) pairs each statement tagged `// [N]` with the Python line tagged `# [N]`:
// [book] order = 50, part = "notes", section = "多进程 › 进程间通信 (Pipes)", python = "tests/reference/ref_pipe.py", spec = "pipe"

use std::process::ExitCode;

use clap::Parser;
use multitask::{Connection, ErrorKind, Pipe, Process};

/// A parent and a child ping-pong over a Pipe, then the child sees it closed.
#[derive(Parser)]
#[command(version)]
struct Args {}

const ROUNDS: u32 = 3; // [1]

fn child(parent_end: &Connection<String>, child_end: &Connection<String>) -> multitask::Result<()> {
    // [2]
    parent_end.close(); // [3]
    loop {
        // [4]
        // Python's recv() raises EOFError once every copy of the other end is closed.
        let message = match child_end.recv() {
            // [5]
            Ok(message) => message,
            Err(e) if e.kind() == ErrorKind::Disconnected => break, // [6]
            Err(e) => return Err(e),
        };
        println!("Child got: {}", message); // [7]
        let answer = message.replace("ping", "pong"); // [8]
        println!("Child sent: {}", answer); // [9]
        child_end.send(answer)?; // [10]
    }
    println!("Child: pipe closed, exit."); // [11]
    Ok(())
}

fn main() -> ExitCode {
    demo_cli::main(|Args {}| run())
}

fn run() -> multitask::Result<()> {
    // [12]
    let (parent_end, child_end) = Pipe::new()?; // [13]
    let mut p = Process::new(|| child(&parent_end, &child_end)); // [14]
    p.start()?; // [15]
    child_end.close(); // [16]
    for n in 1..=ROUNDS {
        // [17]
        let message = format!("ping {}", n); // [18]
        println!("Parent sent: {}", message); // [19]
        parent_end.send(message)?; // [20]
        println!("Parent got: {}", parent_end.recv()?); // [21]
    }
    parent_end.close(); // [22]
    p.join()?; // [23]
    println!("Parent: child exited."); // [24]
    Ok(())
}
