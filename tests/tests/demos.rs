//! Every example's demo (`workspace_tests::examples`: one per built-in spec), run 4 times at
//! time scale 0.01 (or as its `example.toml` says) and graded with its built-in spec: every
//! guarantee of its output on every run, likely properties over all runs together.

use std::ffi::OsString;
use std::process::Command;

use workspace_tests::{assert_example_passes, assert_passes, bin, for_each_example, missing_parts};

/// Every guarantee is met on each run, and the likely checks are judged over them all (an
/// example that needs more sets its own count); `scripts/false-fail-loop.sh` grades the
/// demos of fork, process, pool and queue 20 times in a row.
const RUNS: usize = 4;
const SCALE: f64 = 0.01;

fn demo(name: &str, args: &[&str]) -> Vec<OsString> {
    let mut command = vec![bin(name).into_os_string()];
    command.extend(args.iter().map(OsString::from));
    command
}

/// A new example missing its demo crate, Python original or fixtures fails here, not silently
/// elsewhere.
#[test]
fn every_example_has_its_demo_original_and_fixtures() {
    let missing = missing_parts();
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_demo_passes_its_spec() {
    for_each_example(|ex| assert_example_passes(ex, false, RUNS));
}

#[test]
fn pool_demo_sizes_1_2_5() {
    for n in ["1", "2", "5"] {
        assert_passes(
            "pool",
            &[("processes", n)],
            RUNS,
            SCALE,
            &demo("pool-demo", &[n]),
        );
    }
}

#[test]
fn pool_demo_rejects_bad_sizes_in_one_line() {
    for bad in ["abc", "0", "-3", "1 2"] {
        let out = Command::new(bin("pool-demo"))
            .args(bad.split(' '))
            .output()
            .expect("run pool-demo");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "pool-demo {bad}");
        assert!(out.stdout.is_empty(), "pool-demo {bad}");
        assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
        assert!(stderr.starts_with("pool-demo: "), "{stderr:?}");
    }
}

#[test]
fn a_malformed_knob_is_one_line_and_status_2() {
    for (demo, var, value) in [
        ("queue-demo", "MULTITASK_TIME_SCALE", "fast"),
        ("pool-demo", "MULTITASK_SEED", "x"),
        ("thread-demo", "MULTITASK_TIME_SCALE", "-1"),
    ] {
        let out = Command::new(bin(demo))
            .env(var, value)
            .output()
            .expect("run the demo");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{demo} {var}={value}");
        assert!(out.stdout.is_empty(), "{demo}");
        assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
        assert!(stderr.contains(var), "{stderr:?}");
    }
}
