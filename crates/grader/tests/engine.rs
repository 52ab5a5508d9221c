//! The engine on hand-built run outcomes: each kind of check passes on a good run and fails on a
//! bad one with a message that quotes the offending lines.

use std::time::Duration;

use grader::{CheckKind, CheckStatus, Params, Report, Spec, judge};
use grader::{Exit, LeftBehind, Line, RunOutcome};

const MAIN: i32 = 4000;
const ADOPTER: i32 = 1;

fn outcome(run: usize, lines: &[&str]) -> RunOutcome {
    RunOutcome {
        run,
        main_pid: MAIN,
        adopter_pid: ADOPTER,
        lines: lines
            .iter()
            .enumerate()
            .map(|(i, t)| Line {
                text: t.to_string(),
                utf8: true,
                at: Duration::from_millis(i as u64),
                writer: None,
            })
            .collect(),
        stderr_tail: String::new(),
        exit: Some(Exit::Code(0)),
        timed_out: false,
        output_limit_hit: false,
        left_behind: Vec::new(),
        elapsed: Duration::from_millis(10),
        ..RunOutcome::default()
    }
}

fn judged(spec: &Spec, params: &[(&str, &str)], scale: f64, runs: &[RunOutcome]) -> Report {
    let params: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let p = Params::resolve(spec, &params, scale).expect("params");
    judge(spec, &p, runs)
}

/// The first failure message of a check, or None when it passed.
fn failure(r: &Report, check: &str) -> Option<String> {
    let c = r.check(check).unwrap_or_else(|| panic!("no check {check}"));
    if c.passed {
        None
    } else {
        Some(
            c.failures
                .first()
                .expect("a failed check has a failure")
                .message
                .clone(),
        )
    }
}

fn pool() -> Spec {
    Spec::builtin("pool").expect("pool spec")
}

/// A correct pool run with two workers (pids 11, 12) in the parent 10.
fn good_pool() -> Vec<&'static str> {
    vec![
        "Parent process 10.",
        "Run task 0 (11)...",
        "Run task 1 (12)...",
        "Waiting for all subprocesses done...",
        "Task 1 runs 0.01 seconds.",
        "Run task 2 (12)...",
        "Task 0 runs 0.02 seconds.",
        "Run task 3 (11)...",
        "Task 2 runs 0.01 seconds.",
        "Run task 4 (12)...",
        "Task 3 runs 0.00 seconds.",
        "Task 4 runs 0.03 seconds.",
        "All subprocesses done.",
    ]
}

#[test]
fn a_good_pool_run_passes_everything() {
    let r = judged(
        &pool(),
        &[("processes", "2")],
        0.01,
        &[outcome(1, &good_pool())],
    );
    assert!(r.passed, "{}", r.text(false));
    assert_eq!(r.runs, 1);
    assert_eq!(r.params.get("processes"), Some(&2));
}

#[test]
fn open_bound_and_distinct_workers() {
    let mut lines = good_pool();
    // Task 2 starts on a third worker before anything ended: 3 open, 3 workers.
    lines.insert(3, "Run task 2 (13)...");
    lines.remove(6);
    let r = judged(&pool(), &[("processes", "2")], 0.01, &[outcome(1, &lines)]);
    let m = failure(&r, "at most N tasks run at once").expect("bound fails");
    assert!(
        m.contains("at line 4 \"Run task 2 (13)...\", 3 'run' lines are open"),
        "{m}"
    );
    assert!(m.contains("at most 2 allowed"), "{m}");
    let m = failure(&r, "at most N distinct worker pids").expect("distinct fails");
    assert!(m.contains("3 distinct W"), "{m}");
    // With a pool of 3 both hold.
    let r = judged(&pool(), &[("processes", "3")], 0.01, &[outcome(1, &lines)]);
    assert_eq!(failure(&r, "at most N tasks run at once"), None);
    assert_eq!(failure(&r, "at most N distinct worker pids"), None);
}

