//! subprocess-demo as a real process, running real child commands (uname, sh).

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs the demo to the end, killing it if it outlives `limit` (a hung demo fails the test, it
/// does not hang it).
fn run_with_deadline(command: &mut Command, limit: Duration) -> Output {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the demo starts");
    let deadline = Instant::now() + limit;
    while child.try_wait().expect("try_wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the demo did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.wait_with_output().expect("the output")
}

#[cfg(target_os = "linux")]
#[test]
fn both_halves_print_the_command_its_output_and_exit_code() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_subprocess-demo"));
    let out = run_with_deadline(&mut command, Duration::from_secs(30));
    assert!(out.status.success(), "{:?}", out.status);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "$ uname -s\nLinux\nExit code: 0\n$ sh\n42\n\nExit code: 0\n"
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
