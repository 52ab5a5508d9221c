//! Helpers shared by the integration tests of the `grade` command and of the crates it is made
//! of (`grader`, `grade-class`, `grade-bundle` include this file by its path): run the `grade`
//! binary with a deadline, find the fixtures.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one `grade` invocation produced.
#[derive(Debug)]
pub struct Graded {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// The `grade` binary: cargo's own for this package's tests; for another crate's, the
/// workspace's binaries built once per test process (`workspace_tests::bin`).
pub fn grade_bin() -> PathBuf {
    match option_env!("CARGO_BIN_EXE_grade") {
        Some(path) => PathBuf::from(path),
        None => workspace_tests::bin("grade"),
    }
}

/// The repo's `tests/fixtures` folder.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

/// Runs `grade ARGS`, killing it past `limit` (then the test fails).
pub fn grade(args: &[&str], limit: Duration) -> Graded {
    grade_env(args, &[], limit)
}

/// Runs `grade ARGS` with `env` added to its environment (the port inherits it), killing it past
/// `limit` (then the test fails).
pub fn grade_env(args: &[&str], env: &[(&str, &OsStr)], limit: Duration) -> Graded {
    let mut child = Command::new(grade_bin())
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start grade");
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_t = std::thread::spawn(move || {
        let mut s = String::new();
        out.read_to_string(&mut s).map(|_| s)
    });
    let err_t = std::thread::spawn(move || {
        let mut s = String::new();
        err.read_to_string(&mut s).map(|_| s)
    });
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(st) = child.try_wait().expect("wait") {
            break st;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("grade {args:?} still running after {limit:?}");
        }
        // Polling the exit: std has no wait with a timeout.
        std::thread::sleep(Duration::from_millis(5));
    };
    Graded {
        code: status.code(),
        stdout: out_t.join().expect("join").expect("read stdout"),
        stderr: err_t.join().expect("join").expect("read stderr"),
    }
}

/// The header lines of a fixture: `# KEY: VALUE`.
pub fn header(script: &str, key: &str) -> Option<String> {
    let prefix = format!("# {key}: ");
    script
        .lines()
        .find_map(|l| l.strip_prefix(&prefix).map(|s| s.trim().to_string()))
}
