//! task-worker on its own: bad input and a master that is not there. Its work with a master is
//! tested in task-master's tests, which run both.

use std::process::Command;
use std::time::Duration;

use workspace_tests::run_with_deadline;

fn task_worker() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_task-worker"));
    command.env_remove("MULTITASK_TIME_SCALE");
    command
}

#[test]
fn no_master_is_a_clear_error() {
    // A port that was just free: nothing listens there now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
        .to_string();
    let out = run_with_deadline(
        task_worker().args(["--port", &port]),
        Duration::from_secs(30),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Connect to server 127.0.0.1...\n"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot connect to 127.0.0.1:"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn bad_input_exits_2() {
    for (args, scale) in [
        (&["--port", "0"][..], None),
        (&["--port", "70000"][..], None),
        (&["--bogus"][..], None),
        (&[][..], Some("-1")),
    ] {
        let mut command = task_worker();
        command.args(args);
        if let Some(scale) = scale {
            command.env("MULTITASK_TIME_SCALE", scale);
        }
        let out = run_with_deadline(&mut command, Duration::from_secs(30));
        assert_eq!(out.status.code(), Some(2), "{args:?} {scale:?}");
        assert!(out.stdout.is_empty(), "{args:?} {scale:?}");
        assert!(!out.stderr.is_empty(), "{args:?} {scale:?}");
    }
}
