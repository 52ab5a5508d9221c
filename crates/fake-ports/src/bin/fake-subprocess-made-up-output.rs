//! Runs the first command only (through a shell, so `sh` is exec'd as the second command would
//! be), then prints the second command's output and exit code itself (issue 18).

use std::process::{Command, ExitCode};

use fake_ports::say;

fn main() -> ExitCode {
    demo_cli::run_main(|| {
        say("$ uname -s");
        let status = Command::new("sh").args(["-c", "uname -s"]).status()?;
        say(&format!("Exit code: {}", status.code().unwrap_or(-1)));
        say("$ sh");
        say("42\n");
        say("Exit code: 0");
        Ok::<(), std::io::Error>(())
    })
}
