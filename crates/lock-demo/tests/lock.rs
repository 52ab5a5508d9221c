//! lock-demo as a real process: with the lock the balance is always 0; without it the program
//! still prints one integer (usually not 0, but that is only likely, so it is not asserted).

use std::process::Command;
use std::time::Duration;

use workspace_tests::run_with_deadline;

const LIMIT: Duration = Duration::from_secs(30);

fn lock_demo() -> Command {
    Command::new(env!("CARGO_BIN_EXE_lock-demo"))
}

#[test]
fn with_the_lock_the_balance_is_zero_on_every_run() {
    for run in 0..10 {
        let out = run_with_deadline(&mut lock_demo(), LIMIT);
        assert!(out.status.success(), "run {run}: {:?}", out.status);
        assert_eq!(String::from_utf8_lossy(&out.stdout), "0\n", "run {run}");
        assert!(out.stderr.is_empty(), "run {run}");
    }
}

#[test]
fn without_the_lock_it_prints_one_integer() {
    for run in 0..5 {
        let out = run_with_deadline(lock_demo().arg("--no-lock"), LIMIT);
        assert!(out.status.success(), "run {run}: {:?}", out.status);
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text.strip_suffix('\n').expect("one line");
        assert!(!line.contains('\n'), "one line: {text:?}");
        line.parse::<i64>().expect("an integer balance");
    }
}

#[test]
fn a_bad_argument_exits_2_with_a_message() {
    let out = run_with_deadline(lock_demo().arg("--bogus"), LIMIT);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--bogus"));
}
