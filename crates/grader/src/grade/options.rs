//! How to grade: the options of a grading, and whether they can be used.

use std::ffi::OsString;
use std::time::Duration;

use crate::grade::error::GradeError;
use crate::grade::fencing::GradeFence;
use crate::run::StdoutKind;
use crate::words::say::say;

/// The environment variable every demo multiplies its sleeps by.
pub const TIME_SCALE_ENV: &str = "MULTITASK_TIME_SCALE";
/// The environment variable that fixes every random draw of a demo: an integer (as the demos
/// and `multitask::check_knobs` read it).
pub(crate) const SEED_ENV: &str = "MULTITASK_SEED";
/// The longest `--timeout` taken: a day per run.
pub const TIMEOUT_MAX: Duration = Duration::from_secs(24 * 60 * 60);
/// The largest time scale taken: past it a port's sleeps outlast any timeout.
pub const TIME_SCALE_MAX: f64 = 1000.0;

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
    /// A correct program (program then arguments) run once, to show the first failing run
    /// beside; without it, the first failing run is shown beside the spec's line kinds.
    pub reference: Option<Vec<OsString>>,
    /// Trace every run (`--no-trace`: false). When the system refuses, runs go untraced and
    /// the report says so; checks that need the trace are then "not checked".
    pub trace: bool,
    /// The share of runs whose schedule is shaken (`--shake`, 0 to 1; traced runs only).
    pub shake: f64,
    /// Shake every run, run k with seed `seed + k - 1` (`--seed`): replays a shaken run.
    pub seed: Option<u64>,
    /// How shaken runs are scheduled (`--scheduler`, default PCT).
    pub scheduler: crate::run::shaking::Scheduler,
    /// PCT's depth `d` (`--depth`, default 2).
    pub depth: u32,
    /// PCT's `k`, fixed (`--points`: a replay gives the failing run's); learned from the runs
    /// when `None`.
    pub points: Option<u64>,
    /// PCT's lead (the task, by the order tasks first reach a stop point, whose first priority
    /// is the highest), fixed (`--lead`: a replay gives the failing run's); moved from run to
    /// run over the tasks when `None`.
    pub lead: Option<u32>,
    /// PCT's last (the task, numbered as for `lead`, whose first priority is the lowest), fixed
    /// (`--last`: a replay gives the failing run's); moved with the lead when `None`.
    pub last: Option<u32>,
    /// Order every run's stop points by this explored schedule (`--schedule`, from `grade
    /// explore`): the choices that differ from the default, by decision number. It outranks
    /// `shake` and `seed`.
    pub schedule: Option<Vec<(usize, tracer::Choice)>>,
    /// Run until PCT's bound says a bug of depth at most `depth` would have shown with this
    /// probability (`--confidence`), `runs` being the ceiling.
    pub confidence: Option<f64>,
    /// The port's stdout: a pseudo-terminal (default) or a pipe (`--stdout pipe`).
    pub stdout: StdoutKind,
    /// The fence of every run (default on); `None` for `--no-fence`, which the report names.
    pub fence: Option<GradeFence>,
    /// The command is `MASTER [ARGS...] -- WORKER [ARGS...]`, two programs in one run, the
    /// worker started once the master listens (see `pair.rs`). Needs the fence's namespaces.
    pub pair: bool,
    /// With `pair`: the worker starts only once a stdout line starts with this text too
    /// (`--pair-after`, e.g. `Try get results`).
    pub pair_after: Option<String>,
    /// Make every run even once the verdict is settled (`--all-runs`). Without it the grading
    /// stops as soon as one guaranteed check has failed in two runs: the verdict is "failed"
    /// whatever the other runs do, and a port that never ends costs two timeouts, not ten.
    pub all_runs: bool,
    /// Variables every run gets beyond what it keeps of `grade`'s environment (`--env`; see
    /// `run/env.rs`): a run does not inherit the caller's environment.
    pub env: Vec<(OsString, OsString)>,
}

