//! Every demo and Python original (the tidy ones and the notes' unmodified ones) graded as a student grades it: default options, no
//! `--time-scale` (sleeps at full length, holds of up to 1 s), default shaking. The default run
//! affords 2 runs each (one unshaken, one shaken); `--ignored` grades each 10 times in a row at
//! the default 10 runs (about half an hour: see the README's figures).
//!
//! Left out: multicore (it keeps every core busy for seconds: its own timing test judges it)
//! and the distributed pair (its master waits seconds per result; `demos.rs` grades it scaled).

use std::ffi::OsString;

use grader::{GradeOptions, Spec};
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

/// Grades `port` `gradings` times in a row with `runs` runs each, default options otherwise;
/// fails with the first failing report.
fn passes(port: &Port, runs: usize, gradings: usize) {
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
        assert!(
            report.passed,
            "{} {:?} failed grading {k} of {gradings} with default options:\n{}",
            port.example,
            port.command,
            report.text(false)
        );
    }
}

/// The default run: 2 runs, the second shaken.
const RUNS: usize = 2;

macro_rules! default_tests {
    ($($name:ident, $slow:ident: $port:expr;)*) => {
        $(
            #[test]
            fn $name() {
                passes(&$port, RUNS, 1);
            }

            #[test]
            #[ignore = "slow: 10 gradings of 10 runs at full time scale"]
            fn $slow() {
                passes(&$port, 10, 10);
            }
        )*
    };
}

default_tests! {
    fork_demo, fork_demo_10_gradings: demo("fork", "fork-demo");
    process_demo, process_demo_10_gradings: demo("process", "process-demo");
    pool_demo, pool_demo_10_gradings: demo("pool", "pool-demo");
    queue_demo, queue_demo_10_gradings: demo("queue", "queue-demo");
    thread_demo, thread_demo_10_gradings: demo("thread", "thread-demo");
    pipe_demo, pipe_demo_10_gradings: demo("pipe", "pipe-demo");
    lock_demo, lock_demo_10_gradings: demo("lock", "lock-demo");
    threadlocal_demo, threadlocal_demo_10_gradings: demo("threadlocal", "threadlocal-demo");
    subprocess_demo, subprocess_demo_10_gradings: demo("subprocess", "subprocess-demo");
    ref_fork, ref_fork_10_gradings: original("fork", "ref_fork.py");
    ref_process, ref_process_10_gradings: original("process", "ref_process.py");
    ref_pool, ref_pool_10_gradings: original("pool", "ref_pool.py");
    ref_queue, ref_queue_10_gradings: original("queue", "ref_queue.py");
    ref_thread, ref_thread_10_gradings: original("thread", "ref_thread.py");
    ref_pipe, ref_pipe_10_gradings: original("pipe", "ref_pipe.py");
    ref_lock, ref_lock_10_gradings: original("lock", "ref_lock.py");
    ref_threadlocal, ref_threadlocal_10_gradings: original("threadlocal", "ref_threadlocal.py");
    ref_subprocess, ref_subprocess_10_gradings: original("subprocess", "ref_subprocess.py");
    orig_fork, orig_fork_10_gradings: original("fork", "unmodified/orig_fork.py");
    orig_process, orig_process_10_gradings: original("process", "unmodified/orig_process.py");
    orig_pool, orig_pool_10_gradings: Port {
        params: &[("processes", "4")],
        ..original("pool", "unmodified/orig_pool.py")
    };
    orig_queue, orig_queue_10_gradings: original("queue", "unmodified/orig_queue.py");
    orig_thread, orig_thread_10_gradings: original("thread", "unmodified/orig_thread.py");
}
