//! Parameters: the numbers a spec lets `--param K=V` set, and the time scale, resolved for one
//! grading.

use std::collections::BTreeMap;

use toml::Spanned;

use super::error::{SpecError, invalid};
use super::raw::{RawParam, is_ident};
use crate::words::say::say;

/// The largest value `--param` takes: a count of processes, cores or messages, never more.
pub(crate) const PARAM_MAX: u32 = 4096;

/// A parameter's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamDefault {
    Value(i64),
    /// This machine's CPU count.
    Cpus,
}

impl ParamDefault {
    /// The default's value on this machine.
    pub(crate) fn value(self) -> i64 {
        match self {
            ParamDefault::Value(v) => v,
            ParamDefault::Cpus => num_cpus::get() as i64,
        }
    }
}

/// The defaults of the parameters a spec declares under `[params]`; `text` and `origin` are the
/// spec's, for error messages.
pub(crate) fn defaults(
    raw: &BTreeMap<String, Spanned<RawParam>>,
    text: &str,
    origin: &str,
) -> Result<BTreeMap<String, ParamDefault>, SpecError> {
    let mut out = BTreeMap::new();
    for (name, value) in raw {
        if !is_ident(name) {
            return Err(invalid(
                text,
                origin,
                value.span(),
                say!("spec-param-not-ident", name = name.as_str()),
            ));
        }
        let d = match value.get_ref() {
            RawParam::Int(i) if *i >= 0 => ParamDefault::Value(*i),
            RawParam::Word(w) if w == "cpus" => ParamDefault::Cpus,
            _ => {
                return Err(invalid(
                    text,
                    origin,
                    value.span(),
                    say!("spec-param-default", name = name.as_str()),
                ));
            }
        };
        out.insert(name.clone(), d);
    }
    Ok(out)
}

/// Resolved parameter values and time scale for one grading.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    values: BTreeMap<String, i64>,
    time_scale: f64,
}

/// A `--param` or time scale the spec cannot take.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParamError(String);

impl Params {
    /// `defaults` (the spec `spec_name`'s), then `overrides`, at `time_scale`: see
    /// `Params::resolve`.
    pub(crate) fn resolve_defaults(
        spec_name: &str,
        defaults: &BTreeMap<String, ParamDefault>,
        overrides: &[(String, String)],
        time_scale: f64,
    ) -> Result<Params, ParamError> {
        if !(time_scale.is_finite() && time_scale > 0.0) {
            return Err(ParamError(say!(
                "param-time-scale",
                value = time_scale.to_string()
            )));
        }
        let mut values: BTreeMap<String, i64> = defaults
            .iter()
            .map(|(k, d)| (k.clone(), d.value()))
            .collect();
        for (k, v) in overrides {
            let Some(slot) = values.get_mut(k) else {
                let known: Vec<&str> = defaults.keys().map(String::as_str).collect();
                return Err(ParamError(say!(
                    "param-unknown",
                    param = k.as_str(),
                    spec = spec_name,
                    known = if known.is_empty() {
                        say!("spec-none")
                    } else {
                        known.join(", ")
                    }
                )));
            };
            // Every parameter counts things a program makes (processes, cores, messages): zero
            // of them is no program to grade.
            *slot = match v.trim().parse::<u32>() {
                Ok(n) if (1..=PARAM_MAX).contains(&n) => i64::from(n),
                _ => {
                    return Err(ParamError(say!(
                        "param-bad-value",
                        param = k.as_str(),
                        max = PARAM_MAX.to_string(),
                        value = v.as_str()
                    )));
                }
            };
        }
        Ok(Params { values, time_scale })
    }

    /// These values, plus the defaults of parameters they lack (params resolved for another
    /// spec still judge this one: what they lack takes this spec's defaults).
    pub(crate) fn filled(&self, defaults: &BTreeMap<String, ParamDefault>) -> Params {
        let mut p = self.clone();
        for (k, d) in defaults {
            p.values.entry(k.clone()).or_insert_with(|| d.value());
        }
        p
    }

    /// The value of a parameter, if the spec has it.
    pub fn get(&self, name: &str) -> Option<i64> {
        self.values.get(name).copied()
    }

    /// Every parameter with its value.
    pub fn values(&self) -> &BTreeMap<String, i64> {
        &self.values
    }

    /// The time scale numeric ranges are multiplied by.
    pub fn time_scale(&self) -> f64 {
        self.time_scale
    }
}
