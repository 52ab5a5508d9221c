//! Test support shared by the helper crate's test files: a deadline for every test that could
//! hang, and whether a pid runs or was reaped (read from /proc with procfs, as the crate does).

use std::sync::mpsc;
use std::time::Duration;

/// Runs `body` on its own thread and fails the test if it has not finished within `limit`.
/// On a timeout, every child of this process is killed: a test process joins its children at
/// exit, as Python does.
pub fn within<T: Send + 'static>(limit: Duration, body: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        let _ = tx.send(body());
    });
    match rx.recv_timeout(limit) {
        Ok(value) => {
            let _ = worker.join();
            value
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            // This process joins its children when it exits: the hung body's must not keep it
            // (and the test run) waiting forever.
            for pid in multitask::active_children() {
                let _ = nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(pid),
                    nix::sys::signal::Signal::SIGKILL,
                );
            }
            panic!("test did not finish within {limit:?}")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(payload) => std::panic::resume_unwind(payload),
            Ok(()) => panic!("test body ended without a result"),
        },
    }
}

/// True while `pid` runs (a zombie has stopped running).
#[allow(dead_code)] // not every test file needs it
pub fn is_running(pid: i32) -> bool {
    use procfs::process::{ProcState, Process};
    Process::new(pid)
        .and_then(|p| p.stat())
        .is_ok_and(|stat| !matches!(stat.state(), Ok(ProcState::Zombie | ProcState::Dead)))
}

#[allow(dead_code)] // not every test file checks reaping
/// True when `pid` does not exist at all (reaped, not even a zombie).
pub fn is_reaped(pid: i32) -> bool {
    procfs::process::Process::new(pid).is_err()
}

/// Runs `body` in a forked child of its own and fails the test with the child's panic message
/// if it panics: the child is single-threaded, so no process that another test forks meanwhile
/// becomes a holder of the queues `body` makes (a fork registers the child with every queue of
/// its parent, and the test harness is one parent to all tests).
#[allow(dead_code)] // not every test file needs it
pub fn isolated(limit: Duration, body: fn()) {
    within(limit, move || {
        let mut child = multitask::Process::new(body);
        child.start().expect("fork the isolated test");
        if let Err(e) = child.join() {
            panic!("{e}");
        }
    })
}

/// True once child `pid` has ended and waits to be reaped (or is already reaped), read with
/// `waitid(WNOWAIT)`, which leaves it a zombie: /proc shows a process as a zombie as soon as
/// its main thread has exited, before its other threads have, and it cannot be reaped then.
#[allow(dead_code)] // not every test file checks reaping
pub fn has_ended(pid: i32) -> bool {
    use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid};
    let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT | WaitPidFlag::WNOHANG;
    !matches!(
        waitid(Id::Pid(nix::unistd::Pid::from_raw(pid)), flags),
        Ok(WaitStatus::StillAlive)
    )
}
