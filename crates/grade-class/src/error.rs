//! Why a class could not be graded (exit status 2 of `grade class`).

use std::fmt::Display;
use std::path::Path;

/// What kind of reason stopped a class's grading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassErrorKind {
    /// The class folder does not exist, cannot be read or holds no submission.
    Folder,
    /// The grading options cannot be used: unknown example, bad spec, option out of range.
    Grading,
    /// A tool the submissions need (`cargo`, `rustc`, `python3`) is not installed.
    Tool,
    /// Writing the results, a build log or a scratch copy failed; the cause is `source()`.
    Io,
    /// The grader itself failed on a submission (the operating system refused it something,
    /// or a bug); the other submissions' results are still written.
    Grader,
}

/// The class could not be graded: one line fit for the user, the cause kept as `source()`.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ClassError {
    kind: ClassErrorKind,
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl ClassError {
    /// What kind of reason this is.
    pub fn kind(&self) -> ClassErrorKind {
        self.kind
    }

    /// An error of `kind` saying `message`, with no cause.
    pub(crate) fn new(kind: ClassErrorKind, message: impl Into<String>) -> Self {
        ClassError {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// An error of `kind` saying `message: cause`, keeping the cause.
    pub(crate) fn with_cause<E>(kind: ClassErrorKind, message: impl Display, cause: E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        ClassError {
            kind,
            message: i18n::say!(
                "error-cause",
                what = message.to_string(),
                cause = cause.to_string()
            ),
            source: Some(Box::new(cause)),
        }
    }

    /// The class folder `dir` failed what the catalogue's message `what` says of it.
    pub(crate) fn folder(dir: &Path, what: &str, cause: std::io::Error) -> Self {
        let said = i18n::say!(what, path = dir.display().to_string());
        Self::with_cause(ClassErrorKind::Folder, said, cause)
    }

    /// Writing or reading `path` failed what the catalogue's message `what` says of it.
    pub(crate) fn io(path: &Path, what: &str, cause: std::io::Error) -> Self {
        let said = i18n::say!(what, path = path.display().to_string());
        Self::with_cause(ClassErrorKind::Io, said, cause)
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    #[test]
    fn an_io_error_keeps_its_cause() {
        let cause = std::io::Error::from_raw_os_error(libc::ENOSPC);
        let e = ClassError::io(Path::new("/out/results.csv"), "class-io-write", cause);
        assert_eq!(e.kind(), ClassErrorKind::Io);
        assert!(
            e.to_string().starts_with("cannot write /out/results.csv: "),
            "{e}"
        );
        let io = e.source().and_then(|s| s.downcast_ref::<std::io::Error>());
        assert_eq!(io.and_then(|e| e.raw_os_error()), Some(libc::ENOSPC));
    }
}
