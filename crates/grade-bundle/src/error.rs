//! Why an autograder bundle could not be written (exit status 2 of `grade gradescope`).

use std::fmt::Display;

/// What kind of reason stopped the bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BundleErrorKind {
    /// The grading options cannot be used: unknown example, bad spec, option out of range.
    Grading,
    /// This repository's sources cannot be found or read.
    Sources,
    /// The zip cannot be written; the cause is `source()`.
    Io,
}

/// The bundle could not be written: one line fit for the user, the cause kept as `source()`.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct BundleError {
    kind: BundleErrorKind,
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl BundleError {
    /// What kind of reason this is.
    pub fn kind(&self) -> BundleErrorKind {
        self.kind
    }

    pub(crate) fn new(kind: BundleErrorKind, message: impl Into<String>) -> Self {
        BundleError {
            kind,
            message: message.into(),
            source: None,
        }
    }

    pub(crate) fn with_cause<E>(kind: BundleErrorKind, message: impl Display, cause: E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        BundleError {
            kind,
            message: i18n::say!(
                "error-cause",
                what = message.to_string(),
                cause = cause.to_string()
            ),
            source: Some(Box::new(cause)),
        }
    }
}
