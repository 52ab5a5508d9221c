//! A forked child seen from its parent, shared by `Process` and `Pool`: spawn one that runs a
//! body and leaves with `_exit`, wait for it (on its pidfd: no polling), signal it, read what it
//! reported. Reaping goes through the table of children (`children`), which also keeps how it
//! ended.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::fcntl::OFlag;
use nix::sys::signal::{Signal, kill};
use nix::unistd::{ForkResult, Pid, getpid, getppid, gettid};

use crate::children::{self, Ended};
use crate::deadline;
use crate::error::{Error, Result};
use crate::fork::raw_fork;
use crate::os::current_pid;
use crate::pidfd::PidFd;

/// A forked child running a body, seen from the parent: its pid and the pipe on which it reports
/// why it failed (a panic message or the target's error).
#[derive(Debug)]
pub(crate) struct Child {
    pub(crate) pid: Pid,
    report: File,
    /// Readable once the child has ended (`None` on kernels without pidfd).
    exit_fd: Option<PidFd>,
}

/// What a child reported before it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Report {
    /// A panic (true) or the body's own error (false).
    pub(crate) panicked: bool,
    pub(crate) message: String,
}

/// The first byte of a child's report says what the rest is.
const PANICKED: u8 = b'P';
const FAILED: u8 = b'E';

/// Forks a child that runs `body` and leaves with `_exit`: status 0 when the body returns
/// `None`, 1 with a report when it returns `Some(message)` or panics. The child dies with its
/// parent (SIGKILL on parent death, the race with an early parent exit closed). A `daemon` is
/// terminated when this process exits normally; any other child is waited for then.
pub(crate) fn spawn_child<F>(
    daemon: bool,
    identity: Option<crate::current::ChildIdentity>,
    body: F,
) -> Result<Child>
where
    F: FnOnce() -> Option<String>,
{
    // Non-blocking for the parent's read; the child's one short write fits an empty pipe.
    let (report_read, report_write) = nix::unistd::pipe2(OFlag::O_CLOEXEC | OFlag::O_NONBLOCK)
        .map_err(|e| Error::os("pipe", e))?;
    let parent = getpid();
    // The parent-death signal fires when the forking *thread* ends (prctl(2)): only the main
    // thread, which ends with the process, may arm it.
    let forked_by_main_thread = gettid() == parent;
    // A `Process` took its number when it was made, as Python's does; a pool's worker now.
    let identity = identity.unwrap_or_else(crate::current::next_child);
    match raw_fork()? {
        ForkResult::Parent { child } => {
            drop(report_write);
            children::register(child.as_raw(), daemon);
            Ok(Child {
                pid: child,
                report: File::from(report_read),
                exit_fd: PidFd::open(child.as_raw()),
            })
        }
        ForkResult::Child => {
            crate::current::enter_child(identity);
            drop(report_read);
            die_with_parent(parent, forked_by_main_thread);
            run_child_body(body, report_write)
        }
    }
}

fn die_with_parent(parent: Pid, forked_by_main_thread: bool) {
    if !forked_by_main_thread && watch_parent(parent) {
        return;
    }
    // SAFETY: prctl with PR_SET_PDEATHSIG takes a signal number and no pointers.
    let set = unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) };
    // The parent may have died between fork and prctl: then nobody will send the signal.
    if set != 0 || getppid() != parent {
        // SAFETY: _exit ends the process without running the parent's atexit handlers.
        unsafe { libc::_exit(1) };
    }
}

