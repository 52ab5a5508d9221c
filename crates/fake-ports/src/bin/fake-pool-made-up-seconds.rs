//! A real Pool whose tasks never sleep and print a made-up time (issue 18): the output looks
//! right, but no task took the time it prints. Usage: `fake-pool-made-up-seconds [SIZE]`.

use std::process::ExitCode;

use fake_ports::say;
use multitask::{Pool, current_pid};

fn long_time_task(name: u32) {
    say(&format!("Run task {name} ({})...", current_pid()));
    say(&format!("Task {name} runs {:.2} seconds.", 1.73));
}

fn main() -> ExitCode {
    demo_cli::run_main(|| {
        let size = std::env::args().nth(1).and_then(|a| a.parse().ok());
        say(&format!("Parent process {}.", current_pid()));
        let p = Pool::new(size)?;
        for i in 0..5 {
            p.apply_async(long_time_task, i)?;
        }
        say("Waiting for all subprocesses done...");
        p.close()?;
        p.join()?;
        say("All subprocesses done.");
        Ok::<(), multitask::Error>(())
    })
}
