//! Measures the runner's overhead: `run_once` against a bare `Command::output()` of the same
//! program, N times each, interleaved in one process; prints the medians and their difference.
//!
//! `cargo run --release -p grader --example overhead -- [N] [COMMAND ARGS...]`
//! (default: 200 runs of `/bin/sh -c 'echo a; echo b; echo c'`).

use std::ffi::OsString;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use grader::{RunConfig, run_once};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() -> ExitCode {
    let mut args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let n = match args
        .first()
        .and_then(|a| a.to_str())
        .map(str::parse::<usize>)
    {
        Some(Ok(0)) => {
            eprintln!("overhead: N must be at least 1");
            return ExitCode::from(2);
        }
        Some(Ok(n)) => {
            args.remove(0);
            n
        }
        _ => 200,
    };
    if args.is_empty() {
        args = ["/bin/sh", "-c", "echo a; echo b; echo c"]
            .map(OsString::from)
            .to_vec();
    }
    let program = args.remove(0);
    let cfg = RunConfig::new(program.clone(), args.clone());

    let mut bare = Vec::with_capacity(n);
    let mut graded = Vec::with_capacity(n);
    // Warm-up: page cache, dynamic loader, first /proc scan.
    for i in 0..=n {
        let t = Instant::now();
        match Command::new(&program).args(&args).output() {
            Ok(_) => {}
            Err(e) => {
                eprintln!("overhead: cannot run {}: {e}", program.to_string_lossy());
                return ExitCode::from(2);
            }
        }
        let b = t.elapsed();
        let t = Instant::now();
        match run_once(&cfg, i + 1) {
            Ok(o) if o.left_behind.is_empty() && !o.timed_out => {}
            Ok(o) => {
                eprintln!("overhead: unexpected outcome {o:?}");
                return ExitCode::from(2);
            }
            Err(e) => {
                eprintln!("overhead: {e}");
                return ExitCode::from(2);
            }
        }
        let g = t.elapsed();
        if i > 0 {
            bare.push(b);
            graded.push(g);
        }
    }
    let (b, g) = (median(bare), median(graded));
    println!("runs: {n} each");
    println!("Command::output() median: {b:?}");
    println!("run_once median:          {g:?}");
    println!(
        "overhead per run:         {:?}",
        g.checked_sub(b).unwrap_or_default()
    );
    let procs = std::fs::read_dir("/proc")
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| {
                    e.file_name()
                        .to_str()
                        .is_some_and(|s| s.parse::<u32>().is_ok())
                })
                .count()
        })
        .unwrap_or(0);
    println!("processes on the machine: {procs}");
    ExitCode::SUCCESS
}
