//! Reading one check's fields: every name a field gives (line kind, capture, parameter) is
//! resolved here against the spec, and every problem is an error with its line in the file.
//! Each check type's `build` uses these to read its own fields.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::error::{SpecError, invalid};
use super::lines::{LineKind, WRITER_FIELDS};
use super::params::ParamDefault;
use super::raw::{RawNum, RawScalar, RawValues, syntax};
use super::values::{Num, Operand, Values};
use crate::words::say::say;

/// A result whose error is a spec problem.
pub(crate) type Res<T> = Result<T, SpecError>;

/// One `[[check]]` table being read, with the spec it belongs to.
pub(crate) struct Fields<'a> {
    pub(crate) text: &'a str,
    pub(crate) origin: &'a str,
    pub(crate) lines: &'a [LineKind],
    pub(crate) params: &'a BTreeMap<String, ParamDefault>,
    /// The check's type as written.
    pub(crate) kind: &'a str,
    /// The check's own fields (all but `name`, `type` and `likely`) as written.
    pub(crate) own: &'a Spanned<DeTable<'a>>,
    /// The check's name, trimmed.
    pub(crate) name: &'a str,
    /// Where the whole table is, for problems of a missing field.
    pub(crate) span: Range<usize>,
    /// Set when the check reads what only the trace knows (a writer field): then a run that
    /// was not traced cannot be judged by it.
    pub(crate) uses_trace: Cell<bool>,
}

