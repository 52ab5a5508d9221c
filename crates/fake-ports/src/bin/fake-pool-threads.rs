//! A Pool port on threads whose workers print made-up distinct pids (the parent's + 1 + the
//! worker's number), one write per line. Usage: `fake-pool-threads [SIZE]`.

use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Instant;

use fake_ports::say;
use multitask::current_pid;

fn main() -> ExitCode {
    demo_cli::run_main(|| {
        let size: usize = std::env::args()
            .nth(1)
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(multitask::cpu_count);
        say(&format!("Parent process {}.", current_pid()));
        let tasks = Mutex::new((0..5).collect::<Vec<u32>>());
        say("Waiting for all subprocesses done...");
        std::thread::scope(|s| {
            for k in 0..size {
                let tasks = &tasks;
                s.spawn(move || {
                    let fake_pid = current_pid() + 1 + k as i32;
                    loop {
                        let next = tasks.lock().map(|mut t| t.pop()).unwrap_or(None);
                        let Some(name) = next else { return };
                        say(&format!("Run task {name} ({fake_pid})..."));
                        let start = Instant::now();
                        multitask::sleep(multitask::random() * 3.0);
                        say(&format!(
                            "Task {name} runs {:.2} seconds.",
                            start.elapsed().as_secs_f64()
                        ));
                    }
                });
            }
        });
        say("All subprocesses done.");
        Ok::<(), multitask::Error>(())
    })
}
