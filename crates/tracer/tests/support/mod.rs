//! Test support: run a command traced and collect what it wrote; find the test programs and the
//! crate's example binary; check that nothing of a run is left running.

#![allow(dead_code)]

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Instant;

use tracer::{Trace, TraceOptions};

/// The interpreter every test program runs with (readable by `nobody`, unlike root's pyenv shim).
pub const PYTHON: &str = "/usr/bin/python3";

/// A test program of `tests/programs/`.
pub fn program(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/programs")
        .join(name)
}

/// A Python test program as a command, stdout and stderr piped.
pub fn python(name: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(PYTHON);
    cmd.arg(program(name)).args(args);
    piped(&mut cmd);
    cmd
}

pub fn piped(cmd: &mut Command) {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
}

/// What a traced run wrote and its trace.
#[derive(Debug)]
pub struct Traced {
    pub stdout: String,
    pub stderr: String,
    pub trace: Trace,
}

/// Runs `cmd` traced to its end.
pub fn run(cmd: Command, opts: &TraceOptions) -> Traced {
    let mut running = tracer::spawn(cmd, opts).expect("spawn traced");
    let out = running.take_stdout();
    let err = running.take_stderr();
    let read = |r: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut r) = r {
                r.read_to_end(&mut buf).expect("read");
            }
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = read(out.map(|o| Box::new(o) as Box<dyn Read + Send>));
    let err = read(err.map(|e| Box::new(e) as Box<dyn Read + Send>));
    let trace = running.wait().expect("trace");
    Traced {
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
        trace,
    }
}

/// Default options starting now.
pub fn opts() -> TraceOptions {
    TraceOptions::new(Instant::now())
}

/// Every task of the trace ended, and none of its pids is a live process now (a zombie waiting
/// for its real parent, init, is not running).
pub fn assert_nothing_left(trace: &Trace) {
    for t in &trace.tasks {
        assert!(t.end.is_some(), "task {} has no end: {trace:#?}", t.tid);
        if let Ok(stat) = std::fs::read_to_string(format!("/proc/{}/stat", t.tid)) {
            let state = stat
                .rsplit(')')
                .next()
                .and_then(|r| r.split_whitespace().next());
            assert_eq!(state, Some("Z"), "task {} still runs: {stat}", t.tid);
        }
    }
}

/// The crate's example binary `name`, built once per test process with this test's profile.
pub fn example(name: &str) -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        // target/<profile>/deps/<this test> -> target/<profile>
        let exe = std::env::current_exe().expect("current_exe");
        let dir = exe
            .parent()
            .and_then(|d| d.parent())
            .expect("the profile folder")
            .to_path_buf();
        let profile = match dir.file_name().and_then(|n| n.to_str()) {
            Some("debug") | None => "dev".to_string(),
            Some(other) => other.to_string(),
        };
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
        let status = Command::new(cargo)
            .args([
                "build",
                "--quiet",
                "-p",
                "tracer",
                "--examples",
                "--profile",
            ])
            .arg(&profile)
            .arg("--target-dir")
            .arg(dir.parent().expect("the target folder"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo build --examples");
        assert!(status.success(), "cargo build --examples failed");
        dir.join("examples")
    });
    dir.join(name)
}

/// The value of `key=N` in a line.
pub fn field(line: &str, key: &str) -> Option<i32> {
    line.split_whitespace()
        .find_map(|w| w.strip_prefix(key)?.strip_prefix('='))
        .and_then(|v| v.parse().ok())
}
