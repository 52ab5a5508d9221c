//! Every demo and Python original (the tidy ones and the notes' unmodified ones) graded as a
//! student grades it: default options, no `--time-scale` (sleeps at full length, holds of up to
//! 1 s), default shaking. The default run affords 2 runs each (one unshaken, one shaken; its
//! guaranteed checks must hold, a likely one judged on one run is left to the slow test),
//! every port on its own thread; `--ignored` grades each 10 times in a row at the default 10
//! runs (about 12 minutes).
//!
//! Every example (`workspace_tests::examples`) but those whose `example.toml` sets a time scale:
//! multicore (it keeps every core busy for seconds: its own timing test judges it) and the
//! distributed pair (its master waits seconds per result; `demos.rs` grades it scaled).

use std::ffi::OsString;

use grader::{CheckKind, CheckStatus, GradeOptions, Spec};
use workspace_tests::{bin, repo_path};

/// A port to grade: the example, its spec parameters, its command line.
struct Port {
    example: &'static str,
    params: &'static [(&'static str, &'static str)],
    command: Vec<OsString>,
}

fn demo(example: &'static str, name: &str) -> Port {
    Port {
        example,
        params: &[],
        command: vec![bin(name).into_os_string()],
    }
}

fn original(example: &'static str, file: &str) -> Port {
    Port {
        example,
        params: &[],
        command: vec![
            OsString::from("python3"),
            repo_path("tests/reference").join(file).into_os_string(),
        ],
    }
}

/// Grades `port` `gradings` times in a row with `runs` runs each, default options otherwise:
/// the first failing report, if any. With `likely` false, a failed likely check is no failure
/// (two runs leave it one unshaken run to judge: a tendency, not a guarantee).
fn failure(port: &Port, runs: usize, gradings: usize, likely: bool) -> Option<String> {
    let spec = Spec::builtin(port.example).expect("a built-in spec");
    let opts = GradeOptions {
        runs,
        params: port
            .params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..GradeOptions::default()
    };
    assert_eq!(opts.time_scale, None, "default options: no time scale");
    for k in 1..=gradings {
        let report = grader::grade(&spec, &opts, &port.command).expect("grading could be done");
        let failed = report.checks.iter().any(|c| {
            c.status == CheckStatus::Failed && (likely || c.kind == CheckKind::Guaranteed)
        });
        if failed {
            return Some(format!(
                "{} {:?} failed grading {k} of {gradings} with default options:\n{}",
                port.example,
                port.command,
                report.text(false)
            ));
        }
    }
    None
}

/// Every port and original, each graded on its own thread: at full time scale they sleep most
/// of the time, so grading them together takes about as long as the slowest (pool, thread).
fn ports() -> Vec<Port> {
    let examples: Vec<_> = workspace_tests::examples()
        .into_iter()
        .filter(|ex| !ex.own_time_scale)
        .collect();
    assert!(examples.len() >= 9, "{examples:?}");
    let mut ports: Vec<Port> = examples
        .iter()
        .map(|ex| demo(ex.name, &ex.demos[0]))
        .collect();
    ports.extend(
        examples
            .iter()
            .map(|ex| original(ex.name, &ex.originals[0])),
    );
    ports.extend([
        original("fork", "unmodified/orig_fork.py"),
        original("process", "unmodified/orig_process.py"),
        Port {
            params: &[("processes", "4")],
            ..original("pool", "unmodified/orig_pool.py")
        },
        original("queue", "unmodified/orig_queue.py"),
        original("thread", "unmodified/orig_thread.py"),
    ]);
    ports
}

fn all_pass(runs: usize, gradings: usize, likely: bool) {
    let ports = ports();
    let failures: Vec<String> = std::thread::scope(|s| {
        let graders: Vec<_> = ports
            .iter()
            .map(|p| s.spawn(move || failure(p, runs, gradings, likely)))
            .collect();
        graders
            .into_iter()
            .filter_map(|g| g.join().expect("a grading thread"))
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The default run: 2 runs each, the second shaken; every guaranteed check holds.
#[test]
fn every_port_passes_with_default_options() {
    all_pass(2, 1, false);
}

#[test]
#[ignore = "slow (about 10 minutes): 10 gradings of 10 runs each at full time scale"]
fn every_port_passes_10_gradings_in_a_row_with_default_options() {
    all_pass(10, 10, true);
}
