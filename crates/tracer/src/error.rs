//! The one error type of the crate, with a kind a caller can act on.

use std::fmt;

/// What kind of failure stopped a trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraceErrorKind {
    /// The system refused tracing (`PTRACE_TRACEME` or the seccomp filter got `EPERM`/`EACCES`:
    /// this process is itself traced, or a container forbids ptrace). The caller may run the
    /// program untraced and say so.
    Refused,
    /// The program does not exist (or its script interpreter does not).
    NotFound,
    /// The program exists but could not be started (not executable, bad format, ...).
    Spawn,
    /// The operating system failed us in a way that is not the program's doing (thread, filter,
    /// ptrace request on a live tracee).
    Os,
}

/// A trace could not be made; `kind()` says which way, `source()` keeps the cause.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct TraceError {
    kind: TraceErrorKind,
    message: String,
    #[source]
    source: Option<std::io::Error>,
}

impl TraceError {
    /// Which way the trace failed.
    pub fn kind(&self) -> TraceErrorKind {
        self.kind
    }

    pub(crate) fn new(kind: TraceErrorKind, message: impl fmt::Display) -> Self {
        TraceError {
            kind,
            message: message.to_string(),
            source: None,
        }
    }

    pub(crate) fn with_source(
        kind: TraceErrorKind,
        message: impl fmt::Display,
        source: std::io::Error,
    ) -> Self {
        TraceError {
            kind,
            message: format!("{message}: {source}"),
            source: Some(source),
        }
    }

    pub(crate) fn os(what: impl fmt::Display, errno: nix::errno::Errno) -> Self {
        Self::with_source(TraceErrorKind::Os, what, std::io::Error::from(errno))
    }
}
