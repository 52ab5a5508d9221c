//! Grading: run a command many times under supervision and judge the runs against a spec.

use std::ffi::OsString;
use std::time::Duration;

use crate::error::GradeError;
use crate::judge::judge;
use crate::report::Report;
use crate::run::{RunConfig, become_subreaper, run_once};
use crate::spec::Spec;
use crate::spec::params::Params;

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

/// Makes this process the child subreaper of everything it runs (`PR_SET_CHILD_SUBREAPER`): a
/// port's orphans are then adopted by us (the spec's `adopter_pid`) and cannot escape
/// supervision. [`grade`] calls it; call it first thing when running ports with
/// [`run_once`](crate::run_once) directly. Idempotent.
///
/// Errors: [`GradeErrorKind::Os`](crate::GradeErrorKind::Os) when the kernel refuses, the errno
/// kept as the cause.
pub fn ensure_subreaper() -> Result<(), GradeError> {
    Ok(become_subreaper()?)
}

/// Runs `command` (program then arguments) `opts.runs` times and judges the runs against `spec`.
///
/// Errors: an option out of range or not fitting the spec, a command that cannot be started, or
/// the operating system failing the runner; whatever the command does is in the report instead.
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
    let mut cfg = RunConfig::new(program.clone(), args.to_vec());
    cfg.timeout = opts.timeout;
    if let Some(s) = opts.time_scale {
        cfg.env
            .push((TIME_SCALE_ENV.into(), OsString::from(s.to_string())));
    }
    let outcomes = (1..=opts.runs)
        .map(|i| run_once(&cfg, i))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(judge(spec, &params, &outcomes))
}
