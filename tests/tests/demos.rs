//! Every demo of the notes, run 20 times at time scale 0.01, against every guarantee of its
//! output; likely properties judged over all runs together.

use std::time::Duration;

use workspace_tests::{checks, run};

const RUNS: usize = 20;
const SCALE: f64 = 0.01;
const LIMIT: Duration = Duration::from_secs(30);

fn runs(name: &str, args: &[&str]) -> Vec<workspace_tests::Run> {
    (0..RUNS).map(|_| run(name, args, SCALE, LIMIT)).collect()
}

#[test]
fn fork_demo() {
    let runs = runs("fork-demo", &[]);
    for (i, r) in runs.iter().enumerate() {
        checks::fork(r).unwrap_or_else(|e| panic!("run {}: {e}", i + 1));
    }
}

#[test]
fn process_demo() {
    for (i, r) in runs("process-demo", &[]).iter().enumerate() {
        checks::process(r).unwrap_or_else(|e| panic!("run {}: {e}", i + 1));
    }
}

fn pool_with(n: usize, args: &[&str]) {
    let mut most = 0;
    for (i, r) in runs("pool-demo", args).iter().enumerate() {
        let stats = checks::pool(r, n, SCALE).unwrap_or_else(|e| panic!("run {}: {e}", i + 1));
        most = most.max(stats.max_running);
    }
    // Likely, not guaranteed: judged over all runs, never from one.
    assert_eq!(
        most,
        n.min(5),
        "pool of {n} never ran {} tasks at once",
        n.min(5)
    );
}

#[test]
fn pool_demo_default_size() {
    pool_with(multitask::cpu_count(), &[]);
}

#[test]
fn pool_demo_sizes_1_2_5() {
    pool_with(1, &["1"]);
    pool_with(2, &["2"]);
    pool_with(5, &["5"]);
}

#[test]
fn queue_demo() {
    let mut all_three = 0;
    for (i, r) in runs("queue-demo", &[]).iter().enumerate() {
        let gets = checks::queue(r).unwrap_or_else(|e| panic!("run {}: {e}", i + 1));
        all_three += usize::from(gets == 3);
    }
    assert!(all_three > 0, "no run of {RUNS} showed all three Gets");
}

#[test]
fn thread_demo() {
    for (i, r) in runs("thread-demo", &[]).iter().enumerate() {
        checks::thread(r).unwrap_or_else(|e| panic!("run {}: {e}", i + 1));
    }
}

#[test]
fn pool_demo_rejects_bad_sizes_in_one_line() {
    for bad in ["abc", "0", "-3"] {
        let r = run("pool-demo", &[bad], SCALE, LIMIT);
        assert_eq!(r.code, Some(2), "pool-demo {bad}");
        assert!(r.lines.is_empty());
        assert_eq!(r.stderr.lines().count(), 1, "{:?}", r.stderr);
        assert!(r.stderr.contains(bad), "{:?}", r.stderr);
    }
}

#[test]
fn pipe_demo() {
    for (i, r) in runs("pipe-demo", &[]).iter().enumerate() {
        checks::pipe(r).unwrap_or_else(|e| panic!("run {}: {e}", i + 1));
    }
}
