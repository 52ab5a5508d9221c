//! Line kinds: a name and the pattern a whole line must match, its named groups the captures.

use regex::{Regex, RegexBuilder};
use toml::Spanned;

use super::error::{SpecError, invalid};
use super::raw::{RawLine, is_ident};
use crate::words::say::say;

/// What the trace knows of a line's writer, usable wherever a check takes a capture
/// (`KIND.writer.pid` in a relation, `capture = "writer.pid"` in distinct, ...).
pub(crate) const WRITER_FIELDS: [&str; 4] =
    ["writer.pid", "writer.tid", "writer.ppid", "writer.role"];

/// A kind of output line: a name and the pattern a whole line must match.
#[derive(Debug, Clone)]
pub(crate) struct LineKind {
    pub(crate) name: String,
    pub(crate) regex: Regex,
    /// The same pattern, letter case ignored: for near misses.
    pub(crate) loose: Regex,
    pub(crate) captures: Vec<String>,
    /// What a reader calls such lines (`label`, else the name), and in Chinese (`label_zh`).
    pub(crate) label: String,
    pub(crate) label_zh: Option<String>,
    /// The role of the task writing such lines (`role`), and in Chinese (`role_zh`).
    pub(crate) role: Option<String>,
    pub(crate) role_zh: Option<String>,
}

impl LineKind {
    /// The label in the reader's language.
    pub(crate) fn label_in(&self, lang: i18n::Lang) -> &str {
        match (lang, &self.label_zh) {
            (i18n::Lang::Zh, Some(zh)) => zh,
            _ => &self.label,
        }
    }

    /// The writer's role in the reader's language, if the spec names one.
    pub(crate) fn role_in(&self, lang: i18n::Lang) -> Option<&str> {
        match (lang, &self.role_zh) {
            (i18n::Lang::Zh, Some(zh)) => Some(zh),
            _ => self.role.as_deref(),
        }
    }
}

/// The line kinds of a spec, in file order (a line takes the first kind that matches it);
/// `text` and `origin` are the spec's, for error messages.
pub(crate) fn line_kinds(
    raw: &[Spanned<RawLine>],
    text: &str,
    origin: &str,
) -> Result<Vec<LineKind>, SpecError> {
    let mut kinds: Vec<LineKind> = Vec::new();
    for l in raw {
        let l = l.get_ref();
        let name = l.name.get_ref();
        let err = |message: String| invalid(text, origin, l.name.span(), message);
        if !is_ident(name) {
            return Err(err(say!("spec-kind-not-ident", name = name.as_str())));
        }
        if name == "main_pid" || name == "adopter_pid" {
            return Err(err(say!("spec-kind-builtin", name = name.as_str())));
        }
        if kinds.iter().any(|k| &k.name == name) {
            return Err(err(say!("spec-kind-twice", name = name.as_str())));
        }
        let anchored = format!("^(?:{})$", l.pattern.get_ref());
        let regex = Regex::new(&anchored).map_err(|e| {
            let text_of = e.to_string();
            let why = text_of
                .lines()
                .find_map(|s| s.strip_prefix("error: "))
                .unwrap_or(&text_of)
                .to_string();
            invalid(
                text,
                origin,
                l.pattern.span(),
                say!("spec-bad-pattern", name = name.as_str(), why = why),
            )
        })?;
        let loose = RegexBuilder::new(&anchored)
            .case_insensitive(true)
            .build()
            .unwrap_or_else(|_| regex.clone());
        let captures = regex.capture_names().flatten().map(String::from).collect();
        kinds.push(LineKind {
            name: name.clone(),
            regex,
            loose,
            captures,
            label: l.label.clone().unwrap_or_else(|| name.clone()),
            label_zh: l.label_zh.clone(),
            role: l.role.clone(),
            role_zh: l.role_zh.clone(),
        });
    }
    Ok(kinds)
}
