//! Bad input to `grade` itself: a spec that is no regular file (a device that never ends, a FIFO
//! nobody writes, a directory) and a command that is a directory each get one line on stderr and
//! exit status 2, without a hang or a memory blow-up.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs `grade` with `args`; kills it and fails the test if it is not done within 20 s.
fn grade(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_grade"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn grade");
    let deadline = Instant::now() + Duration::from_secs(20);
    // Polling the exit: a grade that hangs must not hang the test.
    while child.try_wait().expect("try_wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("grade {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn one_line_status_2(out: &Output, says: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains(says), "{says:?} not in {err}");
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("grade-bad-input-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

#[test]
fn a_spec_of_dev_zero_is_refused() {
    let out = grade(&["--spec", "/dev/zero", "--", "true"]);
    one_line_status_2(&out, "not a regular file");
}

#[test]
fn a_spec_on_a_fifo_is_refused_without_blocking() {
    let dir = scratch("fifo");
    let fifo = dir.join("spec.toml");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let out = grade(&["--spec", fifo.to_str().expect("utf-8"), "--", "true"]);
    one_line_status_2(&out, "not a regular file");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_spec_over_the_cap_is_refused() {
    let dir = scratch("big");
    let big = dir.join("spec.toml");
    std::fs::write(&big, vec![b'#'; 2 * 1024 * 1024]).expect("write");
    let out = grade(&["--spec", big.to_str().expect("utf-8"), "--", "true"]);
    one_line_status_2(&out, "bytes");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_command_that_is_a_directory_is_named_so() {
    let dir = scratch("dir");
    let d = dir.join("adir");
    std::fs::create_dir_all(&d).expect("dir");
    let shown = d.to_str().expect("utf-8");
    for fence in [&[][..], &["--no-fence"][..]] {
        let mut args = vec!["fork", "--runs", "1"];
        args.extend_from_slice(fence);
        args.extend(["--", shown]);
        let out = grade(&args);
        one_line_status_2(&out, "is a directory");
    }
    assert!(Path::new(shown).is_dir());
    let _ = std::fs::remove_dir_all(&dir);
}
