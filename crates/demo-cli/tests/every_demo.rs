//! Every demo is a command-line program: `--help` and `--version` answer and exit 0, an unknown
//! argument and a knob out of range (`MULTITASK_TIME_SCALE=1e300`, multicore's `--seconds 1e20`)
//! are one stderr line and status 2, never a panic.

use std::process::Command;
use std::time::Duration;

use workspace_tests::{bin, run_with_deadline};

/// Every example's demo binaries (`workspace_tests::examples`), a pair's two programs too.
fn demos() -> Vec<String> {
    let all: Vec<String> = workspace_tests::examples()
        .into_iter()
        .flat_map(|ex| ex.demos)
        .collect();
    assert!(all.len() >= 12, "{all:?}");
    all
}

fn run(demo: &str, args: &[&str], env: Option<(&str, &str)>) -> std::process::Output {
    let mut command = Command::new(bin(demo));
    command.args(args).env_remove("MULTITASK_TIME_SCALE");
    if let Some((var, value)) = env {
        command.env(var, value);
    }
    run_with_deadline(&mut command, Duration::from_secs(30))
}

#[test]
fn help_and_version_answer_and_exit_0() {
    for demo in &demos() {
        let demo = demo.as_str();
        let help = run(demo, &["--help"], None);
        let text = String::from_utf8_lossy(&help.stdout);
        assert_eq!(help.status.code(), Some(0), "{demo} --help");
        assert!(text.contains("Usage:"), "{demo} --help: {text:?}");
        assert!(text.contains("--version"), "{demo} --help: {text:?}");
        for knob in ["MULTITASK_TIME_SCALE", "MULTITASK_SEED"] {
            assert!(text.contains(knob), "{demo} --help lacks {knob}: {text:?}");
        }
        let version = run(demo, &["--version"], None);
        let text = String::from_utf8_lossy(&version.stdout);
        assert_eq!(version.status.code(), Some(0), "{demo} --version");
        assert_eq!(text.trim(), format!("{demo} {}", env!("CARGO_PKG_VERSION")));
    }
}

/// One line on stderr, naming the program, nothing on stdout, status 2.
fn assert_refused(demo: &str, out: &std::process::Output, what: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{demo} {what}: {stderr:?}");
    assert!(out.stdout.is_empty(), "{demo} {what} printed on stdout");
    assert_eq!(stderr.lines().count(), 1, "{demo} {what}: {stderr:?}");
    assert!(
        stderr.starts_with(&format!("{demo}: ")),
        "{demo} {what}: {stderr:?}"
    );
    assert!(!stderr.contains("panicked"), "{demo} {what}: {stderr:?}");
}

#[test]
fn an_unknown_argument_is_one_line_and_status_2() {
    for demo in &demos() {
        let demo = demo.as_str();
        assert_refused(demo, &run(demo, &["--bogus"], None), "--bogus");
    }
}

#[test]
fn a_knob_out_of_range_is_one_line_and_status_2() {
    for demo in &demos() {
        let demo = demo.as_str();
        let out = run(demo, &[], Some(("MULTITASK_TIME_SCALE", "1e300")));
        assert_refused(demo, &out, "MULTITASK_TIME_SCALE=1e300");
        assert!(String::from_utf8_lossy(&out.stderr).contains("MULTITASK_TIME_SCALE"));
    }
    for seconds in ["1e20", "inf", "NaN", "0"] {
        let out = run("multicore-demo", &["--seconds", seconds], None);
        assert_refused("multicore-demo", &out, &format!("--seconds {seconds}"));
    }
}