/// For a child forked by a thread other than the parent's main one: a thread of the child
/// that SIGKILLs it once the parent *process* has ended (its pidfd turns readable, or without
/// pidfds its parent pid changes). False when no such thread could be started.
fn watch_parent(parent: Pid) -> bool {
    let parent_fd = PidFd::open(parent.as_raw());
    // Opened after the parent died (and its pid may be another process's by now): leave.
    if getppid() != parent {
        // SAFETY: as in die_with_parent.
        unsafe { libc::_exit(1) };
    }
    let watcher = std::thread::Builder::new()
        .name("parent-watch".into())
        .stack_size(64 << 10)
        .spawn(move || {
            match parent_fd {
                Some(fd) => while !fd.wait_readable(None) {},
                None => {
                    while getppid() == parent {
                        std::thread::sleep(Duration::from_millis(100));
                    }
                }
            }
            let _ = kill(getpid(), Signal::SIGKILL);
        });
    watcher.is_ok()
}

fn run_child_body<F>(body: F, report: OwnedFd) -> !
where
    F: FnOnce() -> Option<String>,
{
    let mut report = File::from(report);
    let code = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(None) => 0,
        Ok(Some(message)) => {
            eprintln!("Process {}: {message}", current_pid());
            let _ = report.write_all(&[FAILED]);
            let _ = report.write_all(message.as_bytes());
            1
        }
        Err(payload) => {
            let message = panic_message(payload.as_ref());
            let _ = report.write_all(&[PANICKED]);
            let _ = report.write_all(message.as_bytes());
            1
        }
    };
    // As Python's child does on its way out: terminate its daemons, join its other children.
    children::join_at_exit();
    // Nothing to do about a failed flush of our own stdout but to leave.
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    // SAFETY: leaving without unwinding into the parent's frames, which this copy must not run.
    unsafe { libc::_exit(code) }
}

/// The text of a panic's payload (`panic!` gives a `&str` or a `String`).
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-string payload".to_string()
    }
}

impl Child {
    /// Reaps the child if it has ended, without blocking.
    pub(crate) fn try_wait(&self) -> Result<Option<Ended>> {
        children::try_reap(self.pid.as_raw())
    }

    /// Waits for the child to end, at most `timeout` (forever when `None` or too long for
    /// the clock).
    pub(crate) fn wait(&self, timeout: Option<Duration>) -> Result<Option<Ended>> {
        self.wait_until(timeout.and_then(deadline::after))
    }

    /// Waits for the child to end, until `deadline` (forever when `None`).
    pub(crate) fn wait_until(&self, deadline: Option<Instant>) -> Result<Option<Ended>> {
        loop {
            if let Some(ended) = self.try_wait()? {
                return Ok(Some(ended));
            }
            if deadline::passed(deadline) {
                return Ok(None);
            }
            let left = deadline::left(deadline);
            match &self.exit_fd {
                Some(fd) => {
                    fd.wait_readable(Some(left));
                }
                // Kernels without pidfd: poll the status at a short interval.
                None => std::thread::sleep(left.min(Duration::from_millis(2))),
            }
        }
    }

    /// The child's pidfd, readable once it has ended.
    pub(crate) fn exit_fd(&self) -> Option<BorrowedFd<'_>> {
        self.exit_fd.as_ref().map(|fd| fd.as_fd())
    }

    /// Sends `signal` to the child; a child that already ended is not an error.
    pub(crate) fn signal(&self, signal: Signal) -> Result<()> {
        match kill(self.pid, signal) {
            Ok(()) | Err(Errno::ESRCH) => Ok(()),
            Err(e) => Err(Error::os("kill", e).with_pid(self.pid.as_raw())),
        }
    }

    /// What the child reported before it ended, if anything.
    pub(crate) fn read_report(&mut self) -> Option<Report> {
        let mut bytes = Vec::new();
        // Non-blocking: a grandchild may still hold the write end, so read only what is there.
        let _ = self.report.read_to_end(&mut bytes);
        let (&first, rest) = bytes.split_first()?;
        Some(Report {
            panicked: first == PANICKED,
            message: String::from_utf8_lossy(rest).into_owned(),
        })
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        // Reaped now if it has ended, or by the next reap of the table after it does.
        children::disown(self.pid.as_raw());
    }
}
