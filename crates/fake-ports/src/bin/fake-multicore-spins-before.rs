//! Burns the CPU time it will claim before it prints the run line, then lets its threads sleep
//! and prints that time as theirs: the kernel's count for the whole run covers the claim, the
//! count between the two lines is next to nothing.
//! Usage: `fake-multicore-spins-before [SECONDS]` (default 5, times the time scale).

use std::process::ExitCode;
use std::time::Instant;

use fake_ports::say;

/// The CPU time this process used so far (user + system), in seconds.
fn cpu_time() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec we hand it.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}

fn main() -> ExitCode {
    demo_cli::run_main(|| {
        let seconds: f64 = std::env::args()
            .nth(1)
            .and_then(|a| a.parse().ok())
            .unwrap_or(5.0)
            * multitask::time_scale();
        let cores = multitask::cpu_count();
        // The lie's alibi: what it will claim, used before the run starts.
        let mut x = 0u64;
        while cpu_time() < cores as f64 * seconds {
            x = std::hint::black_box(x ^ 1);
        }
        let alibi = cpu_time();
        say(&format!(
            "Run {cores} busy threads for {seconds:.2} seconds..."
        ));
        let start = Instant::now();
        std::thread::scope(|s| {
            for _ in 0..cores {
                s.spawn(|| std::thread::sleep(std::time::Duration::from_secs_f64(seconds)));
            }
        });
        let wall = start.elapsed().as_secs_f64();
        say(&format!(
            "Cores kept busy: {:.2} (CPU time {alibi:.2} s / wall time {wall:.2} s).",
            alibi / wall
        ));
        Ok::<(), multitask::Error>(())
    })
}
