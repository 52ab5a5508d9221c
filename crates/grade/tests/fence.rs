//! Issue 10: hostile ports graded with the fence, by `grade` running as root and as `nobody`.
//! After each: the listener got nothing, no file exists outside scratch, the secret is not in
//! the report, the grader is alive and reported, nothing is left running, and it all ended
//! within the timeout plus 3 s.

mod common;

use std::io::Read;
use std::net::TcpListener;
use std::os::unix::fs::{PermissionsExt, chown};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Who runs `grade`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seat {
    Root,
    Nobody,
}

const SEATS: [Seat; 2] = [Seat::Root, Seat::Nobody];
/// The per-run timeout the hostile gradings get; each must end within it plus 3 s.
const TIMEOUT: u64 = 10;

/// One grading of a hostile fixture.
#[derive(Debug)]
struct Hostile {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    report: Value,
}

impl Hostile {
    fn notes(&self) -> String {
        self.report["notes"].to_string()
    }
}

fn fixture(name: &str) -> String {
    common::fixtures()
        .join("fenced")
        .join(name)
        .canonicalize()
        .expect("fixture")
        .to_str()
        .expect("utf-8")
        .to_string()
}

/// Grades `tests/fixtures/fenced/NAME` as the `process` example, one run, in `seat`, with
/// `env` in grade's environment passed on to the port (`--env`) and `extra` options; fails unless grade ended within the timeout + 3 s, is alive to
/// report (status 0 or 1, a JSON report), and left no process of its runs behind.
fn grade_hostile(seat: Seat, name: &str, env: &[(&str, String)], extra: &[&str]) -> Hostile {
    grade_hostile_fd7(seat, name, env, extra, None)
}

/// As [`grade_hostile`], `grade` started by a shell that left `fd7` open for appending on its
/// descriptor 7 (`exec 7>>FILE`), as a teacher's shell may.
fn grade_hostile_fd7(
    seat: Seat,
    name: &str,
    env: &[(&str, String)],
    extra: &[&str],
    fd7: Option<&Path>,
) -> Hostile {
    let timeout = TIMEOUT.to_string();
    let script = fixture(name);
    let mut args = vec![
        "process",
        "--runs",
        "1",
        "--timeout",
        &timeout,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    // The port gets grade's variables only when they are passed on.
    for (name, _) in env {
        args.extend(["--env", name]);
    }
    args.extend(["--", &script]);
    let grade = env!("CARGO_BIN_EXE_grade");
    let mut program = vec![grade];
    if let Some(file) = fd7 {
        let file = file.to_str().expect("utf-8");
        program = vec!["sh", "-c", "exec 7>>\"$0\"; exec \"$@\"", file, grade];
    }
    let mut command = match seat {
        Seat::Root => Command::new(program[0]),
        Seat::Nobody => {
            let mut c = Command::new("setpriv");
            c.args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                program[0],
            ]);
            c
        }
    };
    command
        .args(&program[1..])
        .args(&args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = command.spawn().expect("grade starts");
    // setpriv execs grade: the pid is grade's either way.
    let pid = child.id();
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let limit = Duration::from_secs(TIMEOUT + 3);
    let status = loop {
        if let Some(st) = child.try_wait().expect("wait") {
            break st;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("grade {name} as {seat:?} still running after the timeout + 3 s");
        }
        // Polling the exit: std has no wait with a timeout.
        std::thread::sleep(Duration::from_millis(5));
    };
    let stdout = out_t.join().expect("stdout");
    let stderr = err_t.join().expect("stderr");
    let report: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{name} as {seat:?}: no report ({e}): {stderr}"));
    assert!(
        matches!(status.code(), Some(0 | 1)),
        "{name} as {seat:?}: grade ended with {status:?}: {stderr}"
    );
    let marker = format!("{}={pid}.", grader::RUN_ID_ENV);
    assert!(
        processes_with_env_prefix(&marker).is_empty(),
        "{name} as {seat:?}: a process of the run is still alive"
    );
    let fence = report["fence"].as_str().expect("a fence field");
    let fenced = !extra.contains(&"--no-fence");
    assert_eq!(fence.starts_with("fenced: "), fenced, "{fence}");
    assert_eq!(
        stderr.lines().any(|l| l.starts_with("grade: runs fenced")),
        fenced,
        "{stderr}"
    );
    Hostile {
        code: status.code(),
        stdout,
        stderr,
        report,
    }
}

