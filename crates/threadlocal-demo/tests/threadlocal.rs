//! threadlocal-demo as a real process: each thread greets its own student, by its own name.

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

#[test]
fn each_thread_sees_its_own_student() {
    for run in 0..10 {
        let mut command = Command::new(env!("CARGO_BIN_EXE_threadlocal-demo"));
        let out = run_with_deadline(&mut command, Duration::from_secs(30));
        assert!(out.status.success(), "run {run}: {:?}", out.status);
        let text = String::from_utf8_lossy(&out.stdout);
        // The two threads run concurrently: either order is right.
        let mut lines: Vec<&str> = text.lines().collect();
        lines.sort_unstable();
        assert_eq!(
            lines,
            ["Hello, Alice (in Thread-A)", "Hello, Bob (in Thread-B)"],
            "run {run}: {text:?}"
        );
        assert!(text.ends_with('\n'));
    }
}
