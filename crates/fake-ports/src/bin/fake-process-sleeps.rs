//! A Process port that sleeps 0.2 s (x time scale) instead of joining its child.

use std::process::ExitCode;

use fake_ports::say;
use multitask::{Process, current_pid};

fn main() -> ExitCode {
    demo_cli::run_main(|| {
        say(&format!("Parent process {}.", current_pid()));
        let mut p = Process::new(|| say(&format!("Run child process test ({})...", current_pid())));
        say("Process will start.");
        p.start()?;
        multitask::sleep(0.2);
        say("Process end.");
        p.join()
    })
}
