//! The TOML as written: what serde reads, with every value's span kept for error messages.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

/// A whole spec file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSpec {
    pub(crate) name: Spanned<String>,
    #[serde(default)]
    pub(crate) description: String,
    #[serde(default)]
    pub(crate) params: BTreeMap<String, Spanned<RawParam>>,
    #[serde(default)]
    pub(crate) line: Vec<Spanned<RawLine>>,
    #[serde(default)]
    pub(crate) check: Vec<Spanned<RawCheck>>,
}

/// A parameter's default: a number or a word (`"cpus"`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum RawParam {
    Int(i64),
    Word(String),
}

/// One `[[line]]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLine {
    pub(crate) name: Spanned<String>,
    pub(crate) pattern: Spanned<String>,
}

/// A numeric field: whole, not whole, or a parameter's name.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum RawNum {
    Int(i64),
    Float(f64),
    Word(String),
}

/// `values`: a range written as a word, or a list.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum RawValues {
    Word(String),
    List(Vec<RawScalar>),
}

/// One item of a `values` list.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum RawScalar {
    Int(i64),
    Word(String),
}

/// A relation's `right`: one operand or a list.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum RawRight {
    One(String),
    Many(Vec<String>),
}

/// One `[[check]]` table: the union of every check type's fields (each type says which apply).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCheck {
    pub(crate) name: Spanned<String>,
    #[serde(rename = "type")]
    pub(crate) kind: Spanned<String>,
    pub(crate) likely: Option<Spanned<f64>>,
    pub(crate) line: Option<Spanned<String>>,
    pub(crate) capture: Option<Spanned<String>>,
    pub(crate) per: Option<Spanned<String>>,
    pub(crate) key: Option<Spanned<String>>,
    pub(crate) values: Option<Spanned<RawValues>>,
    pub(crate) exactly: Option<Spanned<RawNum>>,
    pub(crate) min: Option<Spanned<RawNum>>,
    pub(crate) max: Option<Spanned<RawNum>>,
    pub(crate) before: Option<Spanned<String>>,
    pub(crate) after: Option<Spanned<String>>,
    pub(crate) open: Option<Spanned<String>>,
    pub(crate) close: Option<Spanned<String>>,
    pub(crate) left: Option<Spanned<String>>,
    pub(crate) op: Option<Spanned<String>>,
    pub(crate) right: Option<Spanned<RawRight>>,
    pub(crate) scaled: Option<Spanned<bool>>,
    pub(crate) slack: Option<Spanned<f64>>,
    pub(crate) role: Option<Spanned<RawRight>>,
    pub(crate) process: Option<Spanned<String>>,
    pub(crate) pid: Option<Spanned<String>>,
    pub(crate) tid: Option<Spanned<String>>,
    pub(crate) made_by: Option<Spanned<String>>,
    pub(crate) same_process: Option<Spanned<String>>,
    pub(crate) other_process: Option<Spanned<String>>,
    pub(crate) exec: Option<Spanned<String>>,
    pub(crate) capacity: Option<Spanned<String>>,
    /// `duration`: the line kind whose line starts the span.
    pub(crate) since: Option<Spanned<String>>,
}

impl RawCheck {
    /// The optional fields that are present, with their spans.
    pub(crate) fn present(&self) -> Vec<(&'static str, Range<usize>)> {
        let mut v = Vec::new();
        macro_rules! field {
            ($($f:ident),*) => {$(
                if let Some(x) = &self.$f { v.push((stringify!($f), x.span())); }
            )*};
        }
        field!(
            likely,
            line,
            capture,
            per,
            key,
            values,
            exactly,
            min,
            max,
            before,
            after,
            open,
            close,
            left,
            op,
            right,
            scaled,
            slack,
            role,
            process,
            pid,
            tid,
            made_by,
            same_process,
            other_process,
            exec,
            since
        );
        v
    }
}

/// A plain identifier: a letter or `_`, then letters, digits or `_`.
pub(crate) fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
