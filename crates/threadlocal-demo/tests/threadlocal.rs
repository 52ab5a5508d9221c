//! threadlocal-demo as a real process: each thread greets its own student, by its own name.

use std::process::Command;
use std::time::Duration;

use workspace_tests::run_with_deadline;

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
