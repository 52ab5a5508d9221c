//! task-master and task-worker as real processes on an ephemeral loopback port: workers share
//! the tasks, a wrong authkey is refused on both sides, and neither a dead worker nor a missing
//! one keeps the master waiting past its timeout. Every wait has a deadline; every process is
//! killed when its test ends, whatever happened.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

/// Generous: the slowest step of a healthy run is well under a second.
const LIMIT: Duration = Duration::from_secs(30);

/// One line of a child's output, and which stream it came on.
#[derive(Debug)]
struct Line {
    stderr: bool,
    text: String,
}

/// A running demo whose lines are collected as they come.
struct Proc {
    name: &'static str,
    child: Child,
    lines: Receiver<Line>,
    stdout: Vec<String>,
    stderr: Vec<String>,
}

fn forward(stream: impl Read + Send + 'static, stderr: bool, tx: mpsc::Sender<Line>) {
    thread::spawn(move || {
        for text in BufReader::new(stream).lines().map_while(Result::ok) {
            if tx.send(Line { stderr, text }).is_err() {
                break;
            }
        }
    });
}

impl Proc {
    fn start(name: &'static str, exe: &Path, args: &[&str], scale: &str) -> Proc {
        let mut child = Command::new(exe)
            .args(args)
            .env("MULTITASK_TIME_SCALE", scale)
            .env_remove("MULTITASK_SEED")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| panic!("{name} starts: {err}"));
        let (tx, lines) = mpsc::channel();
        forward(child.stdout.take().expect("stdout"), false, tx.clone());
        forward(child.stderr.take().expect("stderr"), true, tx);
        Proc {
            name,
            child,
            lines,
            stdout: Vec::new(),
            stderr: Vec::new(),
        }
    }

    fn record(&mut self, line: Line) -> (bool, String) {
        let kept = (line.stderr, line.text.clone());
        if line.stderr {
            self.stderr.push(line.text);
        } else {
            self.stdout.push(line.text);
        }
        kept
    }

    /// Waits for the first line (on `stderr` or stdout) that `wanted` accepts, and returns it.
    fn wait_line(&mut self, stderr: bool, wanted: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + LIMIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let (on_stderr, text) = self.record(line);
                    if on_stderr == stderr && wanted(&text) {
                        return text;
                    }
                }
                Err(err) => panic!(
                    "{}: the awaited line never came ({err:?}); stdout {:?} stderr {:?}",
                    self.name, self.stdout, self.stderr
                ),
            }
        }
    }

    fn signal(&self, signal: Signal) {
        let pid = Pid::from_raw(i32::try_from(self.child.id()).expect("a pid"));
        kill(pid, signal).unwrap_or_else(|err| panic!("{}: {signal}: {err}", self.name));
    }

    /// Waits for the exit (killing the process past `limit`) and for the end of its output.
    fn finish(&mut self, limit: Duration) -> ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.record(line);
                }
                // Both pipes closed: the process is gone or about to be.
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => panic!(
                    "{} did not finish within {limit:?}; stdout {:?} stderr {:?}",
                    self.name, self.stdout, self.stderr
                ),
            }
        }
        // The pipes are closed; the exit follows at once, but never wait without a bound.
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            thread::sleep(Duration::from_millis(5));
        }
        panic!("{} closed its output but did not exit", self.name);
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        // A failed test must not leave a master or a worker running.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The worker binary (another package's: built by workspace_tests::bin).
fn worker_exe() -> PathBuf {
    workspace_tests::bin("task-worker")
}

/// Starts a master on an ephemeral loopback port and returns it with its real port.
fn master(scale: &str, extra: &[&str]) -> (Proc, String) {
    // Built before the master starts its clock: a build is slower than a scaled timeout.
    worker_exe();
    let mut args = vec!["--bind", "127.0.0.1", "--port", "0"];
    args.extend_from_slice(extra);
    let mut master = Proc::start(
        "task-master",
        Path::new(env!("CARGO_BIN_EXE_task-master")),
        &args,
        scale,
    );
    let listening = master.wait_line(true, |line| line.starts_with("listening on 127.0.0.1:"));
    let port = listening.rsplit(':').next().expect("a port").to_string();
    (master, port)
}

fn worker(port: &str, scale: &str, extra: &[&str]) -> Proc {
    let mut args = vec!["--server", "127.0.0.1", "--port", port];
    args.extend_from_slice(extra);
    Proc::start("task-worker", &worker_exe(), &args, scale)
}

