//! The one error type of the crate: what could not be prepared, and why.

use std::fmt;

/// What kind of step failed while preparing a fence (see [`FenceError::kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FenceErrorKind {
    /// An option is unusable (a zero limit, a path with a NUL byte, a relative path).
    InvalidOption,
    /// The private scratch directory could not be created.
    Scratch,
    /// A path named in the options (or a system path) could not be opened.
    Path,
    /// The Landlock ruleset could not be built.
    Landlock,
    /// The seccomp filter could not be compiled.
    Seccomp,
    /// A run to join (its pidfd) could not be opened.
    Join,
}

impl fmt::Display for FenceErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FenceErrorKind::InvalidOption => "invalid fence option",
            FenceErrorKind::Scratch => "scratch directory",
            FenceErrorKind::Path => "path",
            FenceErrorKind::Landlock => "landlock ruleset",
            FenceErrorKind::Seccomp => "seccomp filter",
            FenceErrorKind::Join => "joining a run",
        })
    }
}

/// An error of [`Fence::prepare`](crate::Fence::prepare) or
/// [`Fence::apply_joined`](crate::Fence::apply_joined): its [`kind`](Self::kind), a message
/// naming the thing concerned, and the cause (`source()`) where there is one.
#[derive(Debug, thiserror::Error)]
#[error("{kind}: {message}")]
pub struct FenceError {
    kind: FenceErrorKind,
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl FenceError {
    /// An error of `kind` about `message`, without a cause.
    pub(crate) fn new(kind: FenceErrorKind, message: impl Into<String>) -> Self {
        FenceError {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// An error of `kind` about `message`, caused by `source`.
    pub(crate) fn with_source(
        kind: FenceErrorKind,
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        FenceError {
            kind,
            message: message.into(),
            source: Some(Box::new(source)),
        }
    }

    /// A folder the run needs that its ids cannot enter: as root the run is `nobody`, which
    /// needs `o+x` on every folder down to its files.
    pub fn unreachable(dir: &std::path::Path) -> Self {
        FenceError::new(
            FenceErrorKind::Path,
            format!(
                "{} cannot be entered by nobody (o+x missing), whose ids the fenced run has: move the program or submission to a folder others can enter",
                dir.display()
            ),
        )
    }

    /// Which step failed.
    pub fn kind(&self) -> FenceErrorKind {
        self.kind
    }
}