impl Default for GradeOptions {
    fn default() -> Self {
        GradeOptions {
            runs: 10,
            timeout: Duration::from_secs(30),
            time_scale: None,
            params: Vec::new(),
            reference: None,
            trace: true,
            shake: 0.5,
            seed: None,
            scheduler: crate::run::shaking::Scheduler::Pct,
            depth: 2,
            points: None,
            lead: None,
            last: None,
            schedule: None,
            confidence: None,
            stdout: StdoutKind::Pty,
            fence: Some(GradeFence::default()),
            pair: false,
            pair_after: None,
            all_runs: false,
            env: Vec::new(),
        }
    }
}

/// The time scale the spec's ranges are judged at: the option's, else the environment's, else
/// 1. A time scale from the environment must be a positive number up to [`TIME_SCALE_MAX`].
pub(super) fn effective_time_scale(opts: &GradeOptions) -> Result<f64, GradeError> {
    match opts.time_scale {
        Some(s) => Ok(s),
        None => match std::env::var(TIME_SCALE_ENV) {
            Ok(v) => match v.trim().parse::<f64>() {
                Ok(s) if s.is_finite() && s > 0.0 && s <= TIME_SCALE_MAX => Ok(s),
                _ => Err(GradeError::Option(say!(
                    "opt-env-time-scale",
                    name = TIME_SCALE_ENV,
                    value = format!("{v:?}"),
                    max = TIME_SCALE_MAX.to_string()
                ))),
            },
            Err(_) => Ok(1.0),
        },
    }
}

/// The knobs the port inherits from our environment and would refuse: one bad seed fails every
/// run of a correct port, so it is the grading that cannot be done.
fn check_environment() -> Result<(), GradeError> {
    match std::env::var_os(SEED_ENV) {
        None => Ok(()),
        Some(v) => match v.to_str().map(|s| s.trim().parse::<i64>()) {
            Some(Ok(_)) => Ok(()),
            _ => Err(GradeError::Option(say!(
                "opt-env-seed",
                name = SEED_ENV,
                value = format!("{v:?}")
            ))),
        },
    }
}

/// Fails unless `opts` can be used: at least one run, a timeout in (0, [`TIMEOUT_MAX`]], a time
/// scale in (0, [`TIME_SCALE_MAX`]].
pub fn check_options(opts: &GradeOptions) -> Result<(), GradeError> {
    if opts.runs == 0 {
        return Err(GradeError::Option(say!("opt-runs")));
    }
    if opts.timeout.is_zero() {
        return Err(GradeError::Option(say!("opt-timeout-zero")));
    }
    if opts.timeout > TIMEOUT_MAX {
        return Err(GradeError::Option(say!(
            "opt-timeout-max",
            max = TIMEOUT_MAX.as_secs().to_string()
        )));
    }
    if let Some(s) = opts.time_scale
        && !(s.is_finite() && s > 0.0 && s <= TIME_SCALE_MAX)
    {
        return Err(GradeError::Option(say!(
            "opt-time-scale",
            max = TIME_SCALE_MAX.to_string(),
            value = s.to_string()
        )));
    }
    if opts.reference.as_ref().is_some_and(Vec::is_empty) {
        return Err(GradeError::Option(say!("cli-reference-empty")));
    }
    if opts.depth == 0 {
        return Err(GradeError::Option(say!("opt-depth")));
    }
    if let Some(c) = opts.confidence
        && !(c.is_finite() && c > 0.0 && c < 1.0)
    {
        return Err(GradeError::Option(say!(
            "opt-confidence",
            value = c.to_string()
        )));
    }
    if !(opts.shake.is_finite() && (0.0..=1.0).contains(&opts.shake)) {
        return Err(GradeError::Option(say!(
            "opt-shake",
            value = opts.shake.to_string()
        )));
    }
    check_environment()?;
    effective_time_scale(opts).map(|_| ())
}
