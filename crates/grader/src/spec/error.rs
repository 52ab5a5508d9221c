//! A spec that cannot be used: what kind of problem, where, and why.

use std::fmt;

/// What kind of problem a spec has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecErrorKind {
    /// The file could not be read.
    Io,
    /// Not valid TOML, or a field of the wrong type / unknown field.
    Syntax,
    /// Valid TOML that does not make a valid spec (unknown line kind, capture, parameter...).
    Invalid,
    /// No built-in example of that name.
    UnknownExample,
}

/// A spec that cannot be used, with where and why.
#[derive(Debug, Clone, thiserror::Error)]
pub struct SpecError {
    kind: SpecErrorKind,
    origin: String,
    line: Option<usize>,
    message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            _ if self.kind == SpecErrorKind::UnknownExample => f.write_str(&self.message),
            Some(l) => write!(f, "{}:{}: {}", self.origin, l, self.message),
            None => write!(f, "{}: {}", self.origin, self.message),
        }
    }
}

impl SpecError {
    /// A problem of `kind` in the spec from `origin`, at 1-based `line` when known.
    pub(crate) fn new(
        kind: SpecErrorKind,
        origin: &str,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        SpecError {
            kind,
            origin: origin.to_string(),
            line,
            message: message.into(),
        }
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> SpecErrorKind {
        self.kind
    }

    /// The file (or `builtin:NAME`) the spec came from.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The 1-based line of the problem, when it has one.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// What is wrong, without the location.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// The 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Valid TOML that does not make a valid spec: the problem at byte `span` of `text`.
pub(crate) fn invalid(
    text: &str,
    origin: &str,
    span: std::ops::Range<usize>,
    message: impl Into<String>,
) -> SpecError {
    SpecError::new(
        SpecErrorKind::Invalid,
        origin,
        Some(line_of(text, span.start)),
        message,
    )
}
