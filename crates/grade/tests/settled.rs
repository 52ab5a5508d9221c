//! A grading stops once its verdict is settled: a guaranteed check failed in two runs (a
//! timeout included) means no later run can make it pass. `--all-runs` makes every run.

mod common;

use std::time::{Duration, Instant};

use common::grade;

const LIMIT: Duration = Duration::from_secs(120);

/// A port that never ends, graded with `timeout` seconds a run: the stderr, the report, and how
/// long the grading took.
fn never_ending(extra: &[&str]) -> (common::Graded, Duration) {
    let mut args = vec!["fork"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--", "sleep", "1000"]);
    let started = Instant::now();
    let out = grade(&args, LIMIT);
    (out, started.elapsed())
}

#[test]
fn a_port_that_never_ends_costs_two_timeouts() {
    let (out, took) = never_ending(&["--timeout", "1", "--lang", "en"]);
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(
        out.stderr
            .contains("stopped after 2 runs: the verdict could not change"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("grade fork: 2 runs"), "{}", out.stdout);
    assert!(
        out.stdout.contains("stopped after 2 runs"),
        "the report says it too: {}",
        out.stdout
    );
    // Two timeouts of 1 s, plus at most a second for everything else.
    assert!(took < Duration::from_secs(3), "took {took:?}");
}

#[test]
fn all_runs_makes_every_run() {
    let (out, took) = never_ending(&["--timeout", "0.3", "--runs", "4", "--all-runs"]);
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(!out.stderr.contains("stopped after"), "{}", out.stderr);
    assert!(out.stdout.contains("grade fork: 4 runs"), "{}", out.stdout);
    assert!(took >= Duration::from_millis(1200), "took {took:?}");
}

#[test]
fn one_failure_does_not_stop_a_grading() {
    // Two runs asked: the first failure cannot have a second before the end, so nothing stops
    // early and nothing says so.
    let (out, _) = never_ending(&["--timeout", "0.3", "--runs", "2"]);
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(!out.stderr.contains("stopped after"), "{}", out.stderr);
    assert!(out.stdout.contains("grade fork: 2 runs"), "{}", out.stdout);
}

/// With the defaults (ten runs of 30 s) a port that never ends is graded in two timeouts and
/// at most a second more. A minute: outside the default run.
#[test]
#[ignore = "a minute long: two default timeouts"]
fn with_the_defaults_a_port_that_never_ends_takes_two_timeouts_and_a_second() {
    let (out, took) = never_ending(&[]);
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(
        out.stderr.contains("stopped after 2 runs"),
        "{}",
        out.stderr
    );
    assert!(took <= Duration::from_secs(61), "took {took:?}");
}
