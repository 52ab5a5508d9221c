//! How a child ended, as a wait told it, and the words every error about a child's end uses.

use nix::errno::Errno;
use nix::sys::signal::Signal;
use nix::sys::wait::WaitStatus;

/// How a child ended: its exit status, or the signal that killed it, or `Unknown` when the
/// kernel reaped it for us (`SIGCHLD` ignored, or `SA_NOCLDWAIT`: waitpid says ECHILD).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ended {
    Exited(i32),
    Signaled(i32),
    Unknown,
}

impl Ended {
    /// Python's `exitcode`: the status, or minus the signal number; `None` when the status is
    /// lost (CPython's `exitcode` stays `None` then too).
    pub(crate) fn exitcode(self) -> Option<i32> {
        match self {
            Ended::Exited(code) => Some(code),
            Ended::Signaled(signal) => Some(-signal),
            Ended::Unknown => None,
        }
    }

    /// What a waitpid on a child of ours answered: ECHILD means the kernel already reaped it.
    pub(super) fn from_wait(answer: nix::Result<WaitStatus>) -> nix::Result<Option<Ended>> {
        match answer {
            Ok(status) => Ok(Ended::from_status(status)),
            Err(Errno::ECHILD) => Ok(Some(Ended::Unknown)),
            Err(e) => Err(e),
        }
    }

    pub(super) fn from_status(status: WaitStatus) -> Option<Ended> {
        match status {
            WaitStatus::Exited(_, code) => Some(Ended::Exited(code)),
            WaitStatus::Signaled(_, signal, _) => Some(Ended::Signaled(signal as i32)),
            _ => None,
        }
    }
}

/// "exited with status 3", "killed by SIGKILL": the words every error about a child's end uses.
impl std::fmt::Display for Ended {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Ended::Exited(code) => write!(f, "exited with status {code}"),
            Ended::Signaled(signal) => match Signal::try_from(signal) {
                Ok(name) => write!(f, "killed by {}", name.as_str()),
                Err(_) => write!(f, "killed by signal {signal}"),
            },
            Ended::Unknown => write!(f, "ended, its status lost (SIGCHLD is ignored)"),
        }
    }
}
