//! Workspace-level test support: build and locate the workspace's binaries, grade a command
//! with a built-in spec of the grader (the one source of truth for what each program's output
//! guarantees), and interrupt a demo to see what it leaves behind.

use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use grader::{GradeOptions, Spec};

mod example_list;
pub use example_list::{Example, examples, fixtures, for_each_example, missing_parts};
use nix::errno::Errno;
use nix::sys::signal::{Signal, killpg};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;

/// The path of a workspace binary. A test cannot name another package's binaries with
/// `CARGO_BIN_EXE_*`, and `cargo test -p X` would not build (or would leave stale) the others:
/// so every binary of the workspace is built once per test process, with this test's profile
/// and into its target folder (a no-op when they are up to date).
pub fn bin(name: &str) -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    let dir = BUILT.get_or_init(|| {
        // target/<profile>/deps/<this test> -> target/<profile>
        let exe = std::env::current_exe().expect("current_exe");
        let dir = exe
            .parent()
            .and_then(|deps| deps.parent())
            .expect("the binaries' folder")
            .to_path_buf();
        let profile = match dir.file_name().and_then(|n| n.to_str()) {
            Some("debug") | None => "dev".to_string(),
            Some(other) => other.to_string(),
        };
        let target_dir = dir.parent().expect("the target folder");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
        let output = run_with_deadline(
            Command::new(cargo)
                .args(["build", "--workspace", "--bins", "--quiet", "--profile"])
                .arg(&profile)
                .arg("--target-dir")
                .arg(target_dir)
                .current_dir(env!("CARGO_MANIFEST_DIR")),
            Duration::from_secs(600),
        );
        assert!(
            output.status.success(),
            "cargo build --workspace --bins failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        dir
    });
    dir.join(name)
}

/// The C ports of `tests/c-ports/` (the example each ports, its source's stem): `fork.c` ports the
/// fork example, and so on.
pub const C_PORTS: [&str; 4] = ["fork", "process", "thread", "pipe"];

/// The C port `name` (`tests/c-ports/NAME.c`) compiled with the system's `cc` beside the
/// workspace's binaries (once per test process and port; recompiled when the source is newer).
pub fn c_port(name: &str) -> PathBuf {
    static BUILD: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = BUILD.lock().unwrap_or_else(|e| e.into_inner());
    let source = repo_path("tests/c-ports").join(format!("{name}.c"));
    let out = bin("grade")
        .parent()
        .expect("the binaries' folder")
        .join(format!("c-port-{name}"));
    let stale = match (std::fs::metadata(&source), std::fs::metadata(&out)) {
        (Ok(s), Ok(o)) => s.modified().ok() > o.modified().ok(),
        _ => true,
    };
    if stale {
        let output = run_with_deadline(
            Command::new("cc")
                .args(["-O2", "-Wall", "-Werror", "-pthread", "-o"])
                .arg(&out)
                .arg(&source),
            Duration::from_secs(120),
        );
        assert!(
            output.status.success(),
            "cc {}: {}",
            source.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    out
}

/// A file of the repository, from this package's folder.
pub fn repo_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative)
}

/// Grades `command` with the built-in spec `example` over `runs` runs at `scale`, and fails the
/// test with the grader's text report unless every check passed.
pub fn assert_passes(
    example: &str,
    params: &[(&str, &str)],
    runs: usize,
    scale: f64,
    command: &[OsString],
) {
    let spec = Spec::builtin(example).expect("a built-in spec");
    let opts = GradeOptions {
        runs,
        time_scale: Some(scale),
        params: params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..GradeOptions::default()
    };
    let report = grader::grade(&spec, &opts, command).expect("grading could be done");
    assert!(
        report.passed,
        "{example} {command:?} failed its spec:\n{}",
        report.text(false)
    );
}

/// Grades a pair `master -- worker` in one fenced run (`--pair`: the master binds its fixed port
/// in the run's own loopback; `--pair-after PAIR_AFTER`: the worker starts once the master has
/// printed that line, as the notes start it) with the built-in spec `example`, and fails the
/// test with the report unless every check passed.
pub fn assert_pair_passes(
    example: &str,
    pair_after: &str,
    runs: usize,
    scale: f64,
    master: &[OsString],
    worker: &[OsString],
) {
    let spec = Spec::builtin(example).expect("a built-in spec");
    let opts = GradeOptions {
        runs,
        time_scale: Some(scale),
        pair: true,
        pair_after: Some(pair_after.into()),
        ..GradeOptions::default()
    };
    let mut command = master.to_vec();
    command.push("--".into());
    command.extend_from_slice(worker);
    let report = grader::grade(&spec, &opts, &command).expect("grading could be done");
    assert!(
        report.passed,
        "{example} {command:?} failed its spec:\n{}",
        report.text(false)
    );
}

