//! Test support: run a command under the fence through the `fenced_run` example, as root or as
//! `nobody` (through `setpriv`), with a deadline; a world-readable work folder for scripts.
#![allow(dead_code)]

use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::Duration;

/// Who runs `fenced_run` (the grader's seat).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seat {
    Root,
    Nobody,
}

pub const SEATS: [Seat; 2] = [Seat::Root, Seat::Nobody];

/// The `fenced_run` example, built once per test process into this test's target folder.
pub fn fenced_run() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let exe = std::env::current_exe().expect("current_exe");
            let dir = exe
                .parent()
                .and_then(Path::parent)
                .expect("target/<profile>");
            let target = dir.parent().expect("target folder");
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
            let status = Command::new(cargo)
                .args(["build", "--quiet", "-p", "fence", "--example", "fenced_run"])
                .arg("--target-dir")
                .arg(target)
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .status()
                .expect("cargo runs");
            assert!(status.success(), "building fenced_run failed");
            dir.join("examples").join("fenced_run")
        })
        .clone()
}

/// The command line that runs `argv` in `seat`.
pub fn in_seat(seat: Seat, argv: &[&str]) -> Command {
    let mut command = match seat {
        Seat::Root => Command::new(argv[0]),
        Seat::Nobody => {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", argv[0]]);
            c
        }
    };
    command.args(&argv[1..]);
    command
}

/// What a fenced run printed and how it ended.
#[derive(Debug)]
pub struct Outcome {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// The scratch directory `fenced_run` named.
    pub fn scratch(&self) -> String {
        self.fence_value("scratch").expect("fence: scratch= line")
    }

    /// The value of a `fence: KEY=VALUE` line.
    pub fn fence_value(&self, key: &str) -> Option<String> {
        let prefix = format!("fence: {key}=");
        self.stderr
            .lines()
            .find_map(|l| l.strip_prefix(&prefix).map(str::to_string))
    }

    /// The `fence: fenced: ...` status line.
    pub fn status_line(&self) -> String {
        self.stderr
            .lines()
            .find(|l| l.starts_with("fence: fenced") || l.starts_with("fence: not fenced"))
            .unwrap_or_default()
            .to_string()
    }

    /// Fails unless the run ended with 0 and left nothing: no process, no scratch directory.
    pub fn assert_clean_success(&self) {
        assert!(self.status.success(), "run failed: {self:#?}");
        self.assert_nothing_left();
    }

    /// Fails if a process of the run is alive or its scratch directory exists.
    pub fn assert_nothing_left(&self) {
        assert_eq!(
            self.fence_value("leftover").as_deref(),
            Some("0"),
            "{self:#?}"
        );
        assert_eq!(self.fence_value("scratch-left").as_deref(), Some("false"));
        let scratch = self.scratch();
        assert!(!Path::new(&scratch).exists(), "{scratch} is left");
        assert!(
            processes_with_env(&format!("TMPDIR={scratch}")).is_empty(),
            "a process of the run is alive"
        );
    }
}

/// Pids of processes whose environment holds `entry`.
pub fn processes_with_env(entry: &str) -> Vec<i32> {
    let mut pids = Vec::new();
    for e in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        if let Ok(env) = std::fs::read(e.path().join("environ"))
            && env.split(|b| *b == 0).any(|v| v == entry.as_bytes())
        {
            pids.push(pid);
        }
    }
    pids
}

/// Runs `fenced_run FENCE_ARGS -- COMMAND` in `seat`, with a deadline of 120 s.
pub fn fenced(seat: Seat, fence_args: &[&str], command: &[&str]) -> Outcome {
    fenced_with_env(seat, &[], fence_args, command)
}

/// [`fenced`] with more environment variables (the fence keeps them).
pub fn fenced_with_env(
    seat: Seat,
    env: &[(&str, &str)],
    fence_args: &[&str],
    command: &[&str],
) -> Outcome {
    let exe = fenced_run();
    let mut argv = vec![exe.to_str().expect("utf-8 path")];
    argv.extend_from_slice(fence_args);
    argv.push("--");
    argv.extend_from_slice(command);
    let mut c = in_seat(seat, &argv);
    c.envs(env.iter().copied());
    run(c)
}

/// Runs `command` with stdin closed and a 120 s deadline.
pub fn run(mut command: Command) -> Outcome {
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    finish(child, Duration::from_secs(120))
}

/// Collects a started child's output, killing it past `limit`.
pub fn finish(mut child: Child, limit: Duration) -> Outcome {
    let pid = child.id() as i32;
    let read_all = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = pipe.read_to_string(&mut s);
            s
        })
    };
    let stdout = child.stdout.take().map(|p| read_all(Box::new(p)));
    let stderr = child.stderr.take().map(|p| read_all(Box::new(p)));
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait());
    });
    let status = match rx.recv_timeout(limit) {
        Ok(status) => status.expect("wait"),
        Err(_) => {
            // SAFETY: a signal to our own child.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            panic!("the fenced run did not finish within {limit:?}");
        }
    };
    Outcome {
        status,
        stdout: stdout
            .map(|t| t.join().expect("stdout reader"))
            .unwrap_or_default(),
        stderr: stderr
            .map(|t| t.join().expect("stderr reader"))
            .unwrap_or_default(),
    }
}

/// A fresh folder under /tmp that everyone can read (the fenced run's own files go there),
/// removed on drop.
pub struct WorkDir(pub PathBuf);

impl WorkDir {
    pub fn new(tag: &str) -> WorkDir {
        let dir = std::env::temp_dir().join(format!(
            "fence-test-{tag}-{}-{:x}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .expect("clock")
                .subsec_nanos()
        ));
        std::fs::create_dir(&dir).expect("work dir");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        WorkDir(dir)
    }

    /// Writes a world-readable file and returns its path.
    pub fn file(&self, name: &str, contents: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        path.to_str().expect("utf-8").to_string()
    }

    pub fn path(&self) -> &str {
        self.0.to_str().expect("utf-8")
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs a Python script (written to a work folder) under the fence in `seat`, with the
/// folder readable.
pub fn python(seat: Seat, fence_args: &[&str], script: &str, args: &[&str]) -> Outcome {
    let dir = WorkDir::new("py");
    let path = dir.file("script.py", script);
    let mut fa: Vec<&str> = fence_args.to_vec();
    fa.extend(["--ro", dir.path()]);
    let mut command = vec!["/usr/bin/python3", path.as_str()];
    command.extend_from_slice(args);
    fenced(seat, &fa, &command)
}

/// Runs the same script without any fence, in `seat` (the control that shows the attack works
/// when nothing stops it).
pub fn python_unfenced(seat: Seat, script: &str, args: &[&str]) -> Outcome {
    let dir = WorkDir::new("py");
    let path = dir.file("script.py", script);
    let mut argv = vec!["/usr/bin/python3", path.as_str()];
    argv.extend_from_slice(args);
    run(in_seat(seat, &argv))
}
