//! 多线程 (the chapter's threading example): a thread named `LoopThread` counts to 5, one
//! second a step, and the main thread joins it.

use std::thread;

use clap::Parser;

/// A thread named LoopThread counts to 5, a second a step, and is joined (the notes' threading).
#[derive(Parser)]
#[command(version)]
struct Args {}

fn loop_() {
    println!("thread {} is running...", current_thread_name());
    let mut n = 0;
    while n < 5 {
        n += 1;
        println!("thread {} >>> {}", current_thread_name(), n);
        multitask::sleep(1.0);
    }
    println!("thread {} ended.", current_thread_name());
}

/// `threading.current_thread().name`: Rust calls the main thread "main", Python "MainThread".
fn current_thread_name() -> String {
    match thread::current().name() {
        Some("main") => "MainThread".to_string(),
        Some(name) => name.to_string(),
        None => "Thread".to_string(),
    }
}

fn main() -> std::process::ExitCode {
    demo_cli::main(|Args {}| run())
}

fn run() -> std::io::Result<()> {
    println!("thread {} is running...", current_thread_name());
    let t = thread::Builder::new().name("LoopThread".to_string());
    let t = t.spawn(loop_)?;
    t.join()
        .map_err(|_| std::io::Error::other("LoopThread panicked"))?;
    println!("thread {} ended.", current_thread_name());
    Ok(())
}