/// Starts a demo at full time scale, waits for a stdout line starting with `after`, sends
/// SIGINT to the demo's main process alone (as a shell's Ctrl-C reaches at least it), and
/// returns the demo's processes still alive a second later (then kills them).
pub fn interrupt(name: &str, args: &[&str], after: &str) -> Vec<i32> {
    grader::ensure_subreaper().expect("child subreaper");
    let mut child = Command::new(bin(name))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("spawn demo");
    let group = Pid::from_raw(child.id() as i32);
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) if line.starts_with(after) => break,
            Ok(_) => continue,
            Err(_) => {
                let _ = killpg(group, Signal::SIGKILL);
                let _ = child.wait();
                reap_group(group, Instant::now());
                panic!("{name} never printed a line starting with {after:?}");
            }
        }
    }
    let _ = nix::sys::signal::kill(group, Signal::SIGINT);
    let _ = child.wait();
    reap_group(group, Instant::now() + Duration::from_secs(1))
}

/// Reaps the group's orphans (adopted by us) until none is left or `deadline`; then kills the
/// rest and returns their pids.
fn reap_group(group: Pid, deadline: Instant) -> Vec<i32> {
    let target = Pid::from_raw(-group.as_raw());
    loop {
        match waitpid(target, Some(WaitPidFlag::WNOHANG)) {
            Err(Errno::ECHILD) => {
                if killpg(group, None) == Err(Errno::ESRCH) {
                    return Vec::new();
                }
            }
            Ok(WaitStatus::StillAlive) | Err(_) => {}
            Ok(_) => continue,
        }
        if Instant::now() >= deadline {
            let alive = group_members(group);
            let _ = killpg(group, Signal::SIGKILL);
            while waitpid(target, None).is_ok() {}
            return alive;
        }
        std::thread::yield_now();
    }
}

fn group_members(group: Pid) -> Vec<i32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| nix::unistd::getpgid(Some(Pid::from_raw(*pid))) == Ok(group))
        .collect()
}

/// Runs `command` to its end with stdout and stderr captured (each read on its own thread, so a
/// chatty child never blocks on a full pipe), killing it past `limit`: a hung program fails the
/// test instead of hanging it.
pub fn run_with_deadline(command: &mut Command, limit: Duration) -> std::process::Output {
    use std::io::Read;
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the program starts");
    let pid = Pid::from_raw(child.id() as i32);
    let read_all = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = read_all(Box::new(child.stdout.take().expect("stdout")));
    let stderr = read_all(Box::new(child.stderr.take().expect("stderr")));
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait());
    });
    let status = match rx.recv_timeout(limit) {
        Ok(status) => status.expect("wait"),
        Err(_) => {
            let _ = nix::sys::signal::kill(pid, Signal::SIGKILL);
            let _ = rx.recv();
            panic!("{command:?} did not finish within {limit:?}");
        }
    };
    std::process::Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    }
}

/// Grades an example's demo (or its Python original, `original`) with its spec over `runs` runs
/// (or the example's own count), at the example's time scale and parameters; fails the test
/// with the report unless every check passed.
pub fn assert_example_passes(ex: &Example, original: bool, runs: usize) {
    let (commands, scale) = if original {
        (ex.original_commands(), ex.original_time_scale)
    } else {
        (ex.demo_commands(), ex.time_scale)
    };
    let runs = ex.runs.unwrap_or(runs);
    match commands.as_slice() {
        [one] => assert_passes(ex.name, &ex.param_pairs(), runs, scale, one),
        [master, worker] => {
            let after = ex
                .pair_after
                .as_deref()
                .expect("a pair's example.toml sets pair_after");
            assert_pair_passes(ex.name, after, runs, scale, master, worker);
        }
        _ => panic!("{}: one program or a pair", ex.name),
    }
}
