//! The fakes of issues 9, 18 and the join fakes (a spin or a timed wait for a join), in Python (`tests/fixtures/*/fake_*.py`) and Rust (`crates/fake-ports`):
//! their stdout looks like a correct port's, and each must fail within the default 10 runs with
//! the check that names its lie. Each fake's count of failing runs is printed (`--nocapture`).

mod common;

use std::ffi::OsString;
use std::time::Duration;

use common::{fixtures, grade};
use serde_json::Value;

/// One fake: the example, how to run it, the time scale, and the checks that must fail.
struct Fake {
    example: &'static str,
    /// The Python twin (`None`: the fixtures test grades it, `tests/fixtures/EXAMPLE/`).
    python: Option<&'static str>,
    rust: &'static str,
    args: &'static [&'static str],
    /// The Rust twin's arguments, when they are not `args`.
    rust_args: Option<&'static [&'static str]>,
    /// The Rust twin is a master and a worker in one binary (`master` / `worker`), graded as a
    /// pair (the Python twin runs the pair itself).
    rust_pair: bool,
    scale: &'static str,
    checks: &'static [&'static str],
}

const CHILD_LINE: &str =
    "the child line is written by a child process made by the parent, whose pid it prints";

const FAKES: &[Fake] = &[
    Fake {
        example: "process",
        python: Some("process/fake_no_child.py"),
        rust: "fake-process-no-child",
        args: &[],
        scale: "0.01",
        rust_pair: false,
        rust_args: None,
        checks: &[CHILD_LINE],
    },
    Fake {
        example: "pool",
        python: Some("pool/fake_threads.py"),
        rust: "fake-pool-threads",
        args: &["2"],
        scale: "0.01",
        rust_pair: false,
        rust_args: None,
        checks: &[
            "each Run line is written by a worker process made by the parent, whose pid it prints",
        ],
    },
    Fake {
        example: "fork",
        python: Some("fork/fake_parent_prints_child_line.py"),
        rust: "fake-fork-parent-prints",
        args: &[],
        scale: "0.01",
        rust_pair: false,
        rust_args: None,
        checks: &[CHILD_LINE],
    },
    Fake {
        example: "queue",
        python: Some("queue/fake_thread_reader.py"),
        rust: "fake-queue-thread-reader",
        args: &[],
        scale: "0.01",
        rust_pair: false,
        rust_args: None,
        checks: &["the Gets are written by a child process (the reader)"],
    },
    Fake {
        example: "pipe",
        python: Some("pipe/fake_thread_child.py"),
        rust: "fake-pipe-thread-child",
        args: &[],
        scale: "0.01",
        rust_pair: false,
        rust_args: None,
        checks: &["the child's got lines are written by a child process made by the parent"],
    },
    Fake {
        example: "thread",
        python: Some("thread/fake_child_process.py"),
        rust: "fake-thread-child-process",
        args: &[],
        scale: "0.01",
        rust_pair: false,
        rust_args: None,
        checks: &["LoopThread's running line is written by another thread of the main process"],
    },
    // Sleeps instead of joins: at this time scale the sleep always covers the other task in an
    // unshaken run; only the shaken runs (half of them) hold it long enough to show.
    Fake {
        example: "process",
        python: Some("process/fake_sleeps_instead_of_join.py"),
        rust: "fake-process-sleeps",
        args: &[],
        scale: "0.1",
        rust_pair: false,
        rust_args: None,
        checks: &["'Process end.' comes after the child line (join)"],
    },
    Fake {
        example: "thread",
        python: Some("thread/fake_sleeps_instead_of_join.py"),
        rust: "fake-thread-sleeps",
        args: &[],
        scale: "0.1",
        rust_pair: false,
        rust_args: None,
        checks: &["MainThread ends after LoopThread (join)"],
    },
    // A spin or a timed wait is not a join: the parent never saw the child end before its line
    // (processes: in every run), or the shaken runs hold the thread while MainThread waits.
    // Their Python twins (tests/fixtures/*/fake_spins_instead_of_join.py) are fixtures;
    // scripts/join-fakes.sh grades every way of waiting at time scales 0.01 and 1.
    Fake {
        example: "process",
        python: None,
        rust: "fake-busy-join",
        args: &[],
        rust_args: Some(&["process", "event", "0.3"]),
        scale: "0.01",
        rust_pair: false,
        checks: &["'Process end.' comes after the child line (join)"],
    },
    Fake {
        example: "pool",
        python: None,
        rust: "fake-busy-join",
        args: &[],
        rust_args: Some(&["pool", "spin", "0.4"]),
        scale: "0.01",
        rust_pair: false,
        checks: &[
            "the done line comes after every Task line, once the parent joined their workers",
        ],
    },
    Fake {
        example: "queue",
        python: None,
        rust: "fake-busy-join",
        args: &[],
        rust_args: Some(&["queue", "select", "0.4"]),
        scale: "0.01",
        rust_pair: false,
        checks: &["the reader is terminated only once the parent joined the writer"],
    },
    Fake {
        example: "thread",
        python: None,
        rust: "fake-busy-join",
        args: &[],
        rust_args: Some(&["thread", "spin", "0.6"]),
        scale: "0.01",
        rust_pair: false,
        checks: &["MainThread ends after LoopThread (join)"],
    },
    // Issue 18: values the trace can know, made up. At full time scale (the default).
    Fake {
        example: "pool",
        python: Some("pool/fake_made_up_seconds.py"),
        rust: "fake-pool-made-up-seconds",
        args: &["2"],
        scale: "1",
        rust_pair: false,
        rust_args: None,
        checks: &["each task's printed time is no longer than the traced time since its Run line"],
    },
    Fake {
        example: "subprocess",
        python: Some("subprocess/fake_made_up_child_output.py"),
        rust: "fake-subprocess-made-up-output",
        args: &[],
        scale: "1",
        rust_pair: false,
        rust_args: None,
        checks: &[
            "each exit code is that of the child the port waited for",
            "sh's output 42 came from sh through a pipe",
        ],
    },
    Fake {
        example: "fork",
        python: Some("fork/fake_double_fork_grandchild.py"),
        rust: "fake-fork-grandchild",
        args: &[],
        scale: "1",
        rust_pair: false,
        rust_args: None,
        checks: &["the child line is written by the parent's own child"],
    },
    // The worker takes its tasks from a file the master writes, not from the master.
    Fake {
        example: "distributed",
        python: Some("distributed/fake_worker_reads_file.py"),
        rust: "fake-distributed-file-worker",
        args: &[],
        rust_pair: true,
        rust_args: None,
        scale: "0.3",
        checks: &["the worker read each task's number from another process before running it"],
    },
    // Half a second a run: the sleeping threads' made-up CPU time is a second.
    Fake {
        example: "multicore",
        python: Some("multicore/fake_sleeping_threads.py"),
        rust: "fake-multicore-sleeps",
        args: &[],
        scale: "0.1",
        rust_pair: false,
        rust_args: None,
        checks: &["the CPU time printed is what the kernel counted between the two lines"],
    },
    // The red team's: the CPU time it claims, burnt before the run line (the kernel's count for
    // the whole run covers it; on a loaded machine the cores-busy check is not judged).
    Fake {
        example: "multicore",
        python: Some("multicore/fake_spins_before_it_starts.py"),
        rust: "fake-multicore-spins-before",
        args: &[],
        scale: "0.01",
        rust_pair: false,
        rust_args: None,
        checks: &["the CPU time printed is what the kernel counted between the two lines"],
    },
    // The red team's: copies of /bin/echo named uname and sh, exec'd from the scratch folder.
    Fake {
        example: "subprocess",
        python: Some("subprocess/fake_copied_binary.py"),
        rust: "fake-subprocess-copied-binary",
        args: &[],
        scale: "0.01",
        rust_pair: false,
        rust_args: None,
        checks: &[
            "uname's output is written by a child process that exec'd uname",
            "sh runs in a child process that exec'd it",
        ],
    },
];