/// Pids of processes with an environment entry starting with `prefix`.
fn processes_with_env_prefix(prefix: &str) -> Vec<i32> {
    let mut pids = Vec::new();
    for e in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        if let Ok(env) = std::fs::read(e.path().join("environ"))
            && env
                .split(|b| *b == 0)
                .any(|v| v.starts_with(prefix.as_bytes()))
        {
            pids.push(pid);
        }
    }
    pids
}

/// A folder standing for the home directory of `seat`'s user: root's own, or a folder that
/// belongs to nobody (what nobody may read and write).
fn home(seat: Seat, tag: &str) -> (PathBuf, Option<PathBuf>) {
    match seat {
        Seat::Root => (
            PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/root".into())),
            None,
        ),
        Seat::Nobody => {
            let dir = std::env::temp_dir().join(format!("fence-home-{tag}"));
            std::fs::create_dir_all(&dir).expect("home");
            chown(&dir, Some(65534), Some(65534)).expect("chown");
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).expect("chmod");
            (dir.clone(), Some(dir))
        }
    }
}

fn tag(seat: Seat, what: &str) -> String {
    format!("{what}-{seat:?}-{}", std::process::id())
}

#[test]
fn a_listener_on_loopback_gets_nothing() {
    let v4 = TcpListener::bind(("127.0.0.1", 0)).expect("bind");
    let port = v4.local_addr().expect("addr").port();
    let v6 = TcpListener::bind(("::1", port)).expect("bind ::1 on the same port");
    for l in [&v4, &v6] {
        l.set_nonblocking(true).expect("nonblocking");
    }
    // Control: unfenced (as nobody), the port reaches both listeners.
    let env = [("FENCE_TEST_PORT", port.to_string())];
    grade_hostile(Seat::Nobody, "sends_to_listener.py", &env, &["--no-fence"]);
    for l in [&v4, &v6] {
        let (mut s, _) = l.accept().expect("the control connected");
        s.set_nonblocking(false).expect("blocking");
        let mut got = Vec::new();
        s.read_to_end(&mut got).expect("read");
        assert!(!got.is_empty());
    }
    for seat in SEATS {
        let out = grade_hostile(seat, "sends_to_listener.py", &env, &[]);
        assert_eq!(out.code, Some(0), "{out:#?}");
        for l in [&v4, &v6] {
            let e = l.accept().expect_err("no connection");
            assert_eq!(e.kind(), std::io::ErrorKind::WouldBlock, "{seat:?}");
        }
    }
}

#[test]
fn writes_outside_scratch_leave_no_file() {
    for seat in SEATS {
        let t = tag(seat, "write");
        let (home, owned) = home(seat, &t);
        let targets = [
            home.join(format!("fence-escape-{t}")),
            PathBuf::from(format!("/tmp/fence-escape-{t}")),
        ];
        let joined = targets
            .iter()
            .map(|p| p.to_str().expect("utf-8"))
            .collect::<Vec<_>>()
            .join(":");
        let env = [
            ("FENCE_TEST_TARGETS", joined),
            ("FENCE_TEST_TAG", t.clone()),
        ];
        if seat == Seat::Nobody {
            // Control: unfenced, nobody writes both (next to the fixture it may not).
            grade_hostile(seat, "writes_outside.py", &env, &["--no-fence"]);
            for p in &targets {
                std::fs::remove_file(p).expect("the control wrote it");
            }
        }
        let out = grade_hostile(seat, "writes_outside.py", &env, &[]);
        assert_eq!(out.code, Some(0), "{out:#?}");
        assert!(
            out.notes().contains("(EACCES): /tmp/fence-escape-"),
            "{out:#?}"
        );
        for p in &targets {
            assert!(!p.exists(), "{} was written", p.display());
        }
        let next_to =
            Path::new(&fixture("writes_outside.py")).with_file_name(format!("escaped-{t}"));
        assert!(!next_to.exists(), "{} was written", next_to.display());
        if let Some(dir) = owned {
            std::fs::remove_dir_all(dir).expect("home");
        }
    }
}

