//! The TOML as written: what serde reads, with every value's span kept for error messages.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::error::{SpecError, SpecErrorKind, invalid, line_of};

/// A whole spec file but its `[[check]]` tables (see [`parse`]).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSpec {
    pub(crate) name: Spanned<String>,
    #[serde(default)]
    pub(crate) description: String,
    /// The description in Chinese (shown when the reader's language is Chinese).
    #[serde(default)]
    pub(crate) description_zh: Option<String>,
    #[serde(default)]
    pub(crate) params: BTreeMap<String, Spanned<RawParam>>,
    #[serde(default)]
    pub(crate) line: Vec<Spanned<RawLine>>,
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
    /// What a reader calls lines of this kind (legends of pictures); the name when absent.
    #[serde(default)]
    pub(crate) label: Option<String>,
    /// The label in Chinese.
    #[serde(default)]
    pub(crate) label_zh: Option<String>,
    /// The role of the task that writes such lines (`writer`, `reader`, `worker`): pictures
    /// name its lane by it.
    #[serde(default)]
    pub(crate) role: Option<String>,
    /// The role in Chinese.
    #[serde(default)]
    pub(crate) role_zh: Option<String>,
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

/// One `[[check]]` table: the fields every check has, and the rest, which its type reads into
/// a struct of its own (so a field that does not apply to the type is refused by that struct).
#[derive(Debug)]
pub(crate) struct RawCheck<'i> {
    /// Where the whole table is.
    pub(crate) span: Range<usize>,
    pub(crate) name: Spanned<String>,
    /// The check's name in Chinese.
    pub(crate) name_zh: Option<String>,
    pub(crate) kind: Spanned<String>,
    pub(crate) likely: Option<Spanned<f64>>,
    /// The type's own fields, as written.
    pub(crate) own: Spanned<DeTable<'i>>,
}

/// The fields every check has, besides its type's own.
#[derive(Debug, Deserialize)]
struct Common {
    name: Spanned<String>,
    name_zh: Option<String>,
    #[serde(rename = "type")]
    kind: Spanned<String>,
    likely: Option<Spanned<f64>>,
}

/// The fields of [`Common`], as keys in a check's table.
const COMMON: [&str; 4] = ["name", "name_zh", "type", "likely"];

/// Parses spec `text` into its tables; `origin` (a file name) is for error messages.
pub(crate) fn parse<'i>(
    text: &'i str,
    origin: &str,
) -> Result<(RawSpec, Vec<RawCheck<'i>>), SpecError> {
    let syntax = |e: toml::de::Error| syntax(text, origin, &e);
    let mut doc = DeTable::parse(text).map_err(syntax)?;
    let checks = doc.get_mut().remove("check");
    let spec = RawSpec::deserialize(toml::de::Deserializer::from(doc)).map_err(syntax)?;
    let Some(checks) = checks else {
        return Ok((spec, Vec::new()));
    };
    let span = checks.span();
    let not_tables = || {
        invalid(
            text,
            origin,
            span.clone(),
            crate::words::say::say!("spec-check-not-tables"),
        )
    };
    let DeValue::Array(items) = checks.into_inner() else {
        return Err(not_tables());
    };
    let mut out = Vec::new();
    for item in items {
        let span = item.span();
        let DeValue::Table(mut own) = item.into_inner() else {
            return Err(not_tables());
        };
        let mut common = DeTable::new();
        for key in COMMON {
            if let Some((k, v)) = own.remove_entry(key) {
                common.insert(k, v);
            }
        }
        let common = Common::deserialize(ValueDeserializer::from(Spanned::new(
            span.clone(),
            DeValue::Table(common),
        )))
        .map_err(syntax)?;
        out.push(RawCheck {
            span: span.clone(),
            name: common.name,
            name_zh: common.name_zh,
            kind: common.kind,
            likely: common.likely,
            own: Spanned::new(span, own),
        });
    }
    Ok((spec, out))
}

/// A TOML or serde error as a spec's syntax problem, at its line when it has a span.
pub(crate) fn syntax(text: &str, origin: &str, e: &toml::de::Error) -> SpecError {
    SpecError::new(
        SpecErrorKind::Syntax,
        origin,
        e.span().map(|s| line_of(text, s.start)),
        e.message().trim().replace('\n', " "),
    )
}

/// A plain identifier: a letter or `_`, then letters, digits or `_`.
pub(crate) fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
