//! The same traces as an ordinary user: trace_once run as `nobody` (setpriv), and refusals noted
//! as root (the program drops to nobody itself) and as nobody.

mod support;

use std::process::Command;

use serde_json::Value;
use support::{PYTHON, example, field, opts, program, run};

const AS_NOBODY: &[&str] = &["--reuid=65534", "--regid=65534", "--clear-groups"];

/// Runs trace_once as nobody on `args` and parses its JSON.
fn trace_once_as_nobody(args: &[&str]) -> Value {
    let out = Command::new("setpriv")
        .args(AS_NOBODY)
        .arg(example("trace_once"))
        .args(args)
        .env("PYTHONUNBUFFERED", "1")
        .output()
        .expect("setpriv trace_once");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn writers_are_attributed_as_nobody() {
    let writers = program("writers.py");
    let v = trace_once_as_nobody(&["--", PYTHON, writers.to_str().expect("utf-8 path")]);
    let trace = &v["trace"];
    let main = trace["main_pid"].as_i64().expect("main_pid");
    // Per writer, bytes up to each newline.
    let mut partial: std::collections::HashMap<i64, String> = Default::default();
    let mut lines = Vec::new();
    for w in trace["writes"].as_array().expect("writes") {
        if w["stream"] != "stdout" {
            continue;
        }
        let tid = w["tid"].as_i64().expect("tid");
        let buf = partial.entry(tid).or_default();
        buf.push_str(w["bytes"].as_str().expect("bytes"));
        while let Some(nl) = buf.find('\n') {
            let line: String = buf.drain(..=nl).collect();
            lines.push((w["tgid"].as_i64().expect("tgid"), tid, line));
        }
    }
    assert_eq!(lines.len(), 7, "{v:#}");
    for (tgid, tid, line) in &lines {
        assert_eq!(field(line, "pid").map(i64::from), Some(*tgid), "{line}");
        if let Some(t) = field(line, "tid") {
            assert_eq!(i64::from(t), *tid, "{line}");
        }
    }
    let tasks = trace["tasks"].as_array().expect("tasks");
    let thread = tasks
        .iter()
        .find(|t| t["kind"] == "thread")
        .expect("a thread");
    assert_eq!(thread["tgid"].as_i64(), Some(main));
    assert_eq!(tasks[0]["end"]["exited"].as_i64(), Some(5));
}

fn refusal_names(refusals: &[(String, String, String)]) -> Vec<&str> {
    refusals.iter().map(|r| r.0.as_str()).collect()
}

fn check_refusals(refusals: &[(String, String, String)]) {
    assert_eq!(
        refusal_names(refusals),
        ["bind", "kill", "openat"],
        "{refusals:?}"
    );
    assert_eq!(refusals[0].1, "EACCES");
    assert_eq!(refusals[0].2, "127.0.0.1:80");
    assert_eq!(
        (refusals[1].1.as_str(), refusals[1].2.as_str()),
        ("EPERM", "signal 0 to pid 1")
    );
    assert_eq!(
        (refusals[2].1.as_str(), refusals[2].2.as_str()),
        ("EACCES", "/tracer-refusal-test")
    );
}

#[test]
fn refusals_are_noted_as_root_for_a_program_that_drops_to_nobody() {
    let mut cmd = Command::new("setpriv");
    cmd.args(AS_NOBODY).arg(PYTHON).arg(program("refused.py"));
    support::piped(&mut cmd);
    let mut o = opts();
    o.watch_refusals = true;
    let got = run(cmd, &o);
    assert_eq!(got.stdout, "bind 13\nkill 1\nopen 13\n");
    let refusals: Vec<_> = got
        .trace
        .refusals
        .iter()
        .map(|r| (r.syscall.to_string(), r.errno.to_string(), r.detail.clone()))
        .collect();
    check_refusals(&refusals);
    let python = got
        .trace
        .tasks
        .iter()
        .find(|t| t.execs.iter().any(|e| e.path.contains("python")));
    assert_eq!(python.map(|t| t.tid), Some(got.trace.refusals[0].tid));
}

#[test]
fn refusals_are_noted_as_nobody() {
    let refused = program("refused.py");
    let v = trace_once_as_nobody(&[
        "--refusals",
        "--",
        PYTHON,
        refused.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(v["stdout"], "bind 13\nkill 1\nopen 13\n");
    let refusals: Vec<_> = v["trace"]["refusals"]
        .as_array()
        .expect("refusals")
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            (s("syscall"), s("errno"), s("detail"))
        })
        .collect();
    check_refusals(&refusals);
}

#[test]
fn shaking_replays_as_nobody() {
    let spawner = program("spawner.py");
    let path = spawner.to_str().expect("utf-8 path");
    let a = trace_once_as_nobody(&["--shake", "3,4", "--", PYTHON, path, "1"]);
    let b = trace_once_as_nobody(&["--shake", "3,4", "--", PYTHON, path, "1"]);
    let holds = |v: &Value| -> Vec<(String, f64)> {
        v["trace"]["holds"]
            .as_array()
            .expect("holds")
            .iter()
            .filter(|h| h["tid"] == v["trace"]["main_pid"])
            .map(|h| {
                (
                    h["point"].as_str().unwrap_or_default().to_string(),
                    h["duration"].as_f64().unwrap_or(-1.0),
                )
            })
            .collect()
    };
    assert!(!holds(&a).is_empty());
    assert_eq!(holds(&a), holds(&b), "the main process's holds replay");
}

#[test]
fn killing_works_as_nobody() {
    let forever = program("forever.py");
    let v = trace_once_as_nobody(&[
        "--kill-at-first-line",
        "--",
        PYTHON,
        forever.to_str().expect("utf-8 path"),
    ]);
    let tasks = v["trace"]["tasks"].as_array().expect("tasks");
    assert!(tasks.len() >= 3, "{v:#}");
    for t in tasks {
        assert_eq!(
            t["end"]["signaled"].as_i64(),
            Some(i64::from(libc::SIGKILL)),
            "{t}"
        );
        let pid = t["tid"].as_i64().expect("tid");
        if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            let state = stat
                .rsplit(')')
                .next()
                .and_then(|r| r.split_whitespace().next());
            assert_eq!(state, Some("Z"), "{pid} still runs: {stat}");
        }
    }
}

#[test]
fn channels_are_recorded_and_tcp_ends_paired_as_nobody() {
    let channels = program("channels.py");
    let v = trace_once_as_nobody(&[
        "--channels",
        "--",
        PYTHON,
        channels.to_str().expect("utf-8 path"),
    ]);
    assert!(
        v["stdout"].as_str().is_some_and(|s| s.ends_with("ok\n")),
        "{v}"
    );
    let trace = &v["trace"];
    let transfers = trace["transfers"].as_array().expect("transfers");
    for tag in ["pipe-", "pair-", "tcp-"] {
        for direction in ["read", "write"] {
            assert!(
                transfers.iter().any(|t| t["direction"] == direction
                    && t["bytes"].as_str().is_some_and(|b| b.starts_with(tag))),
                "no {direction} of {tag}: {transfers:?}"
            );
        }
    }
    assert_eq!(
        trace["socket_peers"].as_array().map(Vec::len),
        Some(1),
        "the TCP connection's two ends: {trace}"
    );
}
