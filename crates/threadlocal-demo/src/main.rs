//! Ports 多线程 › ThreadLocal: each thread binds its own student in one thread-local slot, and
//! a function deeper down reads it back without being passed it.

use std::cell::RefCell;
use std::process::ExitCode;
use std::thread;

use clap::Parser;

/// Two threads each bind their own student in one thread-local slot and read it back.
#[derive(Parser)]
#[command(version)]
struct Args {}

// 创建全局ThreadLocal对象: every thread sees its own copy.
thread_local! {
    static LOCAL_SCHOOL_STUDENT: RefCell<String> = const { RefCell::new(String::new()) };
}

fn process_student() {
    // 获取当前线程关联的student:
    let std = LOCAL_SCHOOL_STUDENT.with(|student| student.borrow().clone());
    let current = thread::current();
    let name = current.name().unwrap_or("<unnamed>");
    println!("Hello, {std} (in {name})");
}

fn process_thread(name: &str) {
    // 绑定ThreadLocal的student:
    LOCAL_SCHOOL_STUDENT.with(|student| *student.borrow_mut() = name.to_string());
    process_student();
}

fn spawn(student: &'static str, thread_name: &str) -> std::io::Result<thread::JoinHandle<()>> {
    thread::Builder::new()
        .name(thread_name.to_string())
        .spawn(move || process_thread(student))
}

fn main() -> ExitCode {
    demo_cli::main(|Args {}| run())
}

fn run() -> Result<(), String> {
    let started = spawn("Alice", "Thread-A").and_then(|t1| Ok((t1, spawn("Bob", "Thread-B")?)));
    let (t1, t2) = started.map_err(|err| format!("cannot start a thread: {err}"))?;
    if t1.join().is_err() || t2.join().is_err() {
        return Err("a thread panicked".to_string());
    }
    Ok(())
}