#[test]
fn likely_checks_are_judged_against_the_threshold() {
    let sequential = [
        "Parent process 10.",
        "Waiting for all subprocesses done...",
        "Run task 0 (11)...",
        "Task 0 runs 0.01 seconds.",
        "Run task 1 (11)...",
        "Task 1 runs 0.01 seconds.",
        "Run task 2 (11)...",
        "Task 2 runs 0.01 seconds.",
        "Run task 3 (11)...",
        "Task 3 runs 0.01 seconds.",
        "Run task 4 (11)...",
        "Task 4 runs 0.01 seconds.",
        "All subprocesses done.",
    ];
    let check = "N tasks run at once at some point";
    // No concurrent run in 10: the 95% interval (0% to 28%) still holds the 10% threshold, so
    // the check is undecided (it fails nothing) and says about how many more runs would decide.
    let mut runs: Vec<RunOutcome> = (1..=10).map(|i| outcome(i, &sequential)).collect();
    let r = judged(&pool(), &[("processes", "2")], 0.01, &runs);
    let c = r.check(check).expect("check");
    assert_eq!(c.kind, CheckKind::Likely);
    assert_eq!(c.threshold, Some(0.1));
    assert_eq!(c.runs_passed, 0);
    assert_eq!(c.status, CheckStatus::Undecided);
    assert!(!c.passed && c.failures.is_empty());
    let more = c.more_runs.expect("about how many more");
    assert!((15..=40).contains(&more), "{more}");
    assert!(r.passed, "undecided fails nothing: {}", r.text(false));
    assert!(
        r.text(false).contains("undecided after 10 runs"),
        "{}",
        r.text(false)
    );
    // With that many more, none concurrent: the interval lies below 10%, a failure.
    runs.extend((11..=10 + more).map(|i| outcome(i, &sequential)));
    let r = judged(&pool(), &[("processes", "2")], 0.01, &runs);
    let c = r.check(check).expect("check");
    assert_eq!(c.status, CheckStatus::Failed);
    assert_eq!(c.failures.len(), runs.len());
    assert!(
        c.failures[0].message.contains("expected 2 at some point"),
        "{:?}",
        c.failures
    );
    assert!(
        c.interval.is_some_and(|[_, high]| high < 0.1),
        "{:?}",
        c.interval
    );
    // 1 in 10 may be a correct pool's share: undecided, not failed.
    let mut runs: Vec<RunOutcome> = (1..=10).map(|i| outcome(i, &sequential)).collect();
    runs[4] = outcome(5, &good_pool());
    let r = judged(&pool(), &[("processes", "2")], 0.01, &runs);
    assert_eq!(
        r.check(check).expect("check").status,
        CheckStatus::Undecided
    );
    // 5 in 10: the interval (24% to 76%) lies above 10%, a pass that lists no failures.
    for i in [0, 2, 6, 8] {
        runs[i] = outcome(i + 1, &good_pool());
    }
    let r = judged(&pool(), &[("processes", "2")], 0.01, &runs);
    let c = r.check(check).expect("check");
    assert!(
        c.passed && c.failures.is_empty() && c.runs_passed == 5,
        "{c:?}"
    );
    // A pool bigger than the number of tasks needs only as many at once as there are tasks.
    let all_at_once = [
        "Parent process 10.",
        "Run task 0 (11)...",
        "Run task 1 (12)...",
        "Run task 2 (13)...",
        "Run task 3 (14)...",
        "Run task 4 (15)...",
        "Waiting for all subprocesses done...",
        "Task 1 runs 0.01 seconds.",
        "Task 0 runs 0.02 seconds.",
        "Task 2 runs 0.01 seconds.",
        "Task 3 runs 0.00 seconds.",
        "Task 4 runs 0.03 seconds.",
        "All subprocesses done.",
    ];
    let r = judged(
        &pool(),
        &[("processes", "8")],
        0.01,
        &[outcome(1, &all_at_once)],
    );
    assert!(r.passed, "{}", r.text(false));
    // Two at once where five are due, in each of 40 runs: below 10% with 95% confidence.
    let runs: Vec<RunOutcome> = (1..=40).map(|i| outcome(i, &good_pool())).collect();
    let r = judged(&pool(), &[("processes", "8")], 0.01, &runs);
    assert!(
        failure(&r, check)
            .expect("2 of 5")
            .contains("expected 5 at some point")
    );
}

#[test]
fn per_value_counts_and_order() {
    let mut lines = good_pool();
    lines.retain(|l| !l.starts_with("Run task 3"));
    lines.push("Run task 7 (11)...");
    let r = judged(&pool(), &[("processes", "2")], 0.01, &[outcome(1, &lines)]);
    let m = failure(&r, "each task 0..4 starts once").expect("fails");
    assert!(
        m.contains("\"Run task 7 (11)...\" has i=7, not one of 0, 1, 2, 3, 4"),
        "{m}"
    );
    assert!(
        m.contains("expected exactly 1 'run' line(s) with i=3, found none"),
        "{m}"
    );
    let m = failure(&r, "each task's Run line comes before its Task line").expect("fails");
    assert!(
        m.contains("line 10 \"Task 3 runs 0.00 seconds.\" comes before any 'run' line with i=3"),
        "{m}"
    );
    let m = failure(&r, "the done line comes last").expect("fails");
    assert!(
        m.contains("the last line is line 13 \"Run task 7 (11)...\""),
        "{m}"
    );
}

