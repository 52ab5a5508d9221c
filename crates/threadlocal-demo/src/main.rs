//! Ports 多线程 › ThreadLocal: each thread binds its own student in one thread-local slot, and
//! a function deeper down reads it back without being passed it.

// The book (crates/book) pairs each statement tagged `// [N]` with the Python line tagged `# [N]`:
// [book] order = 150, part = "chapter", section = "ThreadLocal", python = "tests/reference/unmodified/orig_threadlocal.py", spec = "threadlocal"

use std::cell::RefCell;
use std::process::ExitCode;
use std::thread;

use clap::Parser;

/// Two threads each bind their own student in one thread-local slot and read it back.
#[derive(Parser)]
#[command(version)]
struct Args {}

// 创建全局ThreadLocal对象: every thread sees its own copy.
thread_local! { // [1]
    static LOCAL_SCHOOL_STUDENT: RefCell<String> = const { RefCell::new(String::new()) };
}

fn process_student() {
    // [2]
    // 获取当前线程关联的student:
    let std = LOCAL_SCHOOL_STUDENT.with(|student| student.borrow().clone()); // [3]
    let current = thread::current();
    let name = current.name().unwrap_or("<unnamed>");
    println!("Hello, {std} (in {name})"); // [4]
}

fn process_thread(name: &str) {
    // [5]
    // 绑定ThreadLocal的student:
    LOCAL_SCHOOL_STUDENT.with(|student| *student.borrow_mut() = name.to_string()); // [6]
    process_student(); // [7]
}

fn main() -> ExitCode {
    demo_cli::main(|Args {}| run())
}

fn run() -> std::io::Result<()> {
    // A Builder holds the thread's name; its target is given to spawn, which also starts it.
    let t1 = thread::Builder::new().name("Thread-A".to_string()); // [8]
    let t2 = thread::Builder::new().name("Thread-B".to_string()); // [9]
    let t1 = t1.spawn(|| process_thread("Alice"))?; // [10]
    let t2 = t2.spawn(|| process_thread("Bob"))?; // [11]
    t1.join().map_err(|_| panicked("Thread-A"))?; // [12]
    t2.join().map_err(|_| panicked("Thread-B"))?; // [13]
    Ok(())
}

fn panicked(name: &str) -> std::io::Error {
    std::io::Error::other(format!("{name} panicked"))
}
