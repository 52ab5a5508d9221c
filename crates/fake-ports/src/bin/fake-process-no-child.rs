//! A Process port that never starts a process: it prints a made-up child pid (its own + 7).

use std::process::ExitCode;

use fake_ports::say;
use multitask::current_pid;

fn main() -> ExitCode {
    demo_cli::run_main(|| {
        say(&format!("Parent process {}.", current_pid()));
        say("Process will start.");
        say(&format!(
            "Run child process test ({})...",
            current_pid() + 7
        ));
        say("Process end.");
        Ok::<(), multitask::Error>(())
    })
}