impl Fields<'_> {
    /// The problem at `span`.
    pub(crate) fn err(&self, span: Range<usize>, message: impl Into<String>) -> SpecError {
        invalid(self.text, self.origin, span, message)
    }

    /// The problem of this check at `span`: "check 'NAME': MESSAGE".
    pub(crate) fn check_err(&self, span: Range<usize>, message: String) -> SpecError {
        self.err(
            span,
            say!("spec-check", name = self.name, message = message),
        )
    }

    /// The problem of the whole check (a field it lacks): "check 'NAME': MESSAGE".
    pub(crate) fn missing(&self, message: String) -> SpecError {
        self.check_err(self.span.clone(), message)
    }

    /// The check's type as written.
    pub(crate) fn kind(&self) -> &str {
        self.kind
    }

    /// The check's own fields read into its type's struct `T` (build has refused a field that
    /// is not one of `T`'s, at its line).
    pub(crate) fn read<T: DeserializeOwned>(&self) -> Res<T> {
        let table = Spanned::new(self.own.span(), DeValue::Table(self.own.get_ref().clone()));
        T::deserialize(ValueDeserializer::from(table))
            .map_err(|e| syntax(self.text, self.origin, &e))
    }

    /// A field the check's type cannot do without: its text and span.
    pub(crate) fn need(
        &self,
        f: &Option<Spanned<String>>,
        field: &str,
    ) -> Res<(String, Range<usize>)> {
        match f {
            Some(s) => Ok((s.get_ref().clone(), s.span())),
            None => Err(self.missing(say!("spec-needs-field", ctype = self.kind(), field = field))),
        }
    }

    /// The line kind a required field names (`field` is its name in the TOML).
    pub(crate) fn need_kind(&self, f: &Option<Spanned<String>>, field: &str) -> Res<usize> {
        self.kind_of(&self.need(f, field)?)
    }

    /// The index of the line kind `name`.
    pub(crate) fn kind_of(&self, (name, span): &(String, Range<usize>)) -> Res<usize> {
        self.lines
            .iter()
            .position(|k| &k.name == name)
            .ok_or_else(|| {
                let known: Vec<&str> = self.lines.iter().map(|k| k.name.as_str()).collect();
                self.check_err(
                    span.clone(),
                    say!(
                        "spec-unknown-kind",
                        kind = name.as_str(),
                        known = known.join(", ")
                    ),
                )
            })
    }

    /// Fails unless line kind `line` has a capture named `capture`.
    pub(crate) fn capture_in(
        &self,
        line: usize,
        capture: &str,
        span: Option<Range<usize>>,
    ) -> Res<()> {
        let kind = &self.lines[line];
        if kind.captures.iter().any(|c| c == capture) {
            return Ok(());
        }
        if WRITER_FIELDS.contains(&capture) {
            self.uses_trace.set(true);
            return Ok(());
        }
        Err(self.check_err(
            span.unwrap_or(0..0),
            say!(
                "spec-no-capture",
                kind = kind.name.as_str(),
                capture = capture,
                captures = if kind.captures.is_empty() {
                    say!("spec-none")
                } else {
                    kind.captures.join(", ")
                }
            ),
        ))
    }

    /// A required field naming a capture of line kind `line`.
    pub(crate) fn need_capture(
        &self,
        line: usize,
        f: &Option<Spanned<String>>,
        field: &str,
    ) -> Res<String> {
        let (capture, span) = self.need(f, field)?;
        self.capture_in(line, &capture, Some(span))?;
        Ok(capture)
    }

    /// An optional field naming a capture of line kind `line`.
    pub(crate) fn opt_capture(
        &self,
        line: usize,
        f: &Option<Spanned<String>>,
    ) -> Res<Option<String>> {
        match f {
            None => Ok(None),
            Some(s) => {
                self.capture_in(line, s.get_ref(), Some(s.span()))?;
                Ok(Some(s.get_ref().clone()))
            }
        }
    }

    /// A parameter's name in place of a number.
    pub(crate) fn param(&self, word: &str, span: Range<usize>) -> Res<Num> {
        if self.params.contains_key(word) {
            Ok(Num::Param(word.to_string()))
        } else {
            Err(self.check_err(span, say!("spec-unknown-param", param = word)))
        }
    }

    /// A count: a whole number >= 0 or a parameter's name.
    pub(crate) fn count_num(&self, n: &Spanned<RawNum>) -> Res<Num> {
        match n.get_ref() {
            RawNum::Int(i) if *i >= 0 => Ok(Num::Lit(*i)),
            RawNum::Word(w) => self.param(w, n.span()),
            _ => Err(self.check_err(n.span(), say!("spec-not-count"))),
        }
    }

    /// An optional count.
    pub(crate) fn opt_count(&self, n: &Option<Spanned<RawNum>>) -> Res<Option<Num>> {
        n.as_ref().map(|n| self.count_num(n)).transpose()
    }

    /// `min` and `max` as counts, at least one of them present (else `missing` is the error).
    pub(crate) fn min_max(
        &self,
        min: &Option<Spanned<RawNum>>,
        max: &Option<Spanned<RawNum>>,
        missing: String,
    ) -> Res<(Option<Num>, Option<Num>)> {
        let min = self.opt_count(min)?;
        let max = self.opt_count(max)?;
        if min.is_none() && max.is_none() {
            return Err(self.missing(missing));
        }
        Ok((min, max))
    }

    /// `values`: a list, or a range `"a..b"` / `"a..=b"` whose bounds may name parameters.
    pub(crate) fn values(&self, v: &Spanned<RawValues>) -> Res<Values> {
        match v.get_ref() {
            RawValues::List(items) => Ok(Values::List(
                items
                    .iter()
                    .map(|s| match s {
                        RawScalar::Int(i) => i.to_string(),
                        RawScalar::Word(w) => w.clone(),
                    })
                    .collect(),
            )),
            RawValues::Word(w) => {
                let (a, b, inclusive) = if let Some((a, b)) = w.split_once("..=") {
                    (a, b, true)
                } else if let Some((a, b)) = w.split_once("..") {
                    (a, b, false)
                } else {
                    return Err(
                        self.check_err(v.span(), say!("spec-bad-values", value = w.as_str()))
                    );
                };
                let bound = |s: &str| -> Res<Num> {
                    let s = s.trim();
                    match s.parse::<i64>() {
                        Ok(i) => Ok(Num::Lit(i)),
                        Err(_) => self.param(s, v.span()),
                    }
                };
                Ok(Values::Range {
                    start: bound(a)?,
                    end: bound(b)?,
                    inclusive,
                })
            }
        }
    }

    /// A relation's operand: `KIND.CAPTURE`, `main_pid` or `adopter_pid`.
    pub(crate) fn operand(&self, word: &str, span: Range<usize>) -> Res<Operand> {
        match word {
            "main_pid" => return Ok(Operand::MainPid),
            "adopter_pid" => return Ok(Operand::AdopterPid),
            _ => {}
        }
        let Some((kind, capture)) = word.split_once('.') else {
            return Err(self.check_err(span, say!("spec-bad-operand", word = word)));
        };
        let line = self.kind_of(&(kind.to_string(), span.clone()))?;
        self.capture_in(line, capture, Some(span))?;
        Ok(Operand::Capture {
            line,
            capture: capture.to_string(),
        })
    }
}
