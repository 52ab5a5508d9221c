//! The library's face: status lines, typed errors, the scratch directory's life, joining a run.

mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use fence::{Fence, FenceErrorKind, FenceOptions, probe};

#[test]
fn the_status_names_what_the_probe_found() {
    let p = probe();
    let fence = Fence::prepare(&FenceOptions::default()).expect("prepare");
    let status = fence.status();
    assert_eq!(status.namespaces, p.namespaces.is_ok());
    assert_eq!(status.landlock_abi, p.landlock_abi.clone().ok());
    assert_eq!(status.seccomp, p.seccomp.is_ok());
    let line = status.to_string();
    assert!(line.starts_with("fenced: "), "{line}");
    assert!(!line.contains('\n'));
    assert!(line.contains("rlimits (no cgroup v2 delegation"), "{line}");
    if p.namespaces.is_ok() {
        assert!(line.contains("user+net+mount+ipc+uts namespaces"), "{line}");
    } else {
        assert!(line.contains("missing: no user namespaces"), "{line}");
    }
    if let Ok(abi) = p.landlock_abi
        && abi >= 6
    {
        assert!(line.contains("signals, abstract sockets"), "{line}");
    }
    eprintln!("this machine: {line}");
}

#[test]
fn a_switched_off_fence_is_named_missing() {
    let mut options = FenceOptions::default();
    options.disabled.namespaces = true;
    options.disabled.landlock = true;
    options.disabled.seccomp = true;
    let fence = Fence::prepare(&options).expect("prepare");
    let line = fence.status().to_string();
    assert!(line.contains("namespaces switched off"), "{line}");
    assert!(line.contains("landlock switched off"), "{line}");
    assert!(line.contains("seccomp switched off"), "{line}");
    assert!(fence.status().up().iter().all(|u| !u.contains("landlock")));
}

#[test]
fn unusable_options_are_typed_errors() {
    let relative = FenceOptions {
        read_only: vec![PathBuf::from("relative/dir")],
        ..FenceOptions::default()
    };
    let err = Fence::prepare(&relative).expect_err("relative path");
    assert_eq!(err.kind(), FenceErrorKind::InvalidOption);

    let zero = FenceOptions {
        max_procs: 0,
        ..FenceOptions::default()
    };
    assert_eq!(
        Fence::prepare(&zero).expect_err("zero").kind(),
        FenceErrorKind::InvalidOption
    );

    let missing = FenceOptions {
        read_only: vec![PathBuf::from("/nonexistent/fence-test")],
        ..FenceOptions::default()
    };
    let err = Fence::prepare(&missing).expect_err("missing path");
    assert_eq!(err.kind(), FenceErrorKind::Path);
    assert!(std::error::Error::source(&err).is_some(), "keeps its cause");

    let unwritable_parent = FenceOptions {
        scratch_parent: Some(PathBuf::from("/nonexistent")),
        ..FenceOptions::default()
    };
    assert_eq!(
        Fence::prepare(&unwritable_parent)
            .expect_err("no parent")
            .kind(),
        FenceErrorKind::Scratch
    );
}

#[test]
fn dropping_the_fence_removes_its_scratch_directory() {
    let fence = Fence::prepare(&FenceOptions::default()).expect("prepare");
    let scratch = fence.scratch().to_path_buf();
    assert!(scratch.is_dir());
    let mut command = Command::new("/bin/sh");
    command.args([
        "-c",
        "echo x > \"$TMPDIR/file\" && test \"$HOME\" = \"$TMPDIR\"",
    ]);
    fence.apply(&mut command).expect("apply");
    assert!(command.status().expect("runs").success());
    drop(fence);
    assert!(!scratch.exists(), "{} is left", scratch.display());
}

/// The master and worker of one run: the worker joins the master's namespaces, so it reaches
/// the master's 127.0.0.1:5000 and sees its scratch tmpfs.
#[test]
fn a_joined_command_shares_the_loopback_and_scratch_of_its_leader() {
    let fence = Fence::prepare(&FenceOptions::default()).expect("prepare");
    let mut master = Command::new("/usr/bin/python3");
    master.args([
        "-c",
        "import socket,os\n\
         s=socket.socket(); s.bind(('127.0.0.1',5000)); s.listen()\n\
         open(os.environ['TMPDIR']+'/from-master','w').write('m')\n\
         print('listening', flush=True)\n\
         c,_=s.accept(); print('master got', c.recv(100).decode())",
    ]);
    master.stdout(Stdio::piped());
    fence.apply(&mut master).expect("apply");
    let mut master = master.spawn().expect("master starts");
    let mut lines = BufReader::new(master.stdout.take().expect("stdout")).lines();
    assert_eq!(lines.next().expect("a line").expect("read"), "listening");

    let mut worker = Command::new("/usr/bin/python3");
    worker.args([
        "-c",
        "import socket,os\n\
         c=socket.create_connection(('127.0.0.1',5000))\n\
         c.sendall(open(os.environ['TMPDIR']+'/from-master').read().encode()+b'-worker')",
    ]);
    fence
        .apply_joined(&mut worker, master.id())
        .expect("apply_joined");
    assert!(worker.status().expect("worker runs").success());
    assert_eq!(
        lines.next().expect("a line").expect("read"),
        "master got m-worker"
    );
    assert!(master.wait().expect("master ends").success());
}

#[test]
fn joining_a_process_that_does_not_exist_is_a_typed_error() {
    let fence = Fence::prepare(&FenceOptions::default()).expect("prepare");
    assert!(fence.status().namespaces, "this test needs user namespaces");
    let mut child = Command::new("/bin/true").spawn().expect("true");
    let pid = child.id();
    child.wait().expect("reaped");
    let err = fence
        .apply_joined(&mut Command::new("/bin/true"), pid)
        .expect_err("gone");
    assert_eq!(err.kind(), FenceErrorKind::Join);
}

#[test]
fn master_and_worker_share_one_run_as_root_and_as_nobody() {
    let master = "import socket\n\
        s=socket.socket(); s.bind(('127.0.0.1',5000)); s.listen()\n\
        print('listening', flush=True)\n\
        c,_=s.accept(); print('master got', c.recv(100).decode())";
    let worker = "import socket\n\
        socket.create_connection(('127.0.0.1',5000)).sendall(b'task')";
    for seat in common::SEATS {
        let out = common::fenced(
            seat,
            &["--join-after", "listening"],
            &[
                "/usr/bin/python3",
                "-c",
                master,
                "--",
                "/usr/bin/python3",
                "-c",
                worker,
            ],
        );
        assert_eq!(out.stdout, "listening\nmaster got task\n", "{out:#?}");
        out.assert_clean_success();
    }
}
