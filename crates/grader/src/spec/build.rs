//! Building a [`Spec`] from TOML text: the file's syntax, then its parameters, line kinds and
//! checks, each check read by its type from the list it is given.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use super::error::{SpecError, SpecErrorKind, invalid, line_of};
use super::fields::{Fields, Res};
use super::lines::{LineKind, line_kinds};
use super::params::{ParamDefault, defaults};
use super::raw::{RawCheck, parse};
use super::rule::CheckType;
use super::{Check, Spec};
use crate::words::say::say;

/// Parses and validates spec `text`, its checks being of the given `types`; `origin` (a file
/// name) is used in error messages.
pub(crate) fn build(text: &str, origin: &str, types: &[CheckType]) -> Res<Spec> {
    let (raw, raw_checks) = parse(text, origin)?;
    let err = |span, message: String| invalid(text, origin, span, message);
    if raw.name.get_ref().trim().is_empty() {
        return Err(err(raw.name.span(), say!("spec-name-empty")));
    }
    let params = defaults(&raw.params, text, origin)?;
    if raw.line.is_empty() {
        return Err(err(raw.name.span(), say!("spec-no-lines")));
    }
    let lines = line_kinds(&raw.line, text, origin)?;
    let mut checks: Vec<Check> = Vec::new();
    let mut names = HashSet::new();
    let spec = Building {
        text,
        origin,
        lines: &lines,
        params: &params,
        types,
    };
    for c in &raw_checks {
        let name = c.name.get_ref().trim();
        if !name.is_empty() && !names.insert(name) {
            return Err(err(c.name.span(), say!("spec-two-checks", name = name)));
        }
        checks.push(spec.check(c)?);
    }
    if checks.is_empty() {
        return Err(err(raw.name.span(), say!("spec-no-checks")));
    }
    let pairs = checks.iter().filter_map(|c| c.rule.pair()).collect();
    Ok(Spec {
        name: raw.name.into_inner().trim().to_string(),
        description: raw.description,
        description_zh: raw.description_zh,
        origin: origin.to_string(),
        lines,
        params,
        checks,
        pairs,
    })
}

/// What a check is built against: the spec's text, its line kinds and parameters, the types.
struct Building<'a> {
    text: &'a str,
    origin: &'a str,
    lines: &'a [LineKind],
    params: &'a BTreeMap<String, ParamDefault>,
    types: &'a [CheckType],
}

impl Building<'_> {
    /// One check: its common fields, then its type's own, read by the type.
    fn check(&self, c: &RawCheck<'_>) -> Res<Check> {
        let err = |span, message: String| invalid(self.text, self.origin, span, message);
        let name = c.name.get_ref().trim().to_string();
        if name.is_empty() {
            return Err(err(c.name.span(), say!("spec-check-name-empty")));
        }
        let likely = likely(c, &name).map_err(|(span, m)| err(span, m))?;
        let kind = c.kind.get_ref().as_str();
        let Some(ty) = self.types.iter().find(|t| t.name == kind) else {
            let known: Vec<&str> = self.types.iter().map(|t| t.name).collect();
            let message = say!("spec-unknown-type", ctype = kind, known = known.join(", "));
            return Err(err(
                c.kind.span(),
                say!("spec-check", name = name.as_str(), message = message),
            ));
        };
        let takes = (ty.fields)();
        let own = c.own.get_ref().iter().map(|(k, _)| k);
        if let Some(key) = own
            .into_iter()
            .find(|k| !takes.contains(&k.get_ref().as_ref()))
        {
            // A field the type does not take is as wrong as one no type takes: a syntax error.
            return Err(SpecError::new(
                SpecErrorKind::Syntax,
                self.origin,
                Some(line_of(self.text, key.span().start)),
                say!(
                    "spec-check",
                    name = name.as_str(),
                    message = say!(
                        "spec-field-not-for-type",
                        field = key.get_ref().as_ref(),
                        ctype = kind,
                        takes = takes.join(", ")
                    )
                ),
            ));
        }
        let fields = Fields {
            text: self.text,
            origin: self.origin,
            lines: self.lines,
            params: self.params,
            kind,
            own: &c.own,
            name: &name,
            span: c.span.clone(),
            uses_trace: std::cell::Cell::new(false),
        };
        let rule = (ty.build)(&fields)?;
        let needs_trace = ty.needs_trace || fields.uses_trace.get();
        Ok(Check {
            name,
            name_zh: c.name_zh.as_ref().map(|n| n.trim().to_string()),
            likely,
            rule,
            needs_trace,
        })
    }
}

/// A check's `likely` threshold, or the problem with it (where, what).
fn likely(c: &RawCheck<'_>, name: &str) -> Result<Option<f64>, (Range<usize>, String)> {
    let Some(t) = &c.likely else {
        return Ok(None);
    };
    let v = *t.get_ref();
    if v > 0.0 && v <= 1.0 {
        return Ok(Some(v));
    }
    let message = say!("spec-bad-likely", value = v.to_string());
    Err((t.span(), say!("spec-check", name = name, message = message)))
}
