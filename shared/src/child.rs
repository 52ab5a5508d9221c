//! A forked child seen from its parent, shared by `Process` and `Pool`: spawn one that runs a
//! body and leaves with `_exit`, wait for it (a pidfd makes a timed wait free of polling), signal
//! it, read what it reported, and say how it ended.

use std::fmt;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::fcntl::OFlag;
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, getpid, getppid};

use crate::error::{Error, Result};
use crate::fork::raw_fork;
use crate::os::current_pid;

/// A forked child running a body, seen from the parent: its pid and the pipe on which it reports
/// why it failed (a panic message or the target's error).
#[derive(Debug)]
pub(crate) struct Child {
    pub(crate) pid: Pid,
    report: File,
}

/// How a child ended: its exit status, or the signal that killed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ended {
    Exited(i32),
    Signaled(i32),
}

impl Ended {
    /// Python's `exitcode`: the status, or minus the signal number.
    pub(crate) fn exitcode(self) -> i32 {
        match self {
            Ended::Exited(code) => code,
            Ended::Signaled(signal) => -signal,
        }
    }
}

/// "exited with status 3", "killed by SIGKILL": the words every error about a child's end uses.
impl fmt::Display for Ended {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Ended::Exited(code) => write!(f, "exited with status {code}"),
            Ended::Signaled(signal) => match Signal::try_from(signal) {
                Ok(name) => write!(f, "killed by {}", name.as_str()),
                Err(_) => write!(f, "killed by signal {signal}"),
            },
        }
    }
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
/// parent (SIGKILL on parent death, the race with an early parent exit closed).
pub(crate) fn spawn_child<F>(body: F) -> Result<Child>
where
    F: FnOnce() -> Option<String>,
{
    // Non-blocking for the parent's read; the child's one short write fits an empty pipe.
    let (report_read, report_write) = nix::unistd::pipe2(OFlag::O_CLOEXEC | OFlag::O_NONBLOCK)
        .map_err(|e| Error::os("pipe", e))?;
    let parent = getpid();
    match raw_fork()? {
        ForkResult::Parent { child } => {
            drop(report_write);
            Ok(Child {
                pid: child,
                report: File::from(report_read),
            })
        }
        ForkResult::Child => {
            drop(report_read);
            die_with_parent(parent);
            run_child_body(body, report_write)
        }
    }
}

fn die_with_parent(parent: Pid) {
    // SAFETY: prctl with PR_SET_PDEATHSIG takes a signal number and no pointers.
    let set = unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) };
    // The parent may have died between fork and prctl: then nobody will send the signal.
    if set != 0 || getppid() != parent {
        // SAFETY: _exit ends the process without running the parent's atexit handlers.
        unsafe { libc::_exit(1) };
    }
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

fn ended(status: WaitStatus) -> Option<Ended> {
    match status {
        WaitStatus::Exited(_, code) => Some(Ended::Exited(code)),
        WaitStatus::Signaled(_, signal, _) => Some(Ended::Signaled(signal as i32)),
        _ => None,
    }
}

impl Child {
    /// Reaps the child if it has ended, without blocking.
    pub(crate) fn try_wait(&self) -> Result<Option<Ended>> {
        match waitpid(self.pid, Some(WaitPidFlag::WNOHANG)) {
            Ok(status) => Ok(ended(status)),
            Err(e) => Err(Error::os("waitpid", e).with_pid(self.pid.as_raw())),
        }
    }

    /// Waits for the child to end, at most `timeout` (forever when `None`).
    pub(crate) fn wait(&self, timeout: Option<Duration>) -> Result<Option<Ended>> {
        if timeout.is_none() {
            loop {
                match waitpid(self.pid, None) {
                    Ok(status) => match ended(status) {
                        Some(how) => return Ok(Some(how)),
                        None => continue,
                    },
                    Err(Errno::EINTR) => continue,
                    Err(e) => return Err(Error::os("waitpid", e).with_pid(self.pid.as_raw())),
                }
            }
        }
        let deadline = timeout.map(|t| Instant::now() + t);
        let exit_fd = PidFd::open(self.pid);
        loop {
            if let Some(ended) = self.try_wait()? {
                return Ok(Some(ended));
            }
            let left = match deadline {
                Some(d) => match d.checked_duration_since(Instant::now()) {
                    Some(left) if !left.is_zero() => left,
                    _ => return Ok(None),
                },
                None => Duration::from_secs(3600),
            };
            match &exit_fd {
                Some(fd) => fd.wait_readable(left),
                // Kernels without pidfd: poll the status at a short interval.
                None => std::thread::sleep(left.min(Duration::from_millis(2))),
            }
        }
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

/// A Linux pidfd: readable when the process ends, so a timed wait needs no polling.
struct PidFd(OwnedFd);

impl PidFd {
    fn open(pid: Pid) -> Option<PidFd> {
        // SAFETY: pidfd_open takes a pid and flags and returns a new fd or -1.
        let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid.as_raw(), 0) };
        if fd < 0 {
            return None;
        }
        // SAFETY: the kernel just gave us this fd; we are its only owner.
        Some(PidFd(unsafe { OwnedFd::from_raw_fd(fd as i32) }))
    }

    fn wait_readable(&self, timeout: Duration) {
        let mut pfd = libc::pollfd {
            fd: self.0.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = timeout.as_millis().clamp(1, i32::MAX as u128) as i32;
        // SAFETY: one valid pollfd for the duration of the call.
        unsafe { libc::poll(&mut pfd, 1, ms) };
    }
}

#[cfg(test)]
mod tests {
    use super::Ended;

    #[test]
    fn an_end_reads_the_same_for_process_and_pool() {
        assert_eq!(Ended::Exited(3).to_string(), "exited with status 3");
        assert_eq!(Ended::Signaled(9).to_string(), "killed by SIGKILL");
        assert_eq!(Ended::Signaled(15).exitcode(), -15);
        assert_eq!(Ended::Exited(1).exitcode(), 1);
    }
}
