//! ### 进程间通信 (Pipes): the notes name `Queue` and `Pipes`; this is `Pipe()` between a parent
//! and a child. The parent sends `ping N`, the child answers `pong N`, three rounds, then the
//! parent closes its end and the child sees the pipe closed.

use std::process::ExitCode;

use clap::Parser;
use multitask::{Connection, ErrorKind, Pipe, Process};

/// A parent and a child ping-pong over a Pipe, then the child sees it closed.
#[derive(Parser)]
#[command(version)]
struct Args {}

const ROUNDS: u32 = 3;

fn child(parent_end: &Connection<String>, child_end: &Connection<String>) -> multitask::Result<()> {
    parent_end.close();
    loop {
        // Python's recv() raises EOFError once every copy of the other end is closed.
        let message = match child_end.recv() {
            Ok(message) => message,
            Err(e) if e.kind() == ErrorKind::Disconnected => break,
            Err(e) => return Err(e),
        };
        println!("Child got: {}", message);
        let answer = message.replace("ping", "pong");
        println!("Child sent: {}", answer);
        child_end.send(answer)?;
    }
    println!("Child: pipe closed, exit.");
    Ok(())
}

fn main() -> ExitCode {
    demo_cli::main(|Args {}| run())
}

fn run() -> multitask::Result<()> {
    let (parent_end, child_end) = Pipe::new()?;
    let mut p = Process::new(|| child(&parent_end, &child_end));
    p.start()?;
    child_end.close();
    for n in 1..=ROUNDS {
        let message = format!("ping {}", n);
        println!("Parent sent: {}", message);
        parent_end.send(message)?;
        println!("Parent got: {}", parent_end.recv()?);
    }
    parent_end.close();
    p.join()?;
    println!("Parent: child exited.");
    Ok(())
}
