//! The spec format: a TOML file parsed and validated into a [`Spec`] the checks can run without
//! further error paths (every name a check refers to is resolved here, with its file and line).
//!
//! The format is documented in `SPEC.md`; the built-in specs live in `specs/*.toml`.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::ops::Range;
use std::path::Path;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

/// The built-in examples: name, one-line description, spec text.
const BUILTINS: &[(&str, &str, &str)] = &[
    (
        "fork",
        "os.fork: the parent and its child each print one line",
        include_str!("../specs/fork.toml"),
    ),
    (
        "process",
        "multiprocessing.Process: start a child, join it",
        include_str!("../specs/process.toml"),
    ),
    (
        "pool",
        "multiprocessing.Pool: 5 tasks on N worker processes (--param processes=N)",
        include_str!("../specs/pool.toml"),
    ),
    (
        "queue",
        "multiprocessing.Queue: a writer puts A, B, C, a reader gets them",
        include_str!("../specs/queue.toml"),
    ),
    (
        "thread",
        "threading.Thread: a LoopThread counts to 5, the main thread joins it",
        include_str!("../specs/thread.toml"),
    ),
    (
        "lock",
        "threading.Lock: two threads change one balance under a lock; it ends at 0",
        include_str!("../specs/lock.toml"),
    ),
    (
        "threadlocal",
        "threading.local: Thread-A greets Alice, Thread-B greets Bob",
        include_str!("../specs/threadlocal.toml"),
    ),
    (
        "multicore",
        "multicore dead loop: one busy thread per core, then the cores kept busy (--param cores=N)",
        include_str!("../specs/multicore.toml"),
    ),
    (
        "subprocess",
        "subprocess: uname -s and its exit code, then sh fed on stdin, its output and exit code",
        include_str!("../specs/subprocess.toml"),
    ),
    (
        "pipe",
        "multiprocessing.Pipe: a parent pings, a child pongs, three rounds",
        include_str!("../specs/pipe.toml"),
    ),
    (
        "distributed",
        "distributed processes: a master's 10 tasks done by a worker over TCP (run both)",
        include_str!("../specs/distributed.toml"),
    ),
];

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

/// A number in a spec: a literal or the name of a parameter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Num {
    Lit(i64),
    Param(String),
}

/// A bound of a `range` check: a literal (whole or not) or the name of a parameter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Real {
    Lit(f64),
    Param(String),
}

/// A set of expected values of a capture, in order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Values {
    List(Vec<String>),
    /// `start..end` or `start..=end`.
    Range {
        start: Num,
        end: Num,
        inclusive: bool,
    },
}

/// One side of a relation: a capture of a line kind or a value of the run.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand {
    Capture { line: usize, capture: String },
    MainPid,
    AdopterPid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    In,
    NotIn,
}

impl Op {
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::In => "in",
            Op::NotIn => "not in",
        }
    }
}

/// What a check demands of one run's classified lines.
#[derive(Debug, Clone)]
pub(crate) enum Rule {
    Count {
        line: usize,
        per: Option<String>,
        values: Option<Values>,
        min: Option<Num>,
        max: Option<Num>,
    },
    Order {
        before: usize,
        after: usize,
        per: Option<String>,
    },
    First {
        line: usize,
    },
    Last {
        line: usize,
    },
    Sequence {
        line: usize,
        capture: String,
        values: Values,
    },
    Relation {
        left: Operand,
        op: Op,
        right: Vec<Operand>,
    },
    Open {
        open: usize,
        close: usize,
        key: String,
        max: Option<Num>,
        min: Option<Num>,
    },
    Distinct {
        line: usize,
        capture: String,
        max: Option<Num>,
        min: Option<Num>,
    },
    Range {
        line: usize,
        capture: String,
        min: Real,
        max: Real,
        scaled: bool,
        slack: f64,
    },
}

/// One check of a spec.
#[derive(Debug, Clone)]
pub(crate) struct Check {
    pub(crate) name: String,
    /// `Some(threshold)`: a likely check, passed when at least this fraction of runs pass it.
    pub(crate) likely: Option<f64>,
    pub(crate) rule: Rule,
}

/// A kind of output line: a name and the pattern a whole line must match.
#[derive(Debug, Clone)]
pub(crate) struct LineKind {
    pub(crate) name: String,
    pub(crate) regex: Regex,
    pub(crate) captures: Vec<String>,
}

/// A parameter's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamDefault {
    Value(i64),
    Cpus,
}

