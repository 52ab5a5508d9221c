//! `grade explore`: the thread demo's orders within two preemptions are all run and none breaks a
//! guaranteed check; a sleep-for-join fake's failing order is found, and its schedule string
//! replays it: the same order of stop points, the same failed check.

mod common;

use std::time::Duration;

use common::{fixtures, grade};
use serde_json::Value;

fn json(out: &common::Graded) -> Value {
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("no JSON report ({e}): {}\n{}", out.stdout, out.stderr))
}

#[test]
fn the_thread_demo_is_covered_within_two_preemptions_and_never_fails() {
    let demo = workspace_tests::bin("thread-demo");
    let demo = demo.to_str().expect("utf-8 path");
    let out = grade(
        &[
            "explore",
            "thread",
            "--time-scale",
            "0.01",
            "--max-runs",
            "60",
            "--format",
            "json",
            "--",
            demo,
        ],
        Duration::from_secs(300),
    );
    let r = json(&out);
    assert_eq!(out.code, Some(0), "{r:#}\n{}", out.stderr);
    assert_eq!(r["failing"], Value::Null, "{r:#}");
    assert_eq!(r["covered"], true, "{r:#}");
    assert_eq!(r["preemptions"], 2);
    // More than the one default order: the loop thread's start and the main thread's lines
    // were put in other orders.
    assert!(r["runs"].as_u64().is_some_and(|n| n > 1), "{r:#}");
    assert!(r["decisions"].as_u64().is_some_and(|n| n >= 10), "{r:#}");
}

#[test]
fn a_sleep_for_join_fake_fails_and_its_schedule_replays_the_failure() {
    let fake = fixtures().join("sleep_join/process.py");
    let fake = fake.to_str().expect("utf-8 path");
    let out = grade(
        &[
            "explore",
            "process",
            "--time-scale",
            "0.01",
            "--max-runs",
            "40",
            "--format",
            "json",
            "--",
            "python3",
            fake,
            "0.2",
        ],
        Duration::from_secs(300),
    );
    let r = json(&out);
    assert_eq!(out.code, Some(1), "{r:#}\n{}", out.stderr);
    assert_eq!(r["covered"], false, "{r:#}");
    let failing = &r["failing"];
    let join = "'Process end.' comes after the child line (join)";
    assert!(
        failing["checks"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c == join)),
        "{failing:#}"
    );
    let schedule = failing["schedule"].as_str().expect("a schedule string");
    let order = failing["order"].as_str().expect("its order");
    // The schedule string replays it: the same order of stop points, the join check failed; its
    // picture draws where the scheduler held whom.
    let pictures = std::env::temp_dir().join(format!("explore-test-{}", std::process::id()));
    let replay = grade(
        &[
            "process",
            "--time-scale",
            "0.01",
            "--schedule",
            schedule,
            "--runs",
            "1",
            "--timeline",
            pictures.to_str().expect("utf-8 path"),
            "--format",
            "json",
            "--",
            "python3",
            fake,
            "0.2",
        ],
        Duration::from_secs(120),
    );
    let rr = json(&replay);
    assert_eq!(replay.code, Some(1), "{rr:#}");
    let check = rr["checks"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["name"] == join))
        .expect("the join check");
    assert_eq!(check["status"], "failed", "{check:#}");
    let shaken = &rr["facts"]["shaken"][0];
    assert_eq!(shaken["schedule"], schedule, "{shaken:#}");
    assert_eq!(shaken["order"], order, "{shaken:#}");
    let svg = std::fs::read_to_string(pictures.join("run-1.svg")).expect("the run's picture");
    let _ = std::fs::remove_dir_all(&pictures);
    assert!(svg.contains("class=\"hold\""), "no hold drawn:\n{svg}");
    assert!(svg.contains(&format!("schedule {schedule}")), "{svg}");
}

#[test]
fn a_bad_schedule_string_is_one_line_and_status_2() {
    let out = grade(
        &["process", "--schedule", "3:x", "--", "true"],
        Duration::from_secs(60),
    );
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(out.stderr.contains("3:x"), "{}", out.stderr);
    let out = grade(&["explore", "--", "true"], Duration::from_secs(60));
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
}
