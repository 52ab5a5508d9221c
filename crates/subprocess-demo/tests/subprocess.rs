//! subprocess-demo as a real process, running real child commands (uname, sh).

use std::process::Command;
use std::time::Duration;

use workspace_tests::run_with_deadline;

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
