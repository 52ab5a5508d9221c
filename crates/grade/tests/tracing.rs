//! Where a trace cannot be had: `--no-trace`, and a grader that is itself traced (so the system
//! refuses it ptrace). Checks that need the trace are "not checked" in every format, never
//! "passed"; output-only checks work as ever; a refusal is one line on stderr.

mod common;

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{fixtures, grade};
use serde_json::Value;

const LIMIT: Duration = Duration::from_secs(120);
const TRACE_CHECK: &str =
    "the child line is written by a child process made by the parent, whose pid it prints";

fn correct_process() -> String {
    fixtures()
        .join("process/correct.py")
        .to_string_lossy()
        .into_owned()
}

fn status_of(report: &Value, check: &str) -> String {
    report["checks"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["name"] == check))
        .map(|c| c["status"].as_str().unwrap_or_default().to_string())
        .unwrap_or_default()
}

#[test]
fn no_trace_leaves_trace_checks_not_checked_in_every_format() {
    let port = correct_process();
    let args = |format: &'static str| {
        vec![
            "process",
            "--runs",
            "2",
            "--time-scale",
            "0.01",
            "--no-trace",
            "--format",
            format,
            "--",
            port.as_str(),
        ]
    };
    let out = grade(&args("json"), LIMIT);
    assert_eq!(out.code, Some(0), "nothing failed: {}", out.stdout);
    let r: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(r["facts"]["tracing"], "off");
    assert_eq!(status_of(&r, TRACE_CHECK), "not checked");
    assert_eq!(
        status_of(&r, "the child line comes after 'Process will start.'"),
        "passed"
    );
    // A join is more than an order: untraced, a right order is not checked (a wrong one fails).
    assert_eq!(
        status_of(&r, "'Process end.' comes after the child line (join)"),
        "not checked"
    );

    let out = grade(&args("text"), LIMIT);
    assert!(out.stdout.contains("tracing: off"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains(&format!("????  {TRACE_CHECK}  [not checked")),
        "{}",
        out.stdout
    );
    let out = grade(&args("junit"), LIMIT);
    assert!(
        out.stdout.contains("<skipped message=\"not checked"),
        "{}",
        out.stdout
    );
    let out = grade(&args("gradescope"), LIMIT);
    let g: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let t = g["tests"]
        .as_array()
        .and_then(|ts| ts.iter().find(|t| t["name"] == TRACE_CHECK))
        .expect("the check");
    assert_eq!(t["score"], 0.0);
    assert!(t.get("status").is_none(), "{t}");
    assert!(
        t["output"]
            .as_str()
            .is_some_and(|o| o.starts_with("not checked"))
    );
}

/// `grade` run as the tracee of a tracer that follows its forks: its own runs cannot be traced.
#[test]
fn a_traced_grader_says_so_once_and_grades_untraced() {
    let port = correct_process();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_grade"));
    cmd.args([
        "process",
        "--runs",
        "2",
        "--time-scale",
        "0.01",
        "--format",
        "json",
        "--",
        port.as_str(),
    ])
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut run = tracer::spawn(cmd, &tracer::TraceOptions::new(Instant::now())).expect("trace");
    let mut out = String::new();
    let mut err = String::new();
    let mut err_pipe = run.take_stderr().expect("stderr");
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        err_pipe.read_to_string(&mut s).map(|_| s)
    });
    run.take_stdout()
        .expect("stdout")
        .read_to_string(&mut out)
        .expect("read stdout");
    err.push_str(&err_reader.join().expect("reader").expect("read stderr"));
    let trace = run.wait().expect("the outer trace");
    assert_eq!(
        trace.main_task().and_then(|t| t.end),
        Some(tracer::End::Exited(0)),
        "{err}"
    );
    let refusals: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("grade: cannot trace the runs"))
        .collect();
    assert_eq!(refusals.len(), 1, "one line on stderr: {err}");
    let r: Value = serde_json::from_str(&out).expect("JSON");
    assert!(
        r["facts"]["tracing"]
            .as_str()
            .is_some_and(|t| t.starts_with("refused: ")),
        "{r:#}"
    );
    assert_eq!(status_of(&r, TRACE_CHECK), "not checked");
    assert_eq!(status_of(&r, "the child prints its line once"), "passed");
}

/// The JSON report lists each run's lines with the writer's pid, tid and role.
#[test]
fn json_lines_carry_their_writers() {
    let port = fixtures().join("thread/correct.py");
    let out = grade(
        &[
            "thread",
            "--runs",
            "1",
            "--time-scale",
            "0.01",
            "--format",
            "json",
            "--",
            port.to_str().expect("utf-8"),
        ],
        LIMIT,
    );
    let r: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let lines = r["facts"]["lines"][0]["lines"].as_array().expect("lines");
    assert_eq!(lines.len(), 9, "{r:#}");
    let main_pid = lines[0]["pid"].as_i64().expect("pid");
    for l in lines {
        let text = l["text"].as_str().expect("text");
        let want = if text.contains("LoopThread") {
            "thread"
        } else {
            "main"
        };
        assert_eq!(l["writer"], want, "{l}");
        assert_eq!(l["pid"].as_i64(), Some(main_pid), "{l}");
        assert_eq!(l["tid"] == l["pid"], want == "main", "{l}");
    }
}