#[test]
fn a_descriptor_the_caller_left_open_does_not_reach_the_port() {
    for seat in SEATS {
        let t = tag(seat, "fd7");
        // The caller's file, mode 600: root's, or nobody's when nobody grades.
        let file = std::env::temp_dir().join(format!("fence-fd7-{t}"));
        std::fs::write(&file, "").expect("file");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        if seat == Seat::Nobody {
            chown(&file, Some(65534), Some(65534)).expect("chown");
        }
        for extra in [&[][..], &["--no-fence"][..], &["--no-trace"][..]] {
            let out = grade_hostile_fd7(seat, "writes_inherited_fd.py", &[], extra, Some(&file));
            assert_eq!(out.code, Some(0), "{seat:?} {extra:?}: {out:#?}");
            let written = std::fs::read_to_string(&file).expect("read");
            assert!(written.is_empty(), "{seat:?} {extra:?}: {written}");
        }
        std::fs::remove_file(&file).expect("remove");
    }
}

/// Pids of processes whose command line starts with `tag`.
fn processes_named(tag: &str) -> Vec<i32> {
    let mut pids = Vec::new();
    for e in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        if std::fs::read(e.path().join("cmdline")).is_ok_and(|c| c.starts_with(tag.as_bytes())) {
            pids.push(pid);
        }
    }
    pids
}

#[test]
fn a_clone_parent_sibling_is_caught_traced_or_not() {
    for seat in SEATS {
        for extra in [&[][..], &["--no-trace"][..]] {
            let t = format!("fence-escapee-{}", tag(seat, "clone-parent"));
            let env = [("FENCE_TEST_TAG", t.clone())];
            let out = grade_hostile(seat, "clone_parent_escape.py", &env, extra);
            let left = processes_named(&t);
            for &pid in &left {
                // Only the test's own escapee, named by its unique tag.
                let _ = nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(pid),
                    nix::sys::signal::Signal::SIGKILL,
                );
            }
            assert!(left.is_empty(), "{seat:?} {extra:?}: {t} left alive");
            assert_eq!(out.code, Some(1), "{seat:?} {extra:?}: {out:#?}");
            assert!(out.stdout.contains(&t), "{seat:?} {extra:?}: {out:#?}");
        }
    }
}

#[test]
fn a_secret_in_home_and_tmp_stays_out_of_the_report() {
    for seat in SEATS {
        let t = tag(seat, "secret");
        let (home, owned) = home(seat, &t);
        let secret = format!("pw:{}:{seat:?}", std::process::id());
        let paths = [
            home.join(format!("fence-secret-{t}")),
            PathBuf::from(format!("/tmp/fence-secret-{t}")),
        ];
        for p in &paths {
            std::fs::write(p, &secret).expect("plant");
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o600)).expect("chmod");
            if seat == Seat::Nobody {
                chown(p, Some(65534), Some(65534)).expect("chown");
            }
        }
        let joined = paths
            .iter()
            .map(|p| p.to_str().expect("utf-8"))
            .collect::<Vec<_>>()
            .join(":");
        let env = [("FENCE_TEST_SECRETS", joined)];
        if seat == Seat::Nobody {
            // Control: unfenced, the secret reaches the report.
            let control = grade_hostile(seat, "reads_secret.py", &env, &["--no-fence"]);
            assert!(control.stdout.contains(&secret), "{control:#?}");
        }
        let out = grade_hostile(seat, "reads_secret.py", &env, &[]);
        for p in &paths {
            let _ = std::fs::remove_file(p);
        }
        if let Some(dir) = owned {
            std::fs::remove_dir_all(dir).expect("home");
        }
        assert!(!out.stdout.contains(&secret), "{out:#?}");
        assert!(!out.stderr.contains(&secret), "{out:#?}");
        assert_eq!(out.code, Some(0), "{out:#?}");
    }
}

