//! THE timing-sensitive test of the workspace: it measures how many cores the demo keeps busy,
//! which other work on the machine can lower. This file holds no other test, so cargo runs
//! nothing else of ours beside it, and it is tolerant in two ways:
//!
//! - the figure must reach three quarters of two cores (an idle 2-core machine shows about
//!   1.99; a port held to one core by a lock, as Python's GIL holds the original, shows 1.0);
//! - a low figure only fails the test when cores sat idle during the run (read from
//!   /proc/stat): if other programs kept every core busy, the run proves nothing either way and
//!   is retried, and after a few such runs the test says so on stderr and passes. The defect it
//!   exists to catch, cores left idle while the demo runs, still fails it on any machine.

use std::process::Command;
use std::time::Duration;

use workspace_tests::run_with_deadline;

/// The machine's (idle, total) CPU time so far, in clock ticks, summed over all cores; `None`
/// where /proc/stat cannot be read.
fn machine_ticks() -> Option<(u64, u64)> {
    use procfs::CurrentSI;
    let cpu = procfs::KernelStats::current().ok()?.total;
    let idle = cpu.idle + cpu.iowait.unwrap_or(0);
    // Guest time is already counted in user time.
    let total = cpu.user
        + cpu.nice
        + cpu.system
        + idle
        + cpu.irq.unwrap_or(0)
        + cpu.softirq.unwrap_or(0)
        + cpu.steal.unwrap_or(0);
    Some((idle, total))
}

/// One run of `--seconds 1`: the demo's figure, and how many cores sat idle meanwhile.
fn one_run(cores: usize) -> (f64, Option<f64>) {
    let before = machine_ticks();
    let out = run_with_deadline(
        Command::new(env!("CARGO_BIN_EXE_multicore-demo"))
            .args(["--seconds", "1"])
            .env("MULTITASK_TIME_SCALE", "1"),
        Duration::from_secs(30),
    );
    let after = machine_ticks();
    assert!(out.status.success(), "{:?}", out.status);
    let text = String::from_utf8_lossy(&out.stdout);
    let busy: f64 = text
        .lines()
        .find_map(|line| line.strip_prefix("Cores kept busy: "))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|figure| figure.parse().ok())
        .unwrap_or_else(|| panic!("no figure in {text:?}"));
    let idle = match (before, after) {
        (Some((idle0, total0)), Some((idle1, total1))) if total1 > total0 => {
            Some((idle1 - idle0) as f64 / (total1 - total0) as f64 * cores as f64)
        }
        _ => None,
    };
    (busy, idle)
}

#[test]
fn timing_sensitive_every_core_is_kept_busy() {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores < 2 {
        eprintln!("skipped: one core only, nothing to show");
        return;
    }
    let threshold = 0.75 * cores.min(2) as f64;
    let mut seen = Vec::new();
    for _ in 0..3 {
        let (busy, idle) = one_run(cores);
        eprintln!("cores kept busy: {busy:.2} of {cores}; cores idle meanwhile: {idle:.2?}");
        seen.push((busy, idle));
        if busy >= threshold {
            return;
        }
        // Idle cores the demo did not take: the defect itself, whatever else runs.
        if idle.is_none_or(|idle| idle >= 0.5) {
            panic!("only {busy:.2} cores busy (expected {threshold:.2}) with {idle:.2?} idle");
        }
    }
    eprintln!(
        "inconclusive, counted as passed: other programs kept every core busy in all runs {seen:.2?}"
    );
}
