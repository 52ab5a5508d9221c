//! Workspace-level test support: build and locate the demo binaries, run one under supervision
//! (own process group, orphans adopted by this process as child subreaper), and the checks of
//! what each demo's output guarantees (`checks`), kept in one place.

pub mod checks;

use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::signal::{Signal, killpg};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;

/// What one run of a demo produced.
#[derive(Debug)]
pub struct Run {
    pub lines: Vec<String>,
    pub stderr: String,
    pub code: Option<i32>,
    pub main_pid: i32,
    /// Who adopts the demo's orphans: this process.
    pub adopter_pid: i32,
    /// Processes of the demo's group still alive after it exited, then killed.
    pub left_behind: Vec<i32>,
}

/// The path of a workspace binary, built once per test process.
pub fn bin(name: &str) -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    let dir = BUILT.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
        let status = Command::new(cargo)
            .args(["build", "--workspace", "--bins", "--quiet"])
            .status()
            .expect("run cargo build");
        assert!(status.success(), "cargo build --workspace --bins failed");
        // target/<profile>/deps/<this test> -> target/<profile>
        let exe = std::env::current_exe().expect("current_exe");
        exe.parent()
            .and_then(|deps| deps.parent())
            .expect("target dir")
            .to_path_buf()
    });
    dir.join(name)
}

/// Runs a demo with `MULTITASK_TIME_SCALE=scale`, waits for it and its whole process group
/// (at most `limit`), and kills whatever is left.
pub fn run(name: &str, args: &[&str], scale: f64, limit: Duration) -> Run {
    become_subreaper();
    let mut child = Command::new(bin(name))
        .args(args)
        .env("MULTITASK_TIME_SCALE", scale.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .expect("spawn demo");
    let main_pid = child.id() as i32;
    let group = Pid::from_raw(main_pid);
    let stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let lines: Vec<String> = BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .collect();
        let _ = tx.send(lines);
    });
    let err_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let deadline = Instant::now() + limit;
    let code = loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            break status.code();
        }
        if Instant::now() >= deadline {
            let _ = killpg(group, Signal::SIGKILL);
            let _ = child.wait();
            panic!("{name} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let left_behind = reap_group(group, deadline.min(Instant::now() + Duration::from_secs(2)));
    let lines = rx
        .recv_timeout(Duration::from_secs(5))
        .expect("stdout reaches EOF once the group is gone");
    let stderr = err_reader.join().unwrap_or_default();
    Run {
        lines,
        stderr,
        code,
        main_pid,
        adopter_pid: std::process::id() as i32,
        left_behind,
    }
}

fn become_subreaper() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        // SAFETY: prctl with an integer flag, no pointers.
        let r = unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1) };
        assert_eq!(r, 0, "PR_SET_CHILD_SUBREAPER");
    });
}

/// Reaps the group's orphans (adopted by us) until none is left or `deadline`; then kills the
/// rest and returns their pids.
fn reap_group(group: Pid, deadline: Instant) -> Vec<i32> {
    let target = Pid::from_raw(-group.as_raw());
    loop {
        match waitpid(target, Some(WaitPidFlag::WNOHANG)) {
            Err(Errno::ECHILD) => {
                // No child of ours in the group; one not adopted (still a grandchild of a
                // live process of ours is impossible: the main process is gone) would show here.
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
        std::thread::sleep(Duration::from_millis(2));
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

/// Starts a demo at full time scale, waits for a stdout line starting with `after`, sends
/// SIGINT to the demo's main process alone (as a shell's Ctrl-C reaches at least it), and
/// returns the demo's processes still alive a second later (then kills them).
pub fn interrupt(name: &str, args: &[&str], after: &str) -> Vec<i32> {
    become_subreaper();
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
