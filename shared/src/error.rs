//! The one error type of the crate: what failed, which process, and why (the underlying
//! errno or serde error stays reachable through `source()`).

use std::fmt;
use std::sync::Arc;

/// What kind of thing went wrong; match on this, read the message for details.
///
/// ```
/// use multitask::{ErrorKind, Process};
/// let mut p = Process::new(|| Err::<(), _>("bad input"));
/// p.start()?;
/// match p.join() {
///     Err(e) if e.kind() == ErrorKind::ChildFailed => assert_eq!(e.message(), "bad input"),
///     other => panic!("{other:?}"),
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `fork`, `waitpid`, `kill` or another system call failed.
    Os,
    /// Creating or using an IPC channel failed.
    Channel,
    /// A value could not be serialized for sending.
    Serialize,
    /// A received value could not be deserialized as the expected type.
    Deserialize,
    /// Every process that could still send on this channel is gone.
    Disconnected,
    /// Nothing arrived before the timeout.
    Timeout,
    /// A child process panicked; the message is the panic's.
    ChildPanicked,
    /// A child process returned an error or exited with a nonzero status.
    ChildFailed,
    /// A child process was killed by a signal it was not sent by us.
    ChildKilled,
    /// A pool worker died while it ran this task.
    WorkerDied,
    /// The operation does not fit the object's state (start twice, apply after close, ...).
    State,
    /// A knob in the environment (`MULTITASK_TIME_SCALE`, `MULTITASK_SEED`) is malformed.
    Environment,
    /// A `Barrier` was broken (a waiter timed out, or `abort`/`reset` was called): Python's
    /// `threading.BrokenBarrierError`.
    BrokenBarrier,
}

/// An error of the `multitask` crate: a kind, the pid it is about, a message, and the error
/// that caused it when there is one (an errno, a serde error): see
/// [`source`](std::error::Error::source).
///
/// ```
/// let q: multitask::Queue<u8> = multitask::Queue::new()?;
/// let err = q.get_timeout(std::time::Duration::ZERO).unwrap_err();
/// assert_eq!(err.to_string(), "timed out: the queue stayed empty");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    pid: Option<i32>,
    /// Shared, so that an error stays `Clone` (a pool keeps a task's error until its `get`).
    source: Option<Arc<dyn std::error::Error + Send + Sync + 'static>>,
}

/// Two errors are equal when they say the same thing: the same kind, pid and message (a cause
/// has no equality of its own).
impl PartialEq for Error {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && self.pid == other.pid && self.message == other.message
    }
}

impl Eq for Error {}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            pid: None,
            source: None,
        }
    }

    /// `kind`, with the message "`what`: `cause`" and `cause` kept as the source.
    pub(crate) fn caused<E>(kind: ErrorKind, what: impl fmt::Display, cause: E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        let message = format!("{what}: {cause}");
        Error {
            source: Some(Arc::new(cause)),
            ..Error::new(kind, message)
        }
    }

    pub(crate) fn with_pid(mut self, pid: i32) -> Self {
        self.pid = Some(pid);
        self
    }

    /// A failed system call, the errno kept as the source.
    pub(crate) fn os(what: &str, errno: nix::errno::Errno) -> Self {
        Error {
            source: Some(Arc::new(errno)),
            ..Error::new(ErrorKind::Os, format!("{what}: {}", errno.desc()))
        }
    }

    /// The last system call's errno (read from `errno` now), as an `Os` error.
    pub(crate) fn last_os(what: &str) -> Self {
        Error::os(what, nix::errno::Errno::last())
    }

    /// A channel that failed to be made, to send or to receive: the one way every transport
    /// reports it, the channel's own error kept as the source.
    pub(crate) fn channel<E>(what: impl fmt::Display, cause: E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        Error::caused(ErrorKind::Channel, what, cause)
    }

    /// What kind of failure this is.
    ///
    /// ```
    /// use multitask::{ErrorKind, Pipe};
    /// let (a, _b) = Pipe::new::<u8>()?;
    /// let err = a.recv_timeout(std::time::Duration::from_millis(1)).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Timeout);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The pid of the process the error is about, when there is one.
    ///
    /// ```
    /// use multitask::Process;
    /// fn boom() { panic!("boom") }
    /// let mut p = Process::new(boom);
    /// p.start()?;
    /// let err = p.join().unwrap_err();
    /// assert_eq!(err.pid(), p.pid());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn pid(&self) -> Option<i32> {
        self.pid
    }

    /// The detail: for a child's panic, the panic message.
    ///
    /// ```
    /// use multitask::Process;
    /// fn boom() { panic!("boom") }
    /// let mut p = Process::new(boom);
    /// p.start()?;
    /// assert_eq!(p.join().unwrap_err().message(), "boom");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            ErrorKind::Os => "system call failed",
            ErrorKind::Channel => "channel error",
            ErrorKind::Serialize => "cannot serialize",
            ErrorKind::Deserialize => "cannot deserialize",
            ErrorKind::Disconnected => "disconnected",
            ErrorKind::Timeout => "timed out",
            ErrorKind::ChildPanicked => "child panicked",
            ErrorKind::ChildFailed => "child failed",
            ErrorKind::ChildKilled => "child killed",
            ErrorKind::WorkerDied => "pool worker died",
            ErrorKind::State => "invalid state",
            ErrorKind::Environment => "bad environment",
            ErrorKind::BrokenBarrier => "broken barrier",
        };
        match self.pid {
            Some(pid) => write!(f, "{what} (pid {pid}): {}", self.message),
            None => write!(f, "{what}: {}", self.message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The crate's result type.
///
/// ```
/// fn start_one() -> multitask::Result<i32> {
///     let mut p = multitask::Process::new(|| ());
///     p.start()?;
///     p.join()?;
///     Ok(p.exitcode().unwrap_or(-1))
/// }
/// assert_eq!(start_one()?, 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn a_failed_system_call_keeps_its_errno() {
        let err = Error::os("kill", nix::errno::Errno::ESRCH);
        assert_eq!(err.kind(), ErrorKind::Os);
        assert_eq!(err.message(), "kill: No such process");
        let errno = err
            .source()
            .and_then(|s| s.downcast_ref::<nix::errno::Errno>());
        assert_eq!(errno, Some(&nix::errno::Errno::ESRCH));
    }

    #[test]
    fn a_channel_error_keeps_its_cause_and_clones_share_it() {
        let err = Error::channel("pipe send", std::io::Error::other("gone"));
        assert_eq!(err.to_string(), "channel error: pipe send: gone");
        let copy = err.clone();
        assert_eq!(copy, err);
        assert!(copy.source().is_some_and(|s| s.is::<std::io::Error>()));
    }
}