#[test]
fn numeric_range_is_scaled_with_slack() {
    let mut lines = good_pool();
    lines[4] = "Task 1 runs 1.20 seconds.";
    let check = "each task's time is within 0..3 seconds x time scale";
    // At scale 0.01 the bound is 0.03 + 1.0 slack.
    let r = judged(&pool(), &[("processes", "2")], 0.01, &[outcome(1, &lines)]);
    let m = failure(&r, check).expect("fails");
    assert!(
        m.contains("line 5 \"Task 1 runs 1.20 seconds.\" has S = 1.20, outside [-1, 1.03]"),
        "{m}"
    );
    let r = judged(&pool(), &[("processes", "2")], 1.0, &[outcome(1, &lines)]);
    assert_eq!(failure(&r, check), None);
}

#[test]
fn relations_with_the_adopter() {
    let fork = Spec::builtin("fork").expect("fork");
    let check = "the child's parent is P or its adopter";
    let lines = |q: i32| {
        vec![
            "Process (500) start...".to_string(),
            "I (500) just created a child process (501).".to_string(),
            format!("I am child process (501) and my parent is {q}."),
        ]
    };
    let run = |q: i32| {
        let l = lines(q);
        let refs: Vec<&str> = l.iter().map(String::as_str).collect();
        outcome(1, &refs)
    };
    assert!(judged(&fork, &[], 1.0, &[run(500)]).passed);
    assert!(judged(&fork, &[], 1.0, &[run(ADOPTER)]).passed);
    let r = judged(&fork, &[], 1.0, &[run(77)]);
    let m = failure(&r, check).expect("fails");
    assert!(
        m.contains("line 3 \"I am child process (501) and my parent is 77.\" has child.Q = 77"),
        "{m}"
    );
    assert!(
        m.contains("500 (line 1 \"Process (500) start...\" has start.P), 1 (adopter_pid)"),
        "{m}"
    );
    assert_eq!(r.failed(), [check]);
    // A fork that never forks: C == P.
    let r = judged(
        &fork,
        &[],
        1.0,
        &[outcome(
            1,
            &[
                "Process (500) start...",
                "I (500) just created a child process (500).",
                "I am child process (500) and my parent is 1.",
            ],
        )],
    );
    assert_eq!(r.failed(), ["child pid differs from parent pid"]);
}

#[test]
fn run_together_lines_are_named_as_such() {
    let spec = Spec::builtin("queue").expect("queue");
    let r = judged(
        &spec,
        &[],
        1.0,
        &[outcome(
            1,
            &[
                "Put A to queue...",
                "Put B to queue...Get A from queue.",
                "",
                "Get B from queue.",
                "Put C to queue...",
                "Get C from queue.",
            ],
        )],
    );
    let m = failure(&r, grader::LINES_CHECK).expect("fails");
    assert!(
        m.contains("line 2 \"Put B to queue...Get A from queue.\" is two expected lines run together (\"Put B to queue...\" + \"Get A from queue.\")"),
        "{m}"
    );
    assert!(m.contains("write each line in one call"), "{m}");
    assert!(m.contains("line 3 \"\" matches no pattern"), "{m}");
    // A line written in two calls with another line in between.
    let r = judged(
        &spec,
        &[],
        1.0,
        &[outcome(
            1,
            &[
                "Put A to queue...",
                "Get Put B to queue...",
                "A from queue.",
                "Get B from queue.",
            ],
        )],
    );
    let m = failure(&r, grader::LINES_CHECK).expect("fails");
    assert!(m.contains("line 2 \"Get Put B to queue...\" is another line written into the middle of an expected line (which begins \"Get \" and ends on line 3)"), "{m}");
}

#[test]
fn non_utf8_fails_the_match_not_the_grader() {
    let spec = Spec::builtin("thread").expect("thread");
    let mut run = outcome(1, &["thread MainThread is running..."]);
    run.lines.push(Line {
        text: "thread \u{FFFD} ended.".into(),
        utf8: false,
        at: Duration::ZERO,
        writer: None,
    });
    let r = judged(&spec, &[], 1.0, &[run]);
    let m = failure(&r, grader::LINES_CHECK).expect("fails");
    assert!(
        m.contains("line 2 is not valid UTF-8: \"thread \u{FFFD} ended.\""),
        "{m}"
    );
}

