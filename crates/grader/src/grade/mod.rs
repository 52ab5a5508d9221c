//! Grading: run a command many times under supervision and judge the runs against a spec.
//!
//! [`grade_runs`] reads as its steps: the command and its options checked (`options`), what
//! every run shares set up (`setup`), the runs made one by one until the last or until the
//! verdict is settled (`settle`), and the verdict finished.

pub(crate) mod error;
pub(crate) mod fencing;
mod options;
pub(crate) mod pair;
mod settle;
mod setup;
pub(crate) mod trace_refusals;

use std::ffi::OsString;
use std::time::Duration;

use crate::grade::error::GradeError;
use crate::grade::fencing::{fence_status, notes};
use crate::outcome::RunOutcome;
use crate::outcome::writer::Tracing;
use crate::run::shaking;
use crate::run::{RunConfig, become_subreaper, run_once};
use crate::spec::Spec;
use crate::spec::params::Params;
use crate::verdict::judge::{DiffWith, Grading, Judging};
use crate::verdict::report::Report;
use options::effective_time_scale;
pub use options::{GradeOptions, TIME_SCALE_ENV, TIME_SCALE_MAX, TIMEOUT_MAX, check_options};
use settle::Settled;

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
    grade_runs(spec, opts, command, &mut |_| {}).map(|(report, _)| report)
}

/// As [`grade`], telling `progress` before and after each run (for a progress line), and also
/// giving every run's outcome, in order (for pictures of the runs:
/// [`run_timeline`](crate::run_timeline)).
pub fn grade_runs(
    spec: &Spec,
    opts: &GradeOptions,
    given: &[OsString],
    progress: &mut dyn FnMut(Progress),
) -> Result<(Report, Vec<RunOutcome>), GradeError> {
    let command = setup::command(opts, given)?;
    check_options(opts)?;
    let scale = effective_time_scale(opts)?;
    let params = Params::resolve(spec, &opts.params, scale)?;
    ensure_subreaper()?;
    let mut cfg = setup::run_config(opts, given, &command)?;
    cfg.cpu_at_lines = spec.cpu_at_lines();
    let plan = shaking::Plan::new(opts.shake, opts.seed, scale)
        .with(opts.scheduler, opts.depth, opts.timeout)
        .with_points(opts.points)
        .with_lead(opts.lead)
        .with_last(opts.last);
    let reference = setup::reference_run(opts, &cfg)?;
    let job = Job {
        spec,
        opts,
        params: &params,
    };
    let mut judging = Judging::new(spec, &params);
    let outcomes = job.run_all(cfg, plan, &mut judging, progress)?;
    let report = judging.finish(Grading {
        runs: &outcomes,
        planned: opts.runs,
        diff: DiffWith::beside(reference.as_ref()),
        fence: fence_said(opts)?,
        notes: run_notes(opts, &outcomes),
    });
    Ok((report, outcomes))
}

/// What a grading judges by: the spec, the options, the spec's parameters resolved.
struct Job<'g> {
    spec: &'g Spec,
    opts: &'g GradeOptions,
    params: &'g Params,
}

impl Job<'_> {
    /// Makes the runs one by one, each judged as it ends, until the last or until the verdict
    /// is settled; every run's outcome, in order.
    fn run_all(
        &self,
        mut cfg: RunConfig,
        mut plan: shaking::Plan,
        judging: &mut Judging,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Vec<RunOutcome>, GradeError> {
        let runs = self.opts.runs;
        let mut outcomes = Vec::with_capacity(runs);
        let mut passed = 0;
        let mut refused: Option<Tracing> = None;
        let mut settled = Settled::default();
        for run in 1..=runs {
            progress(Progress::Started { run, runs, passed });
            cfg.shake = plan.shake(run);
            if let Some(choices) = &self.opts.schedule {
                cfg.shake = None;
                cfg.explore = Some(tracer::Explore {
                    choices: choices.clone(),
                    max_park: shaking::MAX_PARK,
                    budget: self.opts.timeout / 2,
                });
            }
            let mut outcome = run_once(&cfg, run)?;
            carry_refusal(&mut outcome, &mut refused, &mut cfg);
            // A run passes when it fails no guaranteed check; likely ones need all the runs.
            if settled.add(&judging.add(&outcome)) {
                passed += 1;
            }
            let elapsed = outcome.elapsed;
            progress(Progress::Ended {
                run,
                runs,
                passed,
                elapsed,
            });
            plan.observe(&outcome.schedule, outcome.tasks.len());
            outcomes.push(outcome);
            if (settled.twice && !self.opts.all_runs && run < runs)
                || settle::confident(self.opts, self.spec, self.params, &outcomes)
            {
                break;
            }
        }
        Ok(outcomes)
    }
}

/// Tracing refused once is refused always: the rest of the runs go untraced at once, each
/// saying why.
fn carry_refusal(outcome: &mut RunOutcome, refused: &mut Option<Tracing>, cfg: &mut RunConfig) {
    if let Some(r) = refused {
        outcome.tracing = r.clone();
    } else if let Tracing::Refused(_) = outcome.tracing {
        *refused = Some(outcome.tracing.clone());
        cfg.trace = false;
    }
}

/// The fence of the runs, in words, for the report.
fn fence_said(opts: &GradeOptions) -> Result<String, GradeError> {
    let mut fence = fence_status(opts.fence.as_ref())?;
    if opts.fence.is_some() && opts.trace {
        fence.push_str("; ");
        fence.push_str(crate::grade::trace_refusals::REFUSED_BY_THE_TRACE);
    }
    Ok(fence)
}

/// The fence's notes, then a call the trace refused (the checks add runs that could not judge
/// one).
fn run_notes(opts: &GradeOptions, outcomes: &[RunOutcome]) -> Vec<String> {
    let mut run_notes = notes(outcomes, opts.fence.as_ref());
    run_notes.extend(
        outcomes
            .iter()
            .find_map(crate::grade::trace_refusals::run_note),
    );
    run_notes
}
