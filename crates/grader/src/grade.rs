//! Grading: run a command many times under supervision and judge the runs against a spec.

use std::ffi::OsString;
use std::time::Duration;

use crate::error::GradeError;
use crate::fencing::{GradeFence, fence_status, notes};
use crate::judge::{DiffWith, Grading, Judging};
use crate::outcome::RunOutcome;
use crate::pair::pair_command;
use crate::report::Report;
use crate::run::{RunConfig, StdoutKind, become_subreaper, command_dirs, preflight, run_once};
use crate::say::say;
use crate::spec::Spec;
use crate::spec::params::Params;
use crate::writer::Tracing;
use crate::{settle, shaking};

/// The environment variable every demo multiplies its sleeps by.
pub const TIME_SCALE_ENV: &str = "MULTITASK_TIME_SCALE";
/// The environment variable that fixes every random draw of a demo: an integer (as the demos
/// and `multitask::check_knobs` read it).
pub const SEED_ENV: &str = "MULTITASK_SEED";
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
    pub scheduler: crate::shaking::Scheduler,
    /// PCT's depth `d` (`--depth`, default 2).
    pub depth: u32,
    /// PCT's `k`, fixed (`--points`: a replay gives the failing run's); learned from the runs
    /// when `None`.
    pub points: Option<u64>,
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
            scheduler: crate::shaking::Scheduler::Pct,
            depth: 2,
            points: None,
            schedule: None,
            confidence: None,
            stdout: StdoutKind::Pty,
            fence: Some(GradeFence::default()),
            pair: false,
            pair_after: None,
            all_runs: false,
        }
    }
}

/// The time scale the spec's ranges are judged at: the option's, else the environment's, else
/// 1. A time scale from the environment must be a positive number up to [`TIME_SCALE_MAX`].
fn effective_time_scale(opts: &GradeOptions) -> Result<f64, GradeError> {
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

/// Where a grading is, told before and after each run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Run `run` (from 1) of `runs` starts; `passed` of the runs before it passed.
    Started {
        /// The run about to start, from 1.
        run: usize,
        /// How many runs the grading makes.
        runs: usize,
        /// How many earlier runs failed no guaranteed check.
        passed: usize,
    },
    /// Run `run` of `runs` ended after `elapsed`; `passed` runs so far passed, this one included.
    Ended {
        /// The run that ended, from 1.
        run: usize,
        /// How many runs the grading makes.
        runs: usize,
        /// How many runs so far failed no guaranteed check.
        passed: usize,
        /// How long the run took.
        elapsed: Duration,
    },
}

/// Runs `command` (program then arguments) `opts.runs` times and judges the runs against `spec`.
///
/// Errors: an option out of range or not fitting the spec, a command that cannot be started, or
/// the operating system failing the runner; whatever the command does is in the report instead.
pub fn grade(spec: &Spec, opts: &GradeOptions, command: &[OsString]) -> Result<Report, GradeError> {
    grade_with_progress(spec, opts, command, &mut |_| {})
}

/// As [`grade`], telling `progress` before and after each run (for a progress line).
pub fn grade_with_progress(
    spec: &Spec,
    opts: &GradeOptions,
    command: &[OsString],
    progress: &mut dyn FnMut(Progress),
) -> Result<Report, GradeError> {
    grade_runs(spec, opts, command, progress).map(|(report, _)| report)
}

