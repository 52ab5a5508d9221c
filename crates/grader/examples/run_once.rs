//! Runs a command once under the grader's supervision and prints the outcome: a debugging aid.
//!
//! `cargo run -p grader --example run_once -- [--timeout SECS] COMMAND [ARGS...]`

use std::ffi::OsString;
use std::process::ExitCode;
use std::time::Duration;

use grader::{RunConfig, run_once};

fn main() -> ExitCode {
    let mut args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let mut timeout = Duration::from_secs(30);
    if args.first().is_some_and(|a| a == "--timeout") {
        let Some(secs) = args.get(1).and_then(|s| s.to_str()?.parse::<f64>().ok()) else {
            eprintln!("run_once: --timeout needs a number of seconds");
            return ExitCode::from(2);
        };
        timeout = Duration::from_secs_f64(secs);
        args.drain(..2);
    }
    if args.is_empty() {
        eprintln!("usage: run_once [--timeout SECS] COMMAND [ARGS...]");
        return ExitCode::from(2);
    }
    let program = args.remove(0);
    let mut cfg = RunConfig::new(program, args);
    cfg.timeout = timeout;
    match run_once(&cfg, 1) {
        Ok(o) => {
            for l in o.lines.iter().take(20) {
                let who = l
                    .writer
                    .map(|w| format!("{} ", w.describe(o.main_pid)))
                    .unwrap_or_default();
                println!(
                    "{:>9.3?} {who}{}{}",
                    l.at,
                    if l.utf8 { "" } else { "[!utf8] " },
                    l.text
                );
            }
            if o.lines.len() > 20 {
                println!("... {} lines in all", o.lines.len());
            }
            println!(
                "main {} adopter {} exit {:?} timed_out {} output_limit_hit {} elapsed {:?}",
                o.main_pid, o.adopter_pid, o.exit, o.timed_out, o.output_limit_hit, o.elapsed
            );
            println!(
                "tracing {:?}, stdout {}, {} tasks",
                o.tracing,
                if o.stdout_tty { "a terminal" } else { "a pipe" },
                o.tasks.len()
            );
            for a in &o.advice {
                println!("advice: {a}");
            }
            println!("left behind: {}", o.left_behind.len());
            for p in o.left_behind.iter().take(5) {
                println!("  {} {}", p.pid, p.cmdline);
            }
            if !o.stderr_tail.is_empty() {
                println!("stderr tail: {:?}", o.stderr_tail);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("run_once: {e}");
            ExitCode::from(2)
        }
    }
}
