//! PCT in a grading: a fixed sleep of 0.2 s instead of a join fails at time scale 0.01 within the
//! default 10 runs (whatever the holds of old would have said), the report states PCT's bound,
//! and `--confidence` stops once the bound is reached.

mod common;

use std::time::Duration;

use common::grade;
use serde_json::Value;

fn report(args: &[&str]) -> (Option<i32>, Value) {
    let out = grade(args, Duration::from_secs(300));
    let v = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("no JSON report ({e}): {}", out.stderr));
    (out.code, v)
}

#[test]
fn a_fixed_sleep_instead_of_a_join_fails_at_a_small_time_scale() {
    let fake = workspace_tests::bin("fake-sleep-join");
    let fake = fake.to_str().expect("utf-8 path");
    let (code, r) = report(&[
        "process",
        "--time-scale",
        "0.01",
        "--format",
        "json",
        "--",
        fake,
        "process",
        "0.2",
    ]);
    assert_eq!(code, Some(1), "{r:#}");
    let check = r["checks"]
        .as_array()
        .and_then(|cs| {
            cs.iter()
                .find(|c| c["name"] == "'Process end.' comes after the child line (join)")
        })
        .expect("the join check");
    assert_eq!(check["status"], "failed", "{check:#}");
    let cov = &r["facts"]["coverage"];
    assert_eq!(cov["depth"], 2, "{cov:#}");
    // Half of the runs made are shaken (the grading stops once the join check failed twice).
    assert!(
        cov["runs"].as_u64().is_some_and(|n| (1..=5).contains(&n)),
        "{cov:#}"
    );
    assert!(cov["tasks"].as_u64().is_some_and(|n| n >= 2), "{cov:#}");
    assert!(cov["points"].as_u64().is_some_and(|k| k >= 4), "{cov:#}");
}

#[test]
fn confidence_stops_once_the_bound_is_reached() {
    let demo = workspace_tests::bin("process-demo");
    let demo = demo.to_str().expect("utf-8 path");
    // Depth 1 over two tasks: each run shaken by PCT shows a bug of depth 1 with probability at
    // least 1/2, so 0.9 needs four of them, about eight runs in all.
    let (code, r) = report(&[
        "process",
        "--time-scale",
        "0.01",
        "--depth",
        "1",
        "--confidence",
        "0.9",
        "--runs",
        "40",
        "--format",
        "json",
        "--",
        demo,
    ]);
    assert_eq!(code, Some(0), "{r:#}");
    let runs = r["runs"].as_u64().expect("runs");
    let cov = &r["facts"]["coverage"];
    assert!(
        cov["at_least_once"].as_f64().is_some_and(|p| p >= 0.9),
        "{cov:#}"
    );
    assert!((4..40).contains(&runs), "{runs} runs: {cov:#}");
}
