//! Every demo of the notes, run 20 times at time scale 0.01 and graded with its built-in spec:
//! every guarantee of its output on every run, likely properties over all runs together.

use std::ffi::OsString;
use std::process::Command;

use workspace_tests::{assert_passes, bin};

const RUNS: usize = 20;
const SCALE: f64 = 0.01;

fn demo(name: &str, args: &[&str]) -> Vec<OsString> {
    let mut command = vec![bin(name).into_os_string()];
    command.extend(args.iter().map(OsString::from));
    command
}

#[test]
fn fork_demo() {
    assert_passes("fork", &[], RUNS, SCALE, &demo("fork-demo", &[]));
}

#[test]
fn process_demo() {
    assert_passes("process", &[], RUNS, SCALE, &demo("process-demo", &[]));
}

#[test]
fn pool_demo_default_size() {
    assert_passes("pool", &[], RUNS, SCALE, &demo("pool-demo", &[]));
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
fn queue_demo() {
    assert_passes("queue", &[], RUNS, SCALE, &demo("queue-demo", &[]));
}

#[test]
fn thread_demo() {
    assert_passes("thread", &[], RUNS, SCALE, &demo("thread-demo", &[]));
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
