//! Threads that sleep and a "CPU time" made up as threads x wall time (issue 18): the printed
//! figures say every core was busy; the kernel counted next to nothing.
//! Usage: `fake-multicore-sleeps [SECONDS]` (default 5, times the time scale).

use std::process::ExitCode;
use std::time::Instant;

use fake_ports::say;

fn main() -> ExitCode {
    demo_cli::run_main(|| {
        let seconds: f64 = std::env::args()
            .nth(1)
            .and_then(|a| a.parse().ok())
            .unwrap_or(5.0);
        let cores = multitask::cpu_count();
        say(&format!(
            "Run {cores} busy threads for {:.2} seconds...",
            seconds * multitask::time_scale()
        ));
        let start = Instant::now();
        std::thread::scope(|s| {
            for _ in 0..cores {
                s.spawn(|| multitask::sleep(seconds));
            }
        });
        let wall = start.elapsed().as_secs_f64();
        let cpu = cores as f64 * wall;
        say(&format!(
            "Cores kept busy: {:.2} (CPU time {cpu:.2} s / wall time {wall:.2} s).",
            cpu / wall
        ));
        Ok::<(), multitask::Error>(())
    })
}
