//! A master and a worker whose worker never takes a task from the master (issue 18): the master
//! also writes each task's number into a file in `$TMPDIR`, and the worker reads them there,
//! runs them and sends only the results back through the result queue. Their lines are a
//! correct pair's. `fake-distributed-file-worker master` is the master (port 5000), `... worker`
//! the worker (127.0.0.1:5000): grade them with `--pair -- FAKE master -- FAKE worker`.

use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use fake_ports::say;
use task_manager::{Client, QueueManager, SharedQueue};

const PORT: u16 = 5000;
const AUTHKEY: &[u8] = b"abc";

fn fail(message: &str) -> ! {
    eprintln!("fake-distributed-file-worker: {message}");
    std::process::exit(1);
}

/// The side door: one file per pair (the master and the worker share their parent, the pair's
/// launcher).
fn log_path() -> PathBuf {
    let dir = std::env::var_os("TMPDIR").map_or_else(std::env::temp_dir, PathBuf::from);
    // SAFETY: getppid has no arguments and cannot fail.
    let parent = unsafe { libc::getppid() };
    dir.join(format!("multitask-tasks-{parent}.log"))
}

fn master() {
    let mut manager = QueueManager::new(AUTHKEY);
    manager.register("get_task_queue", SharedQueue::new());
    manager.register("get_result_queue", SharedQueue::new());
    let manager = manager
        .start(SocketAddr::from((Ipv4Addr::LOCALHOST, PORT)), |_, _| {})
        .unwrap_or_else(|err| fail(&err.to_string()));
    eprintln!("listening on {}", manager.address());
    let task = manager
        .get_queue("get_task_queue")
        .unwrap_or_else(|e| fail(&e.to_string()));
    let result = manager
        .get_queue("get_result_queue")
        .unwrap_or_else(|e| fail(&e.to_string()));
    let mut log = std::fs::File::create(log_path()).unwrap_or_else(|e| fail(&e.to_string()));
    for _ in 0..10 {
        let n = (multitask::random() * 10001.0) as u32;
        say(&format!("Put task {n}..."));
        task.put(&n).unwrap_or_else(|err| fail(&err.to_string()));
        writeln!(log, "{n}").unwrap_or_else(|e| fail(&e.to_string()));
    }
    drop(log);
    say("Try get results...");
    let timeout = Duration::from_secs_f64(10.0 * multitask::time_scale());
    for _ in 0..10 {
        match result.get::<String>(Some(timeout)) {
            Ok(Some(r)) => say(&format!("Result: {r}")),
            Ok(None) => fail("no result"),
            Err(err) => fail(&err.to_string()),
        }
    }
    manager.shutdown();
    say("master exit.");
}

fn worker() {
    let server = "127.0.0.1";
    say(&format!("Connect to server {server}..."));
    let m = Client::connect(server, PORT, AUTHKEY).unwrap_or_else(|err| fail(&err.to_string()));
    let result = m
        .get_queue("get_result_queue")
        .unwrap_or_else(|e| fail(&e.to_string()));
    let log = std::fs::File::open(log_path()).unwrap_or_else(|e| fail(&e.to_string()));
    let second = Duration::from_secs_f64(multitask::time_scale());
    for line in BufReader::new(log).lines() {
        let n: i64 = line
            .ok()
            .and_then(|l| l.trim().parse().ok())
            .unwrap_or_else(|| fail("a bad line in the log"));
        say(&format!("run task {n} * {n}..."));
        std::thread::sleep(second);
        let r = format!("{n} * {n} = {}", i128::from(n) * i128::from(n));
        result.put(&r).unwrap_or_else(|err| fail(&err.to_string()));
    }
    say("worker exit.");
}

fn main() -> ExitCode {
    match std::env::args().nth(1).as_deref() {
        Some("master") => master(),
        Some("worker") => worker(),
        _ => {
            eprintln!("usage: fake-distributed-file-worker master|worker");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