/// A validated spec: what a port's output must look like.
#[derive(Debug, Clone)]
pub struct Spec {
    name: String,
    description: String,
    origin: String,
    pub(crate) lines: Vec<LineKind>,
    pub(crate) params: BTreeMap<String, ParamDefault>,
    pub(crate) checks: Vec<Check>,
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
    /// The spec's defaults (`cpus` resolved to this machine's CPU count), then `overrides`
    /// (`K`, `V` pairs from `--param K=V`; V a whole number >= 0), at `time_scale`.
    pub fn resolve(
        spec: &Spec,
        overrides: &[(String, String)],
        time_scale: f64,
    ) -> Result<Params, ParamError> {
        if !(time_scale.is_finite() && time_scale > 0.0) {
            return Err(ParamError(format!(
                "the time scale must be a positive number, not {time_scale}"
            )));
        }
        let mut values: BTreeMap<String, i64> = spec
            .params
            .iter()
            .map(|(k, d)| {
                let v = match d {
                    ParamDefault::Value(v) => *v,
                    ParamDefault::Cpus => num_cpus::get() as i64,
                };
                (k.clone(), v)
            })
            .collect();
        for (k, v) in overrides {
            let Some(slot) = values.get_mut(k) else {
                let known: Vec<&str> = spec.params.keys().map(String::as_str).collect();
                return Err(ParamError(format!(
                    "unknown parameter '{k}' for {} (its parameters: {})",
                    spec.name,
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                )));
            };
            *slot = v.trim().parse::<u32>().map(i64::from).map_err(|_| {
                ParamError(format!(
                    "parameter '{k}' needs a whole number >= 0, not '{v}'"
                ))
            })?;
        }
        Ok(Params { values, time_scale })
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

impl Spec {
    /// The built-in spec of an example (`grade --list`: `fork`, `process`, `pool`, `queue`, `thread`,
    /// then the rest of the chapter).
    pub fn builtin(name: &str) -> Result<Spec, SpecError> {
        match BUILTINS.iter().find(|(n, _, _)| *n == name) {
            Some((n, _, text)) => Spec::parse(text, &format!("builtin:{n}")),
            None => Err(SpecError {
                kind: SpecErrorKind::UnknownExample,
                origin: String::new(),
                line: None,
                message: format!(
                    "unknown example '{name}' (known: {})",
                    BUILTINS
                        .iter()
                        .map(|(n, _, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }),
        }
    }

    /// The built-in examples, each with a one-line description.
    pub fn builtin_names() -> Vec<(&'static str, &'static str)> {
        BUILTINS.iter().map(|(n, d, _)| (*n, *d)).collect()
    }

    /// Reads and validates a spec file.
    pub fn from_toml_file(path: &Path) -> Result<Spec, SpecError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| SpecError {
            kind: SpecErrorKind::Io,
            origin: origin.clone(),
            line: None,
            message: format!("cannot read the spec: {e}"),
        })?;
        Spec::parse(&text, &origin)
    }

    /// Parses and validates spec text; `origin` (a file name) is used in error messages.
    pub fn parse(text: &str, origin: &str) -> Result<Spec, SpecError> {
        let raw: RawSpec = toml::from_str(text).map_err(|e| SpecError {
            kind: SpecErrorKind::Syntax,
            origin: origin.to_string(),
            line: e.span().map(|s| line_of(text, s.start)),
            message: e.message().trim().replace('\n', " "),
        })?;
        Builder {
            text,
            origin,
            lines: Vec::new(),
            params: BTreeMap::new(),
        }
        .build(raw)
    }

    /// The example's name (the spec's `name`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// One line saying what the example is.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Where the spec came from: a file name or `builtin:NAME`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The names of the spec's checks, in order.
    pub fn check_names(&self) -> Vec<&str> {
        self.checks.iter().map(|c| c.name.as_str()).collect()
    }

    /// The parameters the spec takes.
    pub fn param_names(&self) -> Vec<&str> {
        self.params.keys().map(String::as_str).collect()
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

// ---- the TOML as written --------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    name: Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    params: BTreeMap<String, Spanned<RawParam>>,
    #[serde(default)]
    line: Vec<Spanned<RawLine>>,
    #[serde(default)]
    check: Vec<Spanned<RawCheck>>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawParam {
    Int(i64),
    Word(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLine {
    name: Spanned<String>,
    pattern: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawNum {
    Int(i64),
    Float(f64),
    Word(String),
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawValues {
    Word(String),
    List(Vec<RawScalar>),
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawScalar {
    Int(i64),
    Word(String),
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawRight {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    name: Spanned<String>,
    #[serde(rename = "type")]
    kind: Spanned<String>,
    likely: Option<Spanned<f64>>,
    line: Option<Spanned<String>>,
    capture: Option<Spanned<String>>,
    per: Option<Spanned<String>>,
    key: Option<Spanned<String>>,
    values: Option<Spanned<RawValues>>,
    exactly: Option<Spanned<RawNum>>,
    min: Option<Spanned<RawNum>>,
    max: Option<Spanned<RawNum>>,
    before: Option<Spanned<String>>,
    after: Option<Spanned<String>>,
    open: Option<Spanned<String>>,
    close: Option<Spanned<String>>,
    left: Option<Spanned<String>>,
    op: Option<Spanned<String>>,
    right: Option<Spanned<RawRight>>,
    scaled: Option<Spanned<bool>>,
    slack: Option<Spanned<f64>>,
}

impl RawCheck {
    /// The optional fields that are present, with their spans.
    fn present(&self) -> Vec<(&'static str, Range<usize>)> {
        let mut v = Vec::new();
        macro_rules! field {
            ($($f:ident),*) => {$(
                if let Some(x) = &self.$f { v.push((stringify!($f), x.span())); }
            )*};
        }
        field!(
            likely, line, capture, per, key, values, exactly, min, max, before, after, open, close,
            left, op, right, scaled, slack
        );
        v
    }
}

// ---- validation -----------------------------------------------------------------------------

struct Builder<'a> {
    text: &'a str,
    origin: &'a str,
    lines: Vec<LineKind>,
    params: BTreeMap<String, ParamDefault>,
}

type Res<T> = Result<T, SpecError>;

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Builder<'_> {
    fn err(&self, span: Range<usize>, message: impl Into<String>) -> SpecError {
        SpecError {
            kind: SpecErrorKind::Invalid,
            origin: self.origin.to_string(),
            line: Some(line_of(self.text, span.start)),
            message: message.into(),
        }
    }

    fn build(mut self, raw: RawSpec) -> Res<Spec> {
        if raw.name.get_ref().trim().is_empty() {
            return Err(self.err(raw.name.span(), "the spec's `name` is empty"));
        }
        for (name, value) in &raw.params {
            if !is_ident(name) {
                return Err(self.err(
                    value.span(),
                    format!("parameter name '{name}' is not a plain identifier"),
                ));
            }
            let d = match value.get_ref() {
                RawParam::Int(i) if *i >= 0 => ParamDefault::Value(*i),
                RawParam::Word(w) if w == "cpus" => ParamDefault::Cpus,
                _ => {
                    return Err(self.err(
                        value.span(),
                        format!(
                            "parameter '{name}' must default to a whole number >= 0 or \"cpus\""
                        ),
                    ));
                }
            };
            self.params.insert(name.clone(), d);
        }
        if raw.line.is_empty() {
            return Err(self.err(raw.name.span(), "the spec has no [[line]] kinds"));
        }
        for l in &raw.line {
            let l = l.get_ref();
            let name = l.name.get_ref();
            if !is_ident(name) {
                return Err(self.err(
                    l.name.span(),
                    format!("line kind name '{name}' is not a plain identifier"),
                ));
            }
            if name == "main_pid" || name == "adopter_pid" {
                return Err(self.err(
                    l.name.span(),
                    format!("'{name}' is a built-in value; a line kind cannot take its name"),
                ));
            }
            if self.lines.iter().any(|k| &k.name == name) {
                return Err(self.err(
                    l.name.span(),
                    format!("line kind '{name}' is defined twice"),
                ));
            }
            let regex = Regex::new(&format!("^(?:{})$", l.pattern.get_ref())).map_err(|e| {
                let text = e.to_string();
                let why = text
                    .lines()
                    .find_map(|s| s.strip_prefix("error: "))
                    .unwrap_or(&text)
                    .to_string();
                self.err(
                    l.pattern.span(),
                    format!("bad pattern for line kind '{name}': {why}"),
                )
            })?;
            let captures = regex.capture_names().flatten().map(String::from).collect();
            self.lines.push(LineKind {
                name: name.clone(),
                regex,
                captures,
            });
        }
        let mut checks: Vec<Check> = Vec::new();
        let mut names = HashSet::new();
        for c in &raw.check {
            let span = c.span();
            let c = c.get_ref();
            let name = c.name.get_ref().trim().to_string();
            if name.is_empty() {
                return Err(self.err(c.name.span(), "a check's `name` is empty"));
            }
            if !names.insert(name.clone()) {
                return Err(self.err(c.name.span(), format!("two checks are named '{name}'")));
            }
            let likely = match &c.likely {
                None => None,
                Some(t) => {
                    let v = *t.get_ref();
                    if !(v > 0.0 && v <= 1.0) {
                        return Err(self.err(
                            t.span(),
                            format!(
                                "check '{name}': `likely` is the fraction of runs that must pass, in (0, 1], not {v}"
                            ),
                        ));
                    }
                    Some(v)
                }
            };
            let rule = self.rule(c, &name, span)?;
            checks.push(Check { name, likely, rule });
        }
        if checks.is_empty() {
            return Err(self.err(raw.name.span(), "the spec has no [[check]]"));
        }
        Ok(Spec {
            name: raw.name.into_inner().trim().to_string(),
            description: raw.description,
            origin: self.origin.to_string(),
            lines: self.lines,
            params: self.params,
            checks,
        })
    }

    fn rule(&self, c: &RawCheck, name: &str, span: Range<usize>) -> Res<Rule> {
        let kind = c.kind.get_ref().as_str();
        let allowed: &[&str] = match kind {
            "count" => &["line", "per", "values", "exactly", "min", "max"],
            "order" => &["before", "after", "per"],
            "first" | "last" => &["line"],
            "sequence" => &["line", "capture", "values"],
            "relation" => &["left", "op", "right"],
            "open" => &["open", "close", "key", "min", "max"],
            "distinct" => &["line", "capture", "min", "max"],
            "range" => &["line", "capture", "min", "max", "scaled", "slack"],
            other => {
                return Err(self.err(
                    c.kind.span(),
                    format!(
                        "check '{name}': unknown type '{other}' (known: count, order, first, last, sequence, relation, open, distinct, range)"
                    ),
                ));
            }
        };
        for (field, fspan) in c.present() {
            if field != "likely" && !allowed.contains(&field) {
                return Err(self.err(
                    fspan,
                    format!("check '{name}': field `{field}` does not apply to a `{kind}` check"),
                ));
            }
        }
        let need = |f: &Option<Spanned<String>>, field: &str| -> Res<(String, Range<usize>)> {
            match f {
                Some(s) => Ok((s.get_ref().clone(), s.span())),
                None => Err(self.err(
                    span.clone(),
                    format!("check '{name}': a `{kind}` check needs `{field}`"),
                )),
            }
        };
        Ok(match kind {
            "count" => {
                let line = self.kind_of(&need(&c.line, "line")?, name)?;
                let per = self.opt_capture(line, &c.per, name)?;
                let values = match &c.values {
                    Some(v) if per.is_none() => {
                        return Err(self.err(
                            v.span(),
                            format!("check '{name}': `values` needs `per` (the capture they are values of)"),
                        ));
                    }
                    Some(v) => Some(self.values(v, name)?),
                    None => None,
                };
                let (min, max) = match &c.exactly {
                    Some(e) => {
                        if let Some(m) = c.min.as_ref().or(c.max.as_ref()) {
                            return Err(self.err(
                                m.span(),
                                format!("check '{name}': use either `exactly` or `min`/`max`"),
                            ));
                        }
                        let n = self.count_num(e, name)?;
                        (Some(n.clone()), Some(n))
                    }
                    None => (self.opt_count(&c.min, name)?, self.opt_count(&c.max, name)?),
                };
                if min.is_none() && max.is_none() {
                    return Err(self.err(
                        span,
                        format!("check '{name}': a `count` check needs `exactly`, `min` or `max`"),
                    ));
                }
                Rule::Count {
                    line,
                    per,
                    values,
                    min,
                    max,
                }
            }
            "order" => {
                let before = self.kind_of(&need(&c.before, "before")?, name)?;
                let after = self.kind_of(&need(&c.after, "after")?, name)?;
                let per = self.opt_capture(before, &c.per, name)?;
                if let Some(p) = &per {
                    self.capture_in(after, p, c.per.as_ref().map(|s| s.span()), name)?;
                }
                Rule::Order { before, after, per }
            }
            "first" => Rule::First {
                line: self.kind_of(&need(&c.line, "line")?, name)?,
            },
            "last" => Rule::Last {
                line: self.kind_of(&need(&c.line, "line")?, name)?,
            },
            "sequence" => {
                let line = self.kind_of(&need(&c.line, "line")?, name)?;
                let (capture, cspan) = need(&c.capture, "capture")?;
                self.capture_in(line, &capture, Some(cspan), name)?;
                let values = match &c.values {
                    Some(v) => self.values(v, name)?,
                    None => {
                        return Err(self.err(
                            span,
                            format!("check '{name}': a `sequence` check needs `values`"),
                        ));
                    }
                };
                Rule::Sequence {
                    line,
                    capture,
                    values,
                }
            }
            "relation" => {
                let (left, lspan) = need(&c.left, "left")?;
                let left = self.operand(&left, lspan, name)?;
                let (op, ospan) = need(&c.op, "op")?;
                let op = match op.as_str() {
                    "==" => Op::Eq,
                    "!=" => Op::Ne,
                    "in" => Op::In,
                    "not in" => Op::NotIn,
                    other => {
                        return Err(self.err(
                            ospan,
                            format!(
                                "check '{name}': unknown op '{other}' (known: ==, !=, in, not in)"
                            ),
                        ));
                    }
                };
                let Some(right) = &c.right else {
                    return Err(self.err(
                        span,
                        format!("check '{name}': a `relation` check needs `right`"),
                    ));
                };
                let rspan = right.span();
                let words: Vec<&String> = match right.get_ref() {
                    RawRight::One(s) => vec![s],
                    RawRight::Many(v) => v.iter().collect(),
                };
                if words.is_empty() {
                    return Err(self.err(rspan, format!("check '{name}': `right` is empty")));
                }
                if words.len() > 1 && matches!(op, Op::Eq | Op::Ne) {
                    return Err(self.err(
                        rspan,
                        format!("check '{name}': a list on the right needs op `in` or `not in`"),
                    ));
                }
                let right = words
                    .into_iter()
                    .map(|w| self.operand(w, rspan.clone(), name))
                    .collect::<Res<Vec<_>>>()?;
                Rule::Relation { left, op, right }
            }
            "open" => {
                let open = self.kind_of(&need(&c.open, "open")?, name)?;
                let close = self.kind_of(&need(&c.close, "close")?, name)?;
                let (key, kspan) = need(&c.key, "key")?;
                self.capture_in(open, &key, Some(kspan.clone()), name)?;
                self.capture_in(close, &key, Some(kspan), name)?;
                let min = self.opt_count(&c.min, name)?;
                let max = self.opt_count(&c.max, name)?;
                if min.is_none() && max.is_none() {
                    return Err(self.err(
                        span,
                        format!("check '{name}': an `open` check needs `max` (a bound) or `min` (a peak to reach)"),
                    ));
                }
                Rule::Open {
                    open,
                    close,
                    key,
                    max,
                    min,
                }
            }
            "distinct" => {
                let line = self.kind_of(&need(&c.line, "line")?, name)?;
                let (capture, cspan) = need(&c.capture, "capture")?;
                self.capture_in(line, &capture, Some(cspan), name)?;
                let min = self.opt_count(&c.min, name)?;
                let max = self.opt_count(&c.max, name)?;
                if min.is_none() && max.is_none() {
                    return Err(self.err(
                        span,
                        format!("check '{name}': a `distinct` check needs `max` or `min`"),
                    ));
                }
                Rule::Distinct {
                    line,
                    capture,
                    max,
                    min,
                }
            }
            _ => {
                // "range"
                let line = self.kind_of(&need(&c.line, "line")?, name)?;
                let (capture, cspan) = need(&c.capture, "capture")?;
                self.capture_in(line, &capture, Some(cspan), name)?;
                let float = |f: &Option<Spanned<RawNum>>, field: &str| -> Res<Real> {
                    match f.as_ref().map(|s| (s.get_ref(), s.span())) {
                        Some((RawNum::Int(i), _)) => Ok(Real::Lit(*i as f64)),
                        Some((RawNum::Float(x), _)) if x.is_finite() => Ok(Real::Lit(*x)),
                        // As every other numeric field: a parameter's name in its place.
                        Some((RawNum::Word(w), s)) => match self.param(w, s, name)? {
                            Num::Param(p) => Ok(Real::Param(p)),
                            Num::Lit(i) => Ok(Real::Lit(i as f64)),
                        },
                        Some((_, s)) => Err(self.err(
                            s,
                            format!(
                                "check '{name}': `{field}` of a `range` check must be a number or a parameter name"
                            ),
                        )),
                        None => Err(self.err(
                            span.clone(),
                            format!("check '{name}': a `range` check needs `{field}`"),
                        )),
                    }
                };
                let min = float(&c.min, "min")?;
                let max = float(&c.max, "max")?;
                if let (Real::Lit(lo), Real::Lit(hi)) = (&min, &max)
                    && lo > hi
                {
                    return Err(self.err(
                        span,
                        format!("check '{name}': `min` {lo} is above `max` {hi}"),
                    ));
                }
                let slack = match &c.slack {
                    Some(s) if !(s.get_ref().is_finite() && *s.get_ref() >= 0.0) => {
                        return Err(self.err(
                            s.span(),
                            format!("check '{name}': `slack` must be a number >= 0"),
                        ));
                    }
                    Some(s) => *s.get_ref(),
                    None => 0.0,
                };
                Rule::Range {
                    line,
                    capture,
                    min,
                    max,
                    scaled: c.scaled.as_ref().is_some_and(|s| *s.get_ref()),
                    slack,
                }
            }
        })
    }

    fn kind_of(&self, (name, span): &(String, Range<usize>), check: &str) -> Res<usize> {
        self.lines
            .iter()
            .position(|k| &k.name == name)
            .ok_or_else(|| {
                self.err(
                    span.clone(),
                    format!(
                        "check '{check}': unknown line kind '{name}' (known: {})",
                        self.lines
                            .iter()
                            .map(|k| k.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })
    }

    fn capture_in(
        &self,
        line: usize,
        capture: &str,
        span: Option<Range<usize>>,
        check: &str,
    ) -> Res<()> {
        let kind = &self.lines[line];
        if kind.captures.iter().any(|c| c == capture) {
            return Ok(());
        }
        Err(self.err(
            span.unwrap_or(0..0),
            format!(
                "check '{check}': line kind '{}' has no capture named '{capture}' (its captures: {})",
                kind.name,
                if kind.captures.is_empty() {
                    "none".to_string()
                } else {
                    kind.captures.join(", ")
                }
            ),
        ))
    }

    fn opt_capture(
        &self,
        line: usize,
        f: &Option<Spanned<String>>,
        check: &str,
    ) -> Res<Option<String>> {
        match f {
            None => Ok(None),
            Some(s) => {
                self.capture_in(line, s.get_ref(), Some(s.span()), check)?;
                Ok(Some(s.get_ref().clone()))
            }
        }
    }

    fn param(&self, word: &str, span: Range<usize>, check: &str) -> Res<Num> {
        if self.params.contains_key(word) {
            Ok(Num::Param(word.to_string()))
        } else {
            Err(self.err(
                span,
                format!("check '{check}': unknown parameter '{word}' (declare it under [params])"),
            ))
        }
    }

    fn count_num(&self, n: &Spanned<RawNum>, check: &str) -> Res<Num> {
        match n.get_ref() {
            RawNum::Int(i) if *i >= 0 => Ok(Num::Lit(*i)),
            RawNum::Word(w) => self.param(w, n.span(), check),
            _ => Err(self.err(
                n.span(),
                format!("check '{check}': expected a whole number >= 0 or a parameter name"),
            )),
        }
    }

    fn opt_count(&self, n: &Option<Spanned<RawNum>>, check: &str) -> Res<Option<Num>> {
        n.as_ref().map(|n| self.count_num(n, check)).transpose()
    }

    fn values(&self, v: &Spanned<RawValues>, check: &str) -> Res<Values> {
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
                    return Err(self.err(
                        v.span(),
                        format!("check '{check}': `values` is a list or a range like \"0..5\" or \"1..=n\", not '{w}'"),
                    ));
                };
                let bound = |s: &str| -> Res<Num> {
                    let s = s.trim();
                    match s.parse::<i64>() {
                        Ok(i) => Ok(Num::Lit(i)),
                        Err(_) => self.param(s, v.span(), check),
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

    fn operand(&self, word: &str, span: Range<usize>, check: &str) -> Res<Operand> {
        match word {
            "main_pid" => return Ok(Operand::MainPid),
            "adopter_pid" => return Ok(Operand::AdopterPid),
            _ => {}
        }
        let Some((kind, capture)) = word.split_once('.') else {
            return Err(self.err(
                span,
                format!(
                    "check '{check}': '{word}' is neither KIND.CAPTURE nor main_pid / adopter_pid"
                ),
            ));
        };
        let line = self.kind_of(&(kind.to_string(), span.clone()), check)?;
        self.capture_in(line, capture, Some(span), check)?;
        Ok(Operand::Capture {
            line,
            capture: capture.to_string(),
        })
    }
}
