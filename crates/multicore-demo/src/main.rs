//! Ports 多线程 › 多核CPU: one dead-loop thread per core. In Python the GIL lets only one of them
//! run at a time (about 1 core busy); Rust threads run truly in parallel and use every core.
//!
//! The chapter's loop never ends; this one stops after `--seconds` (scaled by
//! `MULTITASK_TIME_SCALE`) and reports the CPU time the process used divided by the wall time:
//! the number of cores it kept busy.

// The book (crates/book) pairs each statement tagged `// [N]` with the Python line tagged `# [N]`:
// [book] order = 140, part = "chapter", section = "多线程 › 多核CPU", python = "tests/reference/ref_multicore.py", spec = "multicore"
// [book] run = "cargo run -p multicore-demo -- --seconds 2"

use std::hint::black_box;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use clap::Parser;

/// One busy thread per core for a while, then how many cores were kept busy.
#[derive(Debug, Parser)]
#[command(name = "multicore-demo", version)]
struct Args {
    /// How long the threads spin, in seconds, at most a day (multiplied by
    /// MULTITASK_TIME_SCALE).
    #[arg(long, default_value_t = 5.0, value_parser = positive_seconds)]
    seconds: f64,
}

/// The longest run: a day is already far past any lesson, and a larger figure (say 1e20)
/// would overflow the duration it is scaled into.
const MAX_SECONDS: f64 = 86_400.0;

fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s > 0.0 && s <= MAX_SECONDS => Ok(s),
        _ => Err(format!(
            "expected a number of seconds above 0 and up to {MAX_SECONDS}, got {text:?}"
        )),
    }
}

/// User plus system CPU time of the whole process (all its threads) so far.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct we hand it; zeroed is a valid rusage.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_SELF with a valid pointer to a live rusage.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return Duration::ZERO;
    }
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
    };
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

fn dead_loop(stop: &AtomicBool) {
    // [1]
    let mut x: u64 = 0; // [2]
    while !stop.load(Ordering::Relaxed) {
        // [3]
        // black_box keeps the optimiser from deleting the chapter's `x = x ^ 1`.
        x = black_box(x ^ 1); // [4]
    }
}

fn main() -> ExitCode {
    demo_cli::main(run)
}

fn run(args: Args) -> Result<(), String> {
    // [5]
    let seconds = args.seconds * multitask::time_scale(); // [6]
    let stop = Arc::new(AtomicBool::new(false));
    let cores = num_cpus::get(); // [7]
    println!("Run {cores} busy threads for {seconds:.2} seconds..."); // [8]
    let wall_start = Instant::now(); // [9]
    let cpu_start = cpu_time(); // [10]
    let mut threads = Vec::with_capacity(cores); // [11]
    for _ in 0..cores {
        // [12]
        let flag = Arc::clone(&stop);
        match thread::Builder::new().spawn(move || dead_loop(&flag)) {
            // [13]
            Ok(t) => threads.push(t), // [14]
            Err(err) => {
                stop.store(true, Ordering::Relaxed);
                return Err(format!("cannot start a thread: {err}"));
            }
        }
    }
    // This sleep is the program's duration, not synchronisation: the threads stop on the flag.
    thread::sleep(Duration::from_secs_f64(seconds)); // [15]
    stop.store(true, Ordering::Relaxed); // [16]
    for t in threads {
        // [17]
        if t.join().is_err() {
            // [18]
            return Err("a thread panicked".to_string());
        }
    }
    let wall = wall_start.elapsed().as_secs_f64(); // [19]
    let cpu = (cpu_time().saturating_sub(cpu_start)).as_secs_f64(); // [20]
    let busy = if wall > 0.0 { cpu / wall } else { 0.0 }; // [21]
    println!("Cores kept busy: {busy:.2} (CPU time {cpu:.2} s / wall time {wall:.2} s)."); // [22]
    Ok(())
}
