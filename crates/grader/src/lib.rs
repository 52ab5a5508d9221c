//! Grades a port of one of the notes' programs by its output over many runs.
//!
//! A [`Spec`] (TOML, see `SPEC.md`) says what a correct program's output guarantees and what it
//! only likely shows; [`run::run_once`] executes a port once under process-tree supervision and
//! yields a [`RunOutcome`]; [`judge`] holds the outcomes against the spec and gives a [`Report`].
//! [`grade`] does both, for the `grade` command and for tests:
//!
//! ```no_run
//! use grader::{grade, GradeOptions, Spec};
//! let spec = Spec::builtin("pool")?;
//! let opts = GradeOptions { runs: 20, time_scale: Some(0.01), ..GradeOptions::default() };
//! let report = grade(&spec, &opts, &["target/debug/pool-demo".into()])?;
//! assert!(report.passed, "{}", report.text(false));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod check;
pub mod outcome;
pub mod report;
pub mod run;
mod spec;

use std::ffi::OsString;
use std::sync::OnceLock;
use std::time::Duration;

pub use check::{
    EXIT_CHECK, LEFT_BEHIND_CHECK, LINES_CHECK, OUTPUT_LIMIT_CHECK, TIMEOUT_CHECK, judge,
};
pub use outcome::RunOutcome;
pub use report::{CheckKind, CheckReport, Failure, Format, Report};
pub use spec::{ParamError, Params, Spec, SpecError, SpecErrorKind};

/// The environment variable every demo multiplies its sleeps by.
pub const TIME_SCALE_ENV: &str = "MULTITASK_TIME_SCALE";

/// How to grade: the `grade` command's options.
#[derive(Debug, Clone, PartialEq)]
pub struct GradeOptions {
    /// How many times to run the command (at least 1).
    pub runs: usize,
    /// Limit per run; the whole process tree is killed past it.
    pub timeout: Duration,
    /// Sets `MULTITASK_TIME_SCALE` for the command and scales the spec's time ranges. `None`:
    /// the command inherits the environment, and ranges use its `MULTITASK_TIME_SCALE` or 1.
    pub time_scale: Option<f64>,
    /// Spec parameters, `K=V` as (K, V).
    pub params: Vec<(String, String)>,
}

impl Default for GradeOptions {
    fn default() -> Self {
        GradeOptions {
            runs: 10,
            timeout: Duration::from_secs(30),
            time_scale: None,
            params: Vec::new(),
        }
    }
}

/// What kind of reason stopped a grading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GradeErrorKind {
    /// The spec is malformed or the example unknown.
    Spec,
    /// A parameter, the time scale or another option cannot be used.
    Option,
    /// The command could not be run.
    Run,
}

/// The grading itself could not be done (exit status 2 of `grade`).
#[derive(Debug, thiserror::Error)]
pub enum GradeError {
    #[error("{0}")]
    Spec(#[from] SpecError),
    #[error("{0}")]
    Param(#[from] ParamError),
    #[error("{0}")]
    Option(String),
    #[error("{0}")]
    Run(#[from] run::RunError),
}

impl GradeError {
    pub fn kind(&self) -> GradeErrorKind {
        match self {
            GradeError::Spec(_) => GradeErrorKind::Spec,
            GradeError::Param(_) | GradeError::Option(_) => GradeErrorKind::Option,
            GradeError::Run(_) => GradeErrorKind::Run,
        }
    }
}

/// The time scale the spec's ranges are judged at.
fn effective_time_scale(opts: &GradeOptions) -> Result<f64, GradeError> {
    match opts.time_scale {
        Some(s) => Ok(s),
        None => match std::env::var(TIME_SCALE_ENV) {
            Ok(v) => v.trim().parse::<f64>().map_err(|_| {
                GradeError::Option(format!(
                    "{TIME_SCALE_ENV}={v:?} in the environment is not a number"
                ))
            }),
            Err(_) => Ok(1.0),
        },
    }
}

/// Makes this process the child subreaper of everything it runs, once per process: a port's
/// orphans are then adopted by us (the spec's `adopter_pid`) and cannot escape supervision.
/// [`grade`] calls it; call it first thing when running ports with [`run::run_once`] directly.
pub fn ensure_subreaper() -> Result<(), GradeError> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| run::become_subreaper().map_err(|e| e.to_string()))
        .clone()
        .map_err(GradeError::Option)
}

/// Runs `command` (program then arguments) `opts.runs` times and judges the runs against `spec`.
pub fn grade(spec: &Spec, opts: &GradeOptions, command: &[OsString]) -> Result<Report, GradeError> {
    let Some((program, args)) = command.split_first() else {
        return Err(GradeError::Option("no command to grade".into()));
    };
    if opts.runs == 0 {
        return Err(GradeError::Option("--runs must be at least 1".into()));
    }
    if opts.timeout.is_zero() {
        return Err(GradeError::Option("--timeout must be above 0".into()));
    }
    let params = Params::resolve(spec, &opts.params, effective_time_scale(opts)?)?;
    ensure_subreaper()?;
    let mut cfg = run::RunConfig::new(program.clone(), args.to_vec());
    cfg.timeout = opts.timeout;
    if let Some(s) = opts.time_scale {
        cfg.env
            .push((TIME_SCALE_ENV.into(), OsString::from(s.to_string())));
    }
    let outcomes = (1..=opts.runs)
        .map(|i| run::run_once(&cfg, i))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(judge(spec, &params, &outcomes))
}
