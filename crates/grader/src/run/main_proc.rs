//! The run's main process as the supervisor sees it: a plain child it waits for itself, or a
//! traced one whose tracer thread reaps it (and every other task of the run).

use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, ExitStatus};
use std::time::Duration;

use nix::errno::Errno;
use tracer::{End, Running, Trace, TraceError};

use super::config::RunError;
use super::sys::pidfd_open;
use crate::outcome::Exit;

pub(super) enum Main {
    /// Untraced: we reap it through its `Child`, and watch a pidfd for its exit.
    Plain {
        child: Child,
        pidfd: Option<OwnedFd>,
    },
    /// Traced: the tracer reaps every task; never `waitpid` any of them here (a wait from
    /// another thread of this process could take a tracee's stop or exit from the tracer).
    Traced { pid: i32, running: Option<Running> },
}

impl Main {
    pub(super) fn plain(child: Child) -> Result<Main, RunError> {
        let pidfd = match pidfd_open(child.id() as i32) {
            Ok(fd) => Some(fd),
            Err(Errno::ENOSYS) => None,
            Err(e) => return Err(RunError::os("os-watch-main", e)),
        };
        Ok(Main::Plain { child, pidfd })
    }

    pub(super) fn traced(running: Running) -> Main {
        Main::Traced {
            pid: running.pid(),
            running: Some(running),
        }
    }

    pub(super) fn pid(&self) -> i32 {
        match self {
            Main::Plain { child, .. } => child.id() as i32,
            Main::Traced { pid, .. } => *pid,
        }
    }

    pub(super) fn is_traced(&self) -> bool {
        matches!(self, Main::Traced { .. })
    }

    /// A descriptor that polls readable once the main process's status can be had; `None`:
    /// the caller must ask often.
    pub(super) fn watch_fd(&self) -> Option<RawFd> {
        match self {
            Main::Plain { pidfd, .. } => pidfd.as_ref().map(|f| f.as_raw_fd()),
            Main::Traced { running, .. } => running.as_ref().map(|r| r.main_end_fd().as_raw_fd()),
        }
    }

    /// How the main process ended, if it has.
    pub(super) fn try_status(&mut self) -> io::Result<Option<Exit>> {
        match self {
            Main::Plain { child, .. } => Ok(child.try_wait()?.map(to_exit)),
            Main::Traced { running, .. } => {
                Ok(running
                    .as_ref()
                    .and_then(|r| r.main_end())
                    .map(|e| match e {
                        End::Exited(c) => Exit::Code(c),
                        End::Signaled(s) => Exit::Signal(s),
                        End::Replaced => Exit::Code(-1),
                    }))
            }
        }
    }

    /// Traced: every process of the run is gone (the tracer has reaped them all).
    pub(super) fn traced_gone(&self) -> bool {
        self.wait_traced_gone(Duration::ZERO)
    }

    /// Traced: waits up to `wait` for every process of the run to be gone.
    pub(super) fn wait_traced_gone(&self, wait: Duration) -> bool {
        match self {
            Main::Plain { .. } => false,
            Main::Traced { running, .. } => running.as_ref().is_none_or(|r| r.wait_finished(wait)),
        }
    }

    /// Traced: the run's processes alive now.
    pub(super) fn traced_live(&self) -> Vec<i32> {
        match self {
            Main::Traced {
                running: Some(r), ..
            } => r.live_processes(),
            _ => Vec::new(),
        }
    }

    /// Traced: SIGKILLs every process of the run through the tracer's pidfds.
    pub(super) fn kill_traced(&self) {
        if let Main::Traced {
            running: Some(r), ..
        } = self
        {
            r.kill();
        }
    }

    /// Traced and every task gone: the trace.
    pub(super) fn take_trace(&mut self) -> Option<Result<Trace, TraceError>> {
        match self {
            Main::Traced { running, .. } if running.as_ref().is_some_and(|r| r.is_finished()) => {
                running.take().map(Running::wait)
            }
            _ => None,
        }
    }
}

fn to_exit(st: ExitStatus) -> Exit {
    match (st.code(), st.signal()) {
        (Some(c), _) => Exit::Code(c),
        (None, Some(s)) => Exit::Signal(s),
        // Neither code nor signal only happens for stopped processes, which a reaped one is not.
        (None, None) => Exit::Code(-1),
    }
}
