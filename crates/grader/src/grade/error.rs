//! Why a grading could not be done (exit status 2 of `grade`).

use crate::run::{RunError, RunErrorKind};
use crate::spec::error::SpecError;
use crate::spec::params::ParamError;

/// What kind of reason stopped a grading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GradeErrorKind {
    /// The spec is malformed or the example unknown.
    Spec,
    /// A parameter, the time scale or another option cannot be used.
    Option,
    /// The command could not be run (not found, not executable).
    Run,
    /// The operating system refused what the grader needs (becoming a child subreaper, a pipe,
    /// waiting for the port); the cause is the error's `source()`.
    Os,
}

/// The grading itself could not be done (exit status 2 of `grade`).
#[derive(Debug, thiserror::Error)]
pub enum GradeError {
    /// The spec cannot be used.
    #[error("{0}")]
    Spec(#[from] SpecError),
    /// A `--param` or the time scale does not fit the spec.
    #[error("{0}")]
    Param(#[from] ParamError),
    /// Another option is out of range: what is wrong, in one line.
    #[error("{0}")]
    Option(String),
    /// The command could not be run, or the operating system failed the runner.
    #[error("{0}")]
    Run(#[from] RunError),
}

impl GradeError {
    /// What kind of reason this is.
    pub fn kind(&self) -> GradeErrorKind {
        match self {
            GradeError::Spec(_) => GradeErrorKind::Spec,
            GradeError::Param(_) | GradeError::Option(_) => GradeErrorKind::Option,
            GradeError::Run(e) if e.kind() == RunErrorKind::Os => GradeErrorKind::Os,
            GradeError::Run(_) => GradeErrorKind::Run,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    #[test]
    fn an_os_failure_is_its_own_kind_and_keeps_its_cause() {
        let cause = std::io::Error::from_raw_os_error(libc::EPERM);
        let e = GradeError::from(RunError::os("os-subreaper", cause));
        assert_eq!(e.kind(), GradeErrorKind::Os);
        let run = e.source().expect("the run error");
        let io = run.source().expect("the errno");
        assert_eq!(
            io.downcast_ref::<std::io::Error>()
                .and_then(|e| e.raw_os_error()),
            Some(libc::EPERM)
        );
        assert!(
            e.to_string()
                .starts_with("cannot become a child subreaper: "),
            "{e}"
        );
    }
}
