//! multicore-demo's lines and its refusal of bad input (the timing figure itself is checked in
//! timing_sensitive.rs, alone in its test binary so nothing here competes with it for CPU).

use std::process::Command;
use std::time::Duration;

use workspace_tests::run_with_deadline;

fn multicore_demo() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_multicore-demo"));
    command.env_remove("MULTITASK_TIME_SCALE");
    command
}

#[test]
fn it_prints_its_two_lines() {
    // 5 s scaled by 0.01: a twentieth of a second.
    let out = run_with_deadline(
        multicore_demo().env("MULTITASK_TIME_SCALE", "0.01"),
        Duration::from_secs(30),
    );
    assert!(out.status.success(), "{:?}", out.status);
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text:?}");
    let cores = lines[0]
        .strip_prefix("Run ")
        .and_then(|rest| rest.strip_suffix(" busy threads for 0.05 seconds..."))
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or_else(|| panic!("not the first line: {text:?}"));
    assert!(cores >= 1, "{text:?}");
    assert!(lines[1].starts_with("Cores kept busy: "), "{text:?}");
}

#[test]
fn bad_input_exits_2_with_a_message() {
    for (args, scale) in [
        (["--seconds", "-1"], "1"),
        (["--seconds", "x"], "1"),
        (["--seconds", "1"], "fast"),
    ] {
        let out = run_with_deadline(
            multicore_demo()
                .args(args)
                .env("MULTITASK_TIME_SCALE", scale),
            Duration::from_secs(30),
        );
        assert_eq!(out.status.code(), Some(2), "{args:?} {scale}");
        assert!(out.stdout.is_empty(), "{args:?} {scale}");
        assert!(!out.stderr.is_empty(), "{args:?} {scale}");
    }
}