#[test]
fn killing_the_parent_and_every_grade_leaves_the_grader_reporting() {
    for seat in SEATS {
        let out = grade_hostile(seat, "kills_grader.py", &[], &[]);
        assert_eq!(out.code, Some(0), "{out:#?}");
        // The trace saw the refused kill: a note, not a crash.
        assert!(
            out.notes().contains("refused kill (EPERM): SIGKILL"),
            "{out:#?}"
        );
    }
}

#[test]
fn a_fork_bomb_stops_at_max_procs_and_says_so() {
    for seat in SEATS {
        let out = grade_hostile(seat, "fork_bomb.py", &[], &[]);
        assert_eq!(out.code, Some(1), "{out:#?}");
        assert!(out.notes().contains("--max-procs 256"), "{out:#?}");
    }
}

#[test]
fn touching_8_gib_fails_at_max_memory_and_says_so() {
    for seat in SEATS {
        let out = grade_hostile(seat, "touches_8gib.py", &[], &[]);
        assert_eq!(out.code, Some(1), "{out:#?}");
        assert!(out.notes().contains("--max-memory"), "{out:#?}");
    }
}

#[test]
fn filling_the_disk_stops_at_max_disk_and_says_so() {
    for seat in SEATS {
        let out = grade_hostile(seat, "fills_disk.py", &[], &["--max-disk", "16M"]);
        assert_eq!(out.code, Some(1), "{out:#?}");
        assert!(out.notes().contains("--max-disk 16777216"), "{out:#?}");
    }
}

#[test]
fn no_fence_is_named_in_the_report() {
    let script = common::fixtures().join("process/correct.py");
    let out = common::grade(
        &[
            "process",
            "--runs",
            "1",
            "--no-fence",
            "--format",
            "json",
            "--",
            script.to_str().expect("utf-8"),
        ],
        Duration::from_secs(60),
    );
    let report: Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(report["fence"], "not fenced (--no-fence)");
    assert!(
        out.stderr
            .starts_with("grade: runs not fenced (--no-fence)"),
        "{out:?}"
    );
}

/// As root the run is nobody: a program in a folder nobody cannot enter is refused before any
/// run, in one line, status 2 (not a run that fails with "permission denied").
#[test]
fn a_program_nobody_cannot_reach_is_one_line_and_status_2() {
    let dir = std::env::temp_dir().join(format!("fence-closed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    let script = dir.join("port.sh");
    std::fs::write(&script, "#!/bin/sh\necho hi\n").expect("script");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let out = common::grade(
        &[
            "process",
            "--runs",
            "1",
            "--",
            script.to_str().expect("utf-8"),
        ],
        Duration::from_secs(60),
    );
    std::fs::remove_dir_all(&dir).expect("cleanup");
    assert_eq!(out.code, Some(2), "{out:?}");
    assert_eq!(out.stderr.lines().count(), 1, "{out:?}");
    assert!(
        out.stderr.contains("cannot be entered by nobody"),
        "{out:?}"
    );
}

#[test]
fn pair_options_out_of_place_are_one_line_and_status_2() {
    let t = "/bin/true";
    for (args, says) in [
        (
            vec!["distributed", "--pair-after", "Try", "--", t],
            "--pair-after needs --pair",
        ),
        (
            vec!["distributed", "--pair", "--", t],
            "--pair needs MASTER",
        ),
        (
            vec!["distributed", "--pair", "--no-fence", "--", t, "--", t],
            "--pair needs the fence",
        ),
    ] {
        let out = common::grade(&args, Duration::from_secs(60));
        assert_eq!(out.code, Some(2), "{args:?}: {out:?}");
        assert_eq!(out.stderr.lines().count(), 1, "{out:?}");
        assert!(out.stderr.contains(says), "{args:?}: {out:?}");
    }
}