#[test]
fn builtin_run_checks() {
    let spec = Spec::builtin("process").expect("process");
    let good = [
        "Parent process 7.",
        "Process will start.",
        "Run child process test (8)...",
        "Process end.",
    ];
    let mut run = outcome(3, &good);
    run.exit = Some(Exit::Code(101));
    run.stderr_tail = "a\nb\nc\nd\ne\nthread 'main' panicked at src/main.rs:3:5\n".into();
    run.timed_out = true;
    run.output_limit_hit = true;
    run.left_behind = vec![LeftBehind {
        pid: 99,
        cmdline: "sleep 100".into(),
    }];
    let r = judged(
        &spec,
        &[],
        1.0,
        &[outcome(1, &good), outcome(2, &good), run],
    );
    let m = failure(&r, grader::EXIT_CHECK).expect("exit");
    assert!(
        m.starts_with("the main process exited with status 101; stderr ends with:"),
        "{m}"
    );
    assert!(
        m.contains("| thread 'main' panicked at src/main.rs:3:5"),
        "{m}"
    );
    assert!(!m.contains("| a\n"), "only the tail: {m}");
    assert_eq!(r.check(grader::EXIT_CHECK).expect("c").failures[0].run, 3);
    assert!(
        failure(&r, grader::TIMEOUT_CHECK)
            .expect("t")
            .contains("timeout")
    );
    assert!(
        failure(&r, grader::OUTPUT_LIMIT_CHECK)
            .expect("o")
            .contains("output limit")
    );
    assert!(
        failure(&r, grader::LEFT_BEHIND_CHECK)
            .expect("l")
            .contains("pid 99 (sleep 100)")
    );
    assert_eq!(r.check(grader::EXIT_CHECK).expect("c").runs_passed, 2);
    let mut run = outcome(1, &good);
    run.exit = None;
    let r = judged(&spec, &[], 1.0, &[run]);
    assert!(
        failure(&r, grader::EXIT_CHECK)
            .expect("exit")
            .contains("did not exit on its own")
    );
}

#[test]
fn first_last_and_sequence() {
    let spec = Spec::builtin("thread").expect("thread");
    let r = judged(&spec, &[], 1.0, &[outcome(1, &[])]);
    assert!(
        failure(&r, "MainThread's running line comes first")
            .expect("f")
            .contains("no output")
    );
    let lines = [
        "thread MainThread is running...",
        "thread LoopThread is running...",
        "thread LoopThread >>> 1",
        "thread LoopThread >>> 3",
        "thread LoopThread >>> 2",
        "thread LoopThread >>> 4",
        "thread LoopThread >>> 5",
        "thread LoopThread ended.",
        "thread MainThread ended.",
    ];
    let r = judged(&spec, &[], 1.0, &[outcome(1, &lines)]);
    assert_eq!(r.failed(), ["LoopThread counts in order"]);
    let m = failure(&r, "LoopThread counts in order").expect("f");
    assert!(m.contains("line 5 \"thread LoopThread >>> 2\" (n=2) comes after line 4 \"thread LoopThread >>> 3\" (n=3): expected the order 1, 2, 3, 4, 5"), "{m}");
}

#[test]
fn params_are_checked() {
    let spec = pool();
    let bad = |k: &str, v: &str| {
        Params::resolve(&spec, &[(k.to_string(), v.to_string())], 1.0)
            .expect_err("bad param")
            .to_string()
    };
    assert!(bad("procs", "2").contains("unknown parameter 'procs'"));
    assert!(bad("processes", "two").contains("whole number"));
    assert!(bad("processes", "-1").contains("whole number"));
    assert!(Params::resolve(&spec, &[], 0.0).is_err());
    let p = Params::resolve(&spec, &[], 1.0).expect("defaults");
    assert_eq!(p.get("processes"), Some(num_cpus_get()));
}

fn num_cpus_get() -> i64 {
    std::thread::available_parallelism().map_or(1, |n| n.get() as i64)
}

/// A run at the output cap built to be expensive (many open lines, many distinct values, many
/// long unmatched lines) is judged in linear time with bounded messages.
#[test]
fn a_flood_at_the_output_cap_is_judged_quickly() {
    let mut lines: Vec<String> = vec!["Parent process 10.".into()];
    for w in 0..12_000 {
        lines.push(format!("Run task 1 ({})...", 100 + w));
    }
    for _ in 0..12_000 {
        lines.push("Task 9 runs 0.00 seconds.".into());
    }
    for _ in 0..500 {
        lines.push("x".repeat(400));
    }
    let bytes: usize = lines.iter().map(|l| l.len() + 1).sum();
    assert!(bytes <= 1 << 20, "{bytes}");
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let start = std::time::Instant::now();
    let r = judged(&pool(), &[("processes", "2")], 1.0, &[outcome(1, &refs)]);
    let took = start.elapsed();
    // Quadratic work here would take minutes; linear work takes well under a second.
    assert!(took < Duration::from_secs(10), "{took:?}");
    for c in &r.checks {
        for f in &c.failures {
            assert!(
                f.message.len() < 4000,
                "{}: {} bytes",
                c.name,
                f.message.len()
            );
        }
    }
    let m = failure(&r, grader::LINES_CHECK).expect("fails");
    assert!(m.ends_with("(and 497 more)"), "{m}");
    assert!(
        failure(&r, "at most N distinct worker pids")
            .expect("f")
            .contains("12000 distinct W")
    );
    assert!(failure(&r, "no task runs in the parent process").is_none());
    eprintln!("judged {} lines ({bytes} bytes) in {took:?}", lines.len());
}
