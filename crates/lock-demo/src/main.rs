//! Ports 多线程 › Lock: two threads change one shared `balance`; with the lock it ends at `0`,
//! with `--no-lock` updates get lost, as the chapter's lesson is about.
//!
//! The balance is an atomic so that even the unlocked run has no undefined behaviour: each
//! `balance = balance + n` is a load then a separate store, exactly the two steps Python's
//! bytecode splits it into, so another thread can slip in between them and an update is lost.
//! How often that shows depends on the build and the machine load: on the 2-core development
//! machine a debug build (`cargo run`) ended nonzero in 13 runs of 30, a release build rarely
//! (the compiled gap between load and store is a few instructions, the interpreter's several
//! bytecodes; CPython 3.11 itself, switching threads only at certain points, printed 0).

// The book (crates/book) pairs each statement tagged `// [N]` with the Python line tagged `# [N]`:
// [book] order = 130, part = "chapter", section = "多线程 › Lock", python = "tests/reference/unmodified/orig_lock.py", spec = "lock"

use std::process::ExitCode;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Barrier, Mutex};
use std::thread;

use clap::Parser;

/// Two threads add then subtract 5 and 8 to one balance, 100000 times each.
#[derive(Debug, Parser)]
#[command(name = "lock-demo", version)]
struct Args {
    /// Run without the lock and show the lost updates (the balance is then usually not 0).
    #[arg(long)]
    no_lock: bool,
}

// 假定这是你的银行存款:
static BALANCE: AtomicI64 = AtomicI64::new(0); // [1]
static LOCK: Mutex<()> = Mutex::new(()); // [2]
// Rust runs 100000 rounds in less time than it takes to start a thread: both threads wait here
// so that their rounds overlap, as Python's do.
static START: Barrier = Barrier::new(2);

fn change_it(n: i64) {
    // [3]
    // 先存后取，结果应该为0:
    // Relaxed is enough: with the lock, the mutex orders these accesses; without it, losing
    // updates is the point.
    BALANCE.store(BALANCE.load(Ordering::Relaxed) + n, Ordering::Relaxed); // [4]
    BALANCE.store(BALANCE.load(Ordering::Relaxed) - n, Ordering::Relaxed); // [5]
}

fn run_thread(n: i64, use_lock: bool) {
    // [6]
    START.wait();
    for _ in 0..100_000 {
        // [7]
        if use_lock {
            // 先要获取锁; the guard releases it when dropped, as the notes' try/finally does.
            // A poisoned lock only means another thread panicked: the balance is still usable.
            let _guard = LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner()); // [8]
            change_it(n); // [9]
        } else {
            change_it(n);
        }
    }
}

fn main() -> ExitCode {
    demo_cli::main(run)
}

fn run(args: Args) -> std::io::Result<()> {
    let use_lock = !args.no_lock;
    // A Builder is the thread not yet started; its target is given to spawn, which starts it.
    let t1 = thread::Builder::new(); // [10]
    let t2 = thread::Builder::new(); // [11]
    let t1 = t1.spawn(move || run_thread(5, use_lock))?; // [12]
    let t2 = t2.spawn(move || run_thread(8, use_lock))?; // [13]
    t1.join().map_err(|_| panicked("t1"))?; // [14]
    t2.join().map_err(|_| panicked("t2"))?; // [15]
    println!("{}", BALANCE.load(Ordering::Relaxed)); // [16]
    Ok(())
}

fn panicked(name: &str) -> std::io::Error {
    std::io::Error::other(format!("{name} panicked"))
}
