//! The spec format: a TOML file parsed and validated into a [`Spec`] the checks can run without
//! further error paths (every name a check refers to is resolved here, with its file and line).
//!
//! The format is documented in `SPEC.md`; the built-in specs live in `specs/*.toml`. This module
//! knows no check type by name: each type reads its own fields (through [`fields::Fields`]) and
//! is handed to [`build::build`] in a list.

pub(crate) mod build;
pub(crate) mod error;
pub(crate) mod fault;
pub(crate) mod fields;
pub(crate) mod introspect;
pub(crate) mod lines;
pub(crate) mod near;
pub(crate) mod pairs;
pub(crate) mod params;
pub(crate) mod raw;
pub(crate) mod rule;
pub(crate) mod values;

use std::collections::BTreeMap;
use std::sync::Arc;

use lines::LineKind;
use params::{ParamDefault, ParamError, Params};
use rule::Rule;

/// One check of a spec.
#[derive(Debug, Clone)]
pub(crate) struct Check {
    pub(crate) name: String,
    /// The name in Chinese (`name_zh`), when the spec gives one.
    pub(crate) name_zh: Option<String>,
    /// `Some(threshold)`: a likely check, passed when at least this fraction of runs pass it.
    pub(crate) likely: Option<f64>,
    pub(crate) rule: Arc<dyn Rule>,
    /// It judges what only the trace knows: an untraced run is "not checked" by it.
    pub(crate) needs_trace: bool,
}

/// A validated spec: what a port's output must look like.
#[derive(Debug, Clone)]
pub struct Spec {
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) description_zh: Option<String>,
    pub(crate) origin: String,
    pub(crate) lines: Vec<LineKind>,
    pub(crate) params: BTreeMap<String, ParamDefault>,
    pub(crate) checks: Vec<Check>,
    /// The line kinds its checks pair up (for pictures of a run).
    pub(crate) pairs: Vec<pairs::Pair>,
}

impl Spec {
    /// The example's name (the spec's `name`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// One line saying what the example is, in the reader's language when the spec has it
    /// (`description_zh`).
    pub fn description(&self) -> &str {
        match (i18n::Lang::current(), &self.description_zh) {
            (i18n::Lang::Zh, Some(zh)) => zh,
            _ => &self.description,
        }
    }

    /// Where the spec came from: a file name or `builtin:NAME`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The names of the spec's checks, in order.
    pub fn check_names(&self) -> Vec<&str> {
        self.checks.iter().map(|c| c.name.as_str()).collect()
    }

    /// Whether a check needs the CPU time of the run's tasks at each line.
    pub(crate) fn cpu_at_lines(&self) -> bool {
        self.checks.iter().any(|c| c.rule.cpu_at_lines())
    }

    /// The parameters the spec takes.
    pub fn param_names(&self) -> Vec<&str> {
        self.params.keys().map(String::as_str).collect()
    }
}

impl Params {
    /// The spec's defaults (`cpus` resolved to this machine's CPU count), then `overrides`
    /// (`K`, `V` pairs from `--param K=V`; V a whole number from 1 to 4096), at `time_scale`.
    ///
    /// Errors: an unknown parameter, a value out of that range, a time scale that
    /// is not a positive number.
    pub fn resolve(
        spec: &Spec,
        overrides: &[(String, String)],
        time_scale: f64,
    ) -> Result<Params, ParamError> {
        Params::resolve_defaults(&spec.name, &spec.params, overrides, time_scale)
    }
}
