//! The notes' programs as written (`tests/reference/unmodified/`: plain print, no flush), graded
//! as a student sees them at a terminal: they pass with `PYTHONUNBUFFERED` unset and set. With
//! `--stdout pipe` output is buffered: the fork program prints its first line twice and the
//! Queue's reader, terminated, never flushes its Gets: each fails, and the report names the cause;
//! the Pool workers' lines all arrive at their exit, yet the trace shows the workers ran together.
//! The tutorial's own distributed pair (`tests/fixtures/distributed/tutorial/`) passes too.

use std::process::Command;
use std::time::Duration;

use serde_json::Value;
use workspace_tests::{bin, repo_path, run_with_deadline};

/// Grades `file` of tests/reference/unmodified as `example` (10 runs, time scale 0.01, sleeps
/// scaled by the folder's sitecustomize), with `PYTHONUNBUFFERED` as given; the JSON report.
fn grade(example: &str, file: &str, extra: &[&str], unbuffered: bool) -> Value {
    let dir = repo_path("tests/reference/unmodified");
    let mut cmd = Command::new(bin("grade"));
    cmd.args([example, "--time-scale", "0.01", "--format", "json"])
        .args(extra)
        .args(PASS_ON)
        .arg("--")
        .arg("python3")
        .arg(dir.join(file));
    report(example, file, cmd, unbuffered)
}

/// The options that pass the unmodified programs' variables on to the ports: a port gets no
/// variable of grade's environment but those `--env` names (see [`report`]).
const PASS_ON: [&str; 4] = ["--env", "PYTHONPATH", "--env", "PYTHONUNBUFFERED"];

/// Runs the grading `cmd` (with [`PASS_ON`] among its options) with the unmodified programs'
/// sleeps scaled (`PYTHONPATH`) and `PYTHONUNBUFFERED` as given; the JSON report.
fn report(example: &str, file: &str, mut cmd: Command, unbuffered: bool) -> Value {
    let scaled = repo_path("tests/reference/unmodified/scaled");
    cmd.env("PYTHONPATH", scaled);
    if unbuffered {
        cmd.env("PYTHONUNBUFFERED", "1");
    } else {
        cmd.env_remove("PYTHONUNBUFFERED");
    }
    let out = run_with_deadline(&mut cmd, Duration::from_secs(300));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{example} {file}: no JSON report ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn failed(report: &Value) -> Vec<String> {
    report["checks"]
        .as_array()
        .map(|cs| {
            cs.iter()
                .filter(|c| c["status"] == "failed")
                .map(|c| c["name"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn passes_at_a_terminal(example: &str, file: &str, extra: &[&str]) {
    for unbuffered in [false, true] {
        assert_passed(file, &grade(example, file, extra, unbuffered), unbuffered);
    }
}

fn assert_passed(file: &str, r: &Value, unbuffered: bool) {
    assert_eq!(r["facts"]["stdout"], "terminal");
    assert!(
        failed(r).is_empty(),
        "{file} (PYTHONUNBUFFERED {}) failed {:?}:\n{r:#}",
        if unbuffered { "set" } else { "unset" },
        failed(r)
    );
}

/// The tutorial's own task_master.py and task_worker.py as a pair: the worker's 10 tries all find
/// a task (the master has put them all before the worker starts), so its `except Queue.Empty`,
/// which would die on a NameError, is never reached, and it never prints "task queue is
/// empty.": the spec does not demand that line. 3 runs each way: a run takes 2 s or more (the
/// gets' timeouts are not scaled).
#[test]
fn the_tutorials_distributed_pair_passes_at_a_terminal() {
    let dir = repo_path("tests/fixtures/distributed/tutorial");
    let scaled = repo_path("tests/reference/unmodified/scaled");
    for unbuffered in [false, true] {
        let mut cmd = Command::new(bin("grade"));
        cmd.args(["distributed", "--pair", "--pair-after", "Try get results"])
            .args(["--runs", "3", "--time-scale", "0.01", "--format", "json"])
            .arg("--allow-read")
            .arg(&scaled)
            .args(PASS_ON)
            .args(["--", "python3"])
            .arg(dir.join("task_master.py"))
            .args(["--", "python3"])
            .arg(dir.join("task_worker.py"));
        let r = report("distributed", "task_worker.py", cmd, unbuffered);
        assert_passed("task_master.py + task_worker.py", &r, unbuffered);
    }
}

#[test]
fn fork_passes_at_a_terminal() {
    passes_at_a_terminal("fork", "orig_fork.py", &[]);
}

#[test]
fn process_passes_at_a_terminal() {
    passes_at_a_terminal("process", "orig_process.py", &[]);
}

#[test]
fn pool_passes_at_a_terminal() {
    passes_at_a_terminal("pool", "orig_pool.py", &["--param", "processes=4"]);
}

#[test]
fn queue_passes_at_a_terminal() {
    passes_at_a_terminal("queue", "orig_queue.py", &[]);
}

#[test]
fn thread_passes_at_a_terminal() {
    passes_at_a_terminal("thread", "orig_thread.py", &[]);
}

#[test]
fn lock_passes_at_a_terminal() {
    passes_at_a_terminal("lock", "orig_lock.py", &[]);
}

#[test]
fn threadlocal_passes_at_a_terminal() {
    passes_at_a_terminal("threadlocal", "orig_threadlocal.py", &[]);
}

/// The message of the first failure of `check`.
fn first_failure(r: &Value, check: &str) -> String {
    r["checks"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["name"] == check))
        .and_then(|c| c["failures"][0]["message"].as_str())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn through_a_pipe_the_fork_program_prints_its_first_line_twice_and_says_why() {
    let r = grade("fork", "orig_fork.py", &["--stdout", "pipe"], false);
    assert_eq!(r["facts"]["stdout"], "pipe");
    let m = first_failure(&r, "the start line is printed once");
    assert!(
        m.contains("was written again by pid") && m.contains("flush stdout before fork"),
        "{r:#}"
    );
}

/// Through a pipe each worker's lines stay in its buffer until it exits, so by the text alone
/// every task ran alone; the trace sees the four workers alive at once while lines were open
/// (`capacity = "processes"`), so the notes' correct program still passes.
#[test]
fn through_a_pipe_the_pool_workers_lines_come_at_their_exit_and_the_trace_still_sees_four_workers()
{
    let r = grade(
        "pool",
        "orig_pool.py",
        &["--stdout", "pipe", "--param", "processes=4"],
        false,
    );
    assert_eq!(r["facts"]["stdout"], "pipe");
    assert!(failed(&r).is_empty(), "{r:#}");
}

#[test]
fn through_a_pipe_the_queue_readers_gets_never_come_and_it_says_why() {
    // Twenty unshaken runs without the Gets: enough for the likely check's 95% interval to lie
    // below its 20% (fewer leave it undecided).
    let r = grade(
        "queue",
        "orig_queue.py",
        &["--stdout", "pipe", "--shake", "0", "--runs", "20"],
        false,
    );
    let m = first_failure(&r, "all three Gets appear");
    assert!(
        m.contains("in one burst as it exited") && m.contains("never flushed"),
        "{r:#}"
    );
}