/// Grades `command` (with `options` before it) with the default 10 runs; the failing runs of
/// each of the fake's checks, or why not.
fn failing_runs(
    f: &Fake,
    options: &[&str],
    command: &[OsString],
    script_args: &[&str],
) -> Result<Vec<usize>, String> {
    let mut args: Vec<String> = [f.example, "--time-scale", f.scale, "--format", "json"]
        .iter()
        .chain(options)
        .chain(&["--"])
        .map(|s| s.to_string())
        .collect();
    args.extend(command.iter().map(|c| c.to_string_lossy().into_owned()));
    args.extend(script_args.iter().map(|a| a.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = grade(&refs, Duration::from_secs(300));
    let report: Value = serde_json::from_str(&out.stdout)
        .map_err(|e| format!("no JSON report ({e}); stderr: {}", out.stderr))?;
    f.checks
        .iter()
        .map(|name| {
            let check = report["checks"]
                .as_array()
                .and_then(|cs| cs.iter().find(|c| c["name"] == *name))
                .ok_or_else(|| format!("no check named {name:?}"))?;
            if check["status"] != "failed" {
                return Err(format!("{name:?} did not fail: {check}"));
            }
            Ok(check["failures"].as_array().map_or(0, Vec::len))
        })
        .collect()
}

fn check_all(rust: bool) {
    let mut wrong = Vec::new();
    for f in FAKES {
        let (options, command): (&[&str], Vec<OsString>) = match (rust, f.rust_pair) {
            (true, true) => {
                let bin = workspace_tests::bin(f.rust).into_os_string();
                (
                    &["--pair", "--pair-after", "Try get results"],
                    vec![
                        bin.clone(),
                        "master".into(),
                        "--".into(),
                        bin,
                        "worker".into(),
                    ],
                )
            }
            (true, false) => (&[], vec![workspace_tests::bin(f.rust).into_os_string()]),
            (false, _) => match f.python {
                Some(p) => (&[], vec![fixtures().join(p).into_os_string()]),
                None => continue,
            },
        };
        let name = if rust {
            f.rust
        } else {
            f.python.unwrap_or_default()
        };
        let script_args = match (rust, f.rust_args) {
            (true, Some(a)) => a,
            _ => f.args,
        };
        match failing_runs(f, options, &command, script_args) {
            Ok(counts) => {
                for (check, n) in f.checks.iter().zip(counts) {
                    println!("{name}: '{check}' failed in {n} of 10 runs");
                }
            }
            Err(e) => wrong.push(format!("{name}: {e}")),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn python_fakes_fail_the_check_that_names_their_lie() {
    check_all(false);
}

#[test]
fn rust_fakes_fail_the_check_that_names_their_lie() {
    check_all(true);
}