fn number(text: &str) -> i64 {
    text.parse()
        .unwrap_or_else(|_| panic!("{text:?} is not a number"))
}

/// The master's lines, checked in full; returns the tasks it put, sorted.
fn check_master(lines: &[String]) -> Vec<i64> {
    assert_eq!(lines.len(), 22, "{lines:?}");
    let mut tasks: Vec<i64> = lines[..10]
        .iter()
        .map(|line| {
            let n = line
                .strip_prefix("Put task ")
                .and_then(|rest| rest.strip_suffix("..."))
                .unwrap_or_else(|| panic!("not a Put line: {line:?}"));
            number(n)
        })
        .collect();
    assert_eq!(lines[10], "Try get results...");
    let mut results: Vec<i64> = lines[11..21]
        .iter()
        .map(|line| {
            let rest = line
                .strip_prefix("Result: ")
                .unwrap_or_else(|| panic!("not a Result line: {line:?}"));
            let parts: Vec<&str> = rest.split(' ').collect();
            assert_eq!(parts.len(), 5, "{line:?}");
            assert_eq!((parts[1], parts[3]), ("*", "="), "{line:?}");
            let n = number(parts[0]);
            assert_eq!(number(parts[2]), n, "{line:?}");
            assert_eq!(number(parts[4]), n * n, "{line:?}");
            n
        })
        .collect();
    assert_eq!(lines[21], "master exit.");
    tasks.sort_unstable();
    results.sort_unstable();
    assert_eq!(tasks, results, "every task has its result");
    tasks
}

/// A worker's lines, checked in full; returns the tasks it ran. `ended` says whether it ran its
/// 10 tries to the end (else the master closed first, and it said so on stderr).
fn check_worker(lines: &[String], ended: bool) -> Vec<i64> {
    assert_eq!(lines[0], "Connect to server 127.0.0.1...", "{lines:?}");
    let tries = if ended {
        assert_eq!(lines.last().map(String::as_str), Some("worker exit."));
        assert_eq!(lines.len(), 12, "10 tries: {lines:?}");
        &lines[1..11]
    } else {
        assert!(lines.len() <= 11, "at most 10 tries: {lines:?}");
        &lines[1..]
    };
    tries
        .iter()
        .filter(|line| line.as_str() != "task queue is empty.")
        .map(|line| {
            let rest = line
                .strip_prefix("run task ")
                .and_then(|rest| rest.strip_suffix("..."))
                .unwrap_or_else(|| panic!("not a run line: {line:?}"));
            let (a, b) = rest.split_once(" * ").expect("N * N");
            assert_eq!(a, b, "{line:?}");
            number(a)
        })
        .collect()
}

/// Whether a worker ended normally; one that did not must have found the master gone.
fn ended(status: ExitStatus, worker: &Proc) -> bool {
    if status.success() {
        assert!(worker.stderr.is_empty(), "{:?}", worker.stderr);
        return true;
    }
    let complaint = worker.stderr.join("\n");
    assert_eq!(status.code(), Some(1), "{status}: {complaint}");
    assert!(complaint.contains("the master closed"), "{complaint}");
    false
}

fn is_run_line(line: &str) -> bool {
    line.starts_with("run task ")
}

#[test]
fn two_workers_share_the_tasks_each_done_once() {
    // 0.2: a task takes 0.2 s, the master waits up to 2 s for each result.
    let scale = "0.2";
    let (mut master, port) = master(scale, &[]);
    let mut first = worker(&port, scale, &[]);
    first.wait_line(false, is_run_line);
    // Hold the first worker while the second starts, so that both surely get tasks (the first
    // alone would need 10 x 0.2 s for all of them).
    first.signal(Signal::SIGSTOP);
    let mut second = worker(&port, scale, &[]);
    second.wait_line(false, is_run_line);
    first.signal(Signal::SIGCONT);

    let master_status = master.finish(LIMIT);
    let first_status = first.finish(LIMIT);
    let second_status = second.finish(LIMIT);
    assert!(
        master_status.success(),
        "{master_status}: {:?}",
        master.stderr
    );
    // Each worker tries 10 times, as the tutorial's: between them 20 tries for 10 tasks, so a
    // worker either runs out of tries (status 0) or is still trying when the master, all its
    // results in, shuts down (status 1, one line on stderr, as the tutorial's dies on a
    // traceback).
    let (first_ended, second_ended) = (ended(first_status, &first), ended(second_status, &second));
    let tasks = check_master(&master.stdout);
    let (a, b) = (
        check_worker(&first.stdout, first_ended),
        check_worker(&second.stdout, second_ended),
    );
    assert!(!a.is_empty() && !b.is_empty(), "both worked: {a:?} {b:?}");
    let mut done: Vec<i64> = a.into_iter().chain(b).collect();
    done.sort_unstable();
    assert_eq!(done, tasks, "each task was run exactly once");
}

