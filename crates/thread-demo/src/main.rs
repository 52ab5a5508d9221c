//! 多线程 (the chapter's threading example): a thread named `LoopThread` counts to 5, one
//! second a step, and the main thread joins it.

// The book (crates/book) pairs each statement tagged `// [N]` with the Python line tagged `# [N]`:
// [book] order = 120, part = "chapter", section = "多线程", python = "tests/reference/unmodified/orig_thread.py", spec = "thread"

use std::thread;

use clap::Parser;

/// A thread named LoopThread counts to 5, a second a step, and is joined (the notes' threading).
#[derive(Parser)]
#[command(version)]
struct Args {}

fn loop_() {
    // [1]
    println!("thread {} is running...", current_thread_name()); // [2]
    let mut n = 0; // [3]
    while n < 5 {
        // [4]
        n += 1; // [5]
        println!("thread {} >>> {}", current_thread_name(), n); // [6]
        multitask::sleep(1.0); // [7]
    }
    println!("thread {} ended.", current_thread_name()); // [8]
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
    println!("thread {} is running...", current_thread_name()); // [9]
    let t = thread::Builder::new().name("LoopThread".to_string()); // [10]
    let t = t.spawn(loop_)?; // [11]
    t.join() // [12]
        .map_err(|_| std::io::Error::other("LoopThread panicked"))?;
    println!("thread {} ended.", current_thread_name()); // [13]
    Ok(())
}
