//! A fork port whose parent prints the child's line itself (with the child's real pid).

use std::process::ExitCode;

use fake_ports::say;
use multitask::{Process, current_pid};

fn main() -> ExitCode {
    demo_cli::run_main(|| {
        say(&format!("Process ({}) start...", current_pid()));
        let mut child = Process::new(|| ());
        child.start()?;
        let pid = child.pid().unwrap_or_default();
        say(&format!(
            "I ({}) just created a child process ({pid}).",
            current_pid()
        ));
        say(&format!(
            "I am child process ({pid}) and my parent is {}.",
            current_pid()
        ));
        child.join()
    })
}