#[test]
fn a_wrong_authkey_is_refused_on_both_sides() {
    // 0.1: the master gives up 1 s after its last result, here after 1 s without any.
    let scale = "0.1";
    let (mut master, port) = master(scale, &["--authkey", "abc"]);
    let mut intruder = worker(&port, scale, &["--authkey", "not-abc"]);
    let status = intruder.finish(LIMIT);
    assert_eq!(status.code(), Some(1), "{:?}", intruder.stderr);
    assert_eq!(intruder.stdout, ["Connect to server 127.0.0.1..."]);
    let complaint = intruder.stderr.join("\n");
    assert!(complaint.contains("refused our authkey"), "{complaint}");

    master.wait_line(true, |line| {
        line.contains("refused a connection") && line.contains("authentication failed")
    });
    let status = master.finish(LIMIT);
    assert_eq!(status.code(), Some(1));
    assert!(
        master
            .stdout
            .iter()
            .all(|line| !line.starts_with("Result: ")),
        "nothing got through: {:?}",
        master.stdout
    );
}

#[test]
fn a_worker_killed_mid_task_does_not_hang_the_master() {
    // 0.1: a task takes 0.1 s, the master waits up to 1 s for each result.
    let scale = "0.1";
    let (mut master, port) = master(scale, &[]);
    let mut victim = worker(&port, scale, &[]);
    victim.wait_line(false, is_run_line);
    victim.signal(Signal::SIGKILL);
    let killed = Instant::now();
    let status = master.finish(LIMIT);
    let waited = killed.elapsed();
    assert_eq!(
        status.code(),
        Some(1),
        "the task in the dead worker is lost"
    );
    // Its timeout is 1 s after the last result; the rest is slack for a loaded machine.
    assert!(
        waited < Duration::from_secs(10),
        "the master hung for {waited:?}"
    );
    assert!(!master.stdout.iter().any(|line| line == "master exit."));
    let complaint = master.stderr.join("\n");
    assert!(complaint.contains("no result within 1.00 s"), "{complaint}");
    victim.finish(LIMIT);
}

#[test]
fn a_master_without_workers_gives_up_after_its_timeout() {
    let (mut master, _port) = master("0.01", &[]);
    let status = master.finish(LIMIT);
    assert_eq!(status.code(), Some(1));
    assert_eq!(master.stdout.len(), 11, "{:?}", master.stdout);
    assert_eq!(master.stdout[10], "Try get results...");
    let complaint = master.stderr.join("\n");
    assert!(
        complaint.contains("no result within 0.10 s (0 of 10 received)"),
        "{complaint}"
    );
}

#[test]
fn a_busy_port_is_reported_not_panicked_on() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let mut master = Proc::start(
        "task-master",
        Path::new(env!("CARGO_BIN_EXE_task-master")),
        &["--bind", "127.0.0.1", "--port", &port],
        "0.01",
    );
    let status = master.finish(LIMIT);
    assert_eq!(status.code(), Some(1));
    assert!(master.stdout.is_empty());
    assert!(
        master.stderr.join("\n").contains("cannot listen on"),
        "{:?}",
        master.stderr
    );
}

#[test]
fn bad_arguments_exit_2() {
    let exe = Path::new(env!("CARGO_BIN_EXE_task-master"));
    for (args, scale) in [
        (&["--port", "http"][..], "1"),
        (&["--bind", "not-an-ip"][..], "1"),
        (&["--port", "0"][..], "soon"),
    ] {
        let mut master = Proc::start("task-master", exe, args, scale);
        let status = master.finish(LIMIT);
        assert_eq!(status.code(), Some(2), "{args:?} {scale}");
        assert!(master.stdout.is_empty(), "{args:?}");
        assert!(!master.stderr.is_empty(), "{args:?}");
    }
}