/// As [`grade_with_progress`], also giving every run's outcome, in order (for pictures of the
/// runs: [`run_timeline`](crate::run_timeline)).
pub fn grade_runs(
    spec: &Spec,
    opts: &GradeOptions,
    command: &[OsString],
    progress: &mut dyn FnMut(Progress),
) -> Result<(Report, Vec<RunOutcome>), GradeError> {
    let original = command;
    let paired;
    let command = if opts.pair {
        paired = pair_command(command, opts.pair_after.is_some())?;
        &paired[..]
    } else {
        command
    };
    let Some((program, args)) = command.split_first() else {
        return Err(GradeError::Option(say!("opt-no-command")));
    };
    if opts.pair_after.is_some() && !opts.pair {
        return Err(GradeError::Option(say!("opt-pair-after")));
    }
    check_options(opts)?;
    let scale = effective_time_scale(opts)?;
    let params = Params::resolve(spec, &opts.params, scale)?;
    ensure_subreaper()?;
    let mut cfg = RunConfig::new(program.clone(), args.to_vec());
    cfg.timeout = opts.timeout;
    cfg.fence = fence_options(opts, original)?;
    cfg.pair_after = opts.pair_after.clone();
    if opts.pair {
        for part in original.split(|a| a == "--") {
            if let Some(program) = part.first() {
                check_program(program, cfg.fence.as_ref())?;
            }
        }
    } else {
        check_program(program, cfg.fence.as_ref())?;
    }
    preflight(&cfg)?;
    cfg.trace = opts.trace;
    cfg.stdout = opts.stdout;
    if let Some(s) = opts.time_scale {
        cfg.env
            .push((TIME_SCALE_ENV.into(), OsString::from(s.to_string())));
    }
    let mut plan = shaking::Plan::new(opts.shake, opts.seed, scale)
        .with(opts.scheduler, opts.depth, opts.timeout)
        .with_points(opts.points);
    let reference = match opts.reference.as_deref() {
        Some([program, args @ ..]) => {
            let mut rcfg = cfg.clone();
            rcfg.program = program.clone();
            rcfg.args = args.to_vec();
            Some(run_once(&rcfg, 0)?)
        }
        _ => None,
    };
    let mut outcomes = Vec::with_capacity(opts.runs);
    let mut judging = Judging::new(spec, &params);
    let mut passed = 0;
    let mut refused: Option<Tracing> = None;
    let mut settled = settle::Settled::default();
    for run in 1..=opts.runs {
        progress(Progress::Started {
            run,
            runs: opts.runs,
            passed,
        });
        cfg.shake = plan.shake(run);
        if let Some(choices) = &opts.schedule {
            cfg.shake = None;
            cfg.explore = Some(tracer::Explore {
                choices: choices.clone(),
                max_park: shaking::MAX_PARK,
                budget: opts.timeout / 2,
            });
        }
        let mut outcome = run_once(&cfg, run)?;
        if let Some(r) = &refused {
            outcome.tracing = r.clone();
        } else if let Tracing::Refused(_) = outcome.tracing {
            // Refused once, refused always: the rest of the runs go untraced at once.
            refused = Some(outcome.tracing.clone());
            cfg.trace = false;
        }
        // A run passes when it fails no guaranteed check; likely ones need all the runs.
        if settled.add(&judging.add(&outcome)) {
            passed += 1;
        }
        progress(Progress::Ended {
            run,
            runs: opts.runs,
            passed,
            elapsed: outcome.elapsed,
        });
        plan.observe(&outcome.schedule);
        outcomes.push(outcome);
        if (settled.twice && !opts.all_runs && run < opts.runs)
            || settle::confident(opts, spec, &params, &outcomes)
        {
            break;
        }
    }
    let mut fence = fence_status(opts.fence.as_ref())?;
    if opts.fence.is_some() && opts.trace {
        fence.push_str("; ");
        fence.push_str(crate::trace_refusals::REFUSED_BY_THE_TRACE);
    }
    // The fence's notes, then a call the trace refused (the checks add runs that could not
    // judge one).
    let mut run_notes = notes(&outcomes, opts.fence.as_ref());
    run_notes.extend(outcomes.iter().find_map(crate::trace_refusals::run_note));
    let report = judging.finish(Grading {
        runs: &outcomes,
        planned: opts.runs,
        diff: DiffWith::beside(reference.as_ref()),
        fence,
        notes: run_notes,
    });
    Ok((report, outcomes))
}

/// Fails with "command not found" before any run when `program` names no file: a path that
/// does not exist, or a name in none of the run's PATH folders (the fence's PATH when fenced).
fn check_program(
    program: &OsString,
    fence: Option<&fence::FenceOptions>,
) -> Result<(), GradeError> {
    use std::path::Path;
    let found = if Path::new(program).components().count() > 1 {
        Path::new(program).exists()
    } else {
        let path = match fence {
            Some(f) => Some(f.path.clone()),
            None => std::env::var_os("PATH"),
        };
        path.is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
    };
    if found && !Path::new(program).is_dir() {
        Ok(())
    } else {
        // spawn's message says which: not found, or a directory.
        Err(crate::run::RunError::spawn(
            program,
            std::io::Error::from(std::io::ErrorKind::NotFound),
        )
        .into())
    }
}

/// The fence options of every run: the grading's limits and readable paths, plus the folders
/// of a pair's two programs (a single command's are found per run). A pair needs the fence's
/// network namespace: it is what gives the run a port 5000 of its own.
fn fence_options(
    opts: &GradeOptions,
    original: &[OsString],
) -> Result<Option<fence::FenceOptions>, GradeError> {
    let Some(fence) = &opts.fence else {
        if opts.pair {
            return Err(GradeError::Option(say!("opt-pair-fence")));
        }
        return Ok(None);
    };
    let mut options = fence.options()?;
    // CPU time per process: no more than the run may last (a spinning process is stopped by
    // the kernel even where the grader's clock is late).
    options.cpu_time = Some(opts.timeout);
    if opts.pair {
        if let Err(why) = fence::probe().namespaces {
            return Err(GradeError::Option(say!(
                "opt-pair-namespace",
                why = why.to_string()
            )));
        }
        for part in original.split(|a| a == "--") {
            if let Some((program, args)) = part.split_first() {
                for dir in command_dirs(program, args.iter().map(|a| a.as_os_str())) {
                    if !options.read_only.contains(&dir) {
                        options.read_only.push(dir);
                    }
                }
            }
        }
    }
    Ok(Some(options))
}
