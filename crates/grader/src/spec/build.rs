//! Building a [`Spec`] from TOML text: the file's syntax, then its parameters, line kinds and
//! checks, each check read by its type from the list it is given.

use std::collections::HashSet;

use super::error::{SpecError, SpecErrorKind, invalid, line_of};
use super::fields::{Fields, Res};
use super::lines::line_kinds;
use super::pairs::pair_of;
use super::params::defaults;
use super::raw::RawSpec;
use super::rule::CheckType;
use super::{Check, Spec};

/// Parses and validates spec `text`, its checks being of the given `types`; `origin` (a file
/// name) is used in error messages.
pub(crate) fn build(text: &str, origin: &str, types: &[CheckType]) -> Res<Spec> {
    let raw: RawSpec = toml::from_str(text).map_err(|e| {
        SpecError::new(
            SpecErrorKind::Syntax,
            origin,
            e.span().map(|s| line_of(text, s.start)),
            e.message().trim().replace('\n', " "),
        )
    })?;
    let err = |span, message: &str| invalid(text, origin, span, message);
    if raw.name.get_ref().trim().is_empty() {
        return Err(err(raw.name.span(), "the spec's `name` is empty"));
    }
    let params = defaults(&raw.params, text, origin)?;
    if raw.line.is_empty() {
        return Err(err(raw.name.span(), "the spec has no [[line]] kinds"));
    }
    let lines = line_kinds(&raw.line, text, origin)?;
    let mut checks: Vec<Check> = Vec::new();
    let mut names = HashSet::new();
    let mut pairs = Vec::new();
    for c in &raw.check {
        let span = c.span();
        let c = c.get_ref();
        let name = c.name.get_ref().trim().to_string();
        if name.is_empty() {
            return Err(err(c.name.span(), "a check's `name` is empty"));
        }
        if !names.insert(name.clone()) {
            return Err(err(
                c.name.span(),
                &format!("two checks are named '{name}'"),
            ));
        }
        let likely = match &c.likely {
            None => None,
            Some(t) => {
                let v = *t.get_ref();
                if !(v > 0.0 && v <= 1.0) {
                    return Err(err(
                        t.span(),
                        &format!(
                            "check '{name}': `likely` is the fraction of runs that must pass, in (0, 1], not {v}"
                        ),
                    ));
                }
                Some(v)
            }
        };
        let kind = c.kind.get_ref().as_str();
        let Some(ty) = types.iter().find(|t| t.name == kind) else {
            let known: Vec<&str> = types.iter().map(|t| t.name).collect();
            return Err(err(
                c.kind.span(),
                &format!(
                    "check '{name}': unknown type '{kind}' (known: {})",
                    known.join(", ")
                ),
            ));
        };
        for (field, fspan) in c.present() {
            if field != "likely" && !ty.fields.contains(&field) {
                return Err(err(
                    fspan,
                    &format!("check '{name}': field `{field}` does not apply to a `{kind}` check"),
                ));
            }
        }
        let fields = Fields {
            text,
            origin,
            lines: &lines,
            params: &params,
            raw: c,
            name: &name,
            span,
            uses_trace: std::cell::Cell::new(false),
        };
        let rule = (ty.build)(&fields)?;
        pairs.extend(pair_of(c, &lines));
        let needs_trace = ty.needs_trace || fields.uses_trace.get();
        checks.push(Check {
            name,
            likely,
            rule,
            needs_trace,
        });
    }
    if checks.is_empty() {
        return Err(err(raw.name.span(), "the spec has no [[check]]"));
    }
    Ok(Spec {
        name: raw.name.into_inner().trim().to_string(),
        description: raw.description,
        origin: origin.to_string(),
        lines,
        params,
        checks,
        pairs,
    })
}
