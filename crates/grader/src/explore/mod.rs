//! `grade explore`: every order of a small run's stop points up to a preemption bound, as CHESS
//! (Musuvathi and Qadeer, PLDI 2007) and loom explore them, from outside the program.
//!
//! A run's schedule is the list of its decisions (see [`tracer::Decision`]): at each, with every
//! task parked at a stop point (a write, a start, a creation, a sleep) or waiting for another,
//! which task goes on. A first run takes the default at every decision (the task that went on
//! last, if it is parked there; else the first parked one). Then, depth first, for each decision of each run past the choices it was given, each
//! other option becomes a new schedule: the run's choices up to there, then that option, then
//! defaults (stateless model checking: the program is run again from the start for each). An
//! option preempts when the task that went on last was parked there too; a schedule with more
//! preemptions than the bound is not run. Two schedules whose steps differ only in the order of
//! independent steps (two tasks' writes to different streams) are one: the second is skipped.
//!
//! Every run is judged against the spec's guaranteed checks; the first one that fails one ends
//! the exploration, and its schedule string (the choices that differ from the defaults,
//! `DECISION:TASK,...`) replays it: `grade EXAMPLE --schedule STRING -- COMMAND`.

mod space;

use std::ffi::OsString;

use serde::Serialize;
use tracer::Choice;

use crate::grade::error::GradeError;
use crate::grade::{GradeOptions, grade_runs};
use crate::outcome::RunOutcome;
use crate::outcome::writer::Tracing;
use crate::run::{choice_points, deviations, schedule_string};
use crate::spec::Spec;
use crate::verdict::report::{CheckKind, CheckReport, CheckStatus, Report};
use space::{Seen, children};

/// How far to explore.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExploreOptions {
    /// The most preemptions a schedule may have (`--preemptions`, default 2).
    pub preemptions: u32,
    /// The most runs (`--max-runs`): past it the exploration stops and says so.
    pub max_runs: usize,
}

impl Default for ExploreOptions {
    fn default() -> Self {
        ExploreOptions {
            preemptions: 2,
            max_runs: 500,
        }
    }
}

/// The order that broke a guaranteed check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FailingOrder {
    /// Which run of the exploration it was (from 1).
    pub run: usize,
    /// Its schedule string: `--schedule` replays it.
    pub schedule: String,
    /// Its stop points in the order they went on (`TASK@POINT ...`, see
    /// [`ShakenRun::order`](crate::ShakenRun::order)).
    pub order: String,
    /// The guaranteed checks it failed.
    pub checks: Vec<String>,
    /// The first failed check's message.
    pub message: String,
}

/// What an exploration did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExploreReport {
    /// The example explored.
    pub example: String,
    /// The preemption bound.
    pub preemptions: u32,
    /// How many orders were run.
    pub runs: usize,
    /// How many orders were skipped as equivalent to one run already (independent steps
    /// swapped).
    pub skipped: usize,
    /// The most decisions of one run.
    pub decisions: usize,
    /// Every order within the bound was run (or skipped as equivalent): no cap, no failure
    /// first, and every run followed its schedule.
    pub covered: bool,
    /// `--max-runs` stopped the exploration.
    pub capped: bool,
    /// Runs that could not follow their schedule (the program went another way: its timing,
    /// not the schedule, decided something).
    pub diverged: usize,
    /// Runs with a forced decision (a task kept running past the valve, or a park outlived
    /// its limit).
    pub forced: usize,
    /// The first order that broke a guaranteed check.
    pub failing: Option<FailingOrder>,
}

/// Explores `command`'s orders against `spec` with the grading options `opts` (its runs,
/// seed, shaking and reference are not used); `progress` is told the number of each run and
/// how many schedules wait.
///
/// Errors: as [`grade`](fn@crate::grade), and when the runs cannot be traced (an exploration
/// needs the trace).
pub fn explore(
    spec: &Spec,
    opts: &GradeOptions,
    command: &[OsString],
    how: ExploreOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ExploreReport, GradeError> {
    let mut report = ExploreReport::new(how.preemptions);
    // Schedules to run, each as its choices from decision 0.
    let mut stack: Vec<Vec<Choice>> = vec![Vec::new()];
    let mut seen = Seen::new();
    while let Some(prefix) = stack.pop() {
        if report.runs >= how.max_runs {
            report.capped = true;
            break;
        }
        report.runs += 1;
        progress(report.runs, stack.len());
        let (graded, outcomes) = grade_runs(spec, &one_run(opts, &prefix), command, &mut |_| {})?;
        let Some(run) = outcomes.first() else {
            continue;
        };
        check_traced(run)?;
        let points = choice_points(&run.schedule.decisions);
        report.count(run, points.len());
        if let Some(failing) = failing_order(&graded, run, report.runs) {
            report.failing = Some(failing);
            break;
        }
        // Depth first: the deepest new decision's options next.
        let skipped = &mut report.skipped;
        stack.extend(children(
            &points,
            &prefix,
            &mut seen,
            how.preemptions,
            skipped,
        ));
    }
    report.covered = !report.capped && report.failing.is_none() && report.diverged == 0;
    Ok(report)
}

/// The options of the one run that follows `prefix`'s choices (then the defaults).
fn one_run(opts: &GradeOptions, prefix: &[Choice]) -> GradeOptions {
    let mut one = opts.clone();
    one.runs = 1;
    one.all_runs = true;
    one.confidence = None;
    one.reference = None;
    one.seed = None;
    one.schedule = Some(prefix.iter().cloned().enumerate().collect());
    one
}

/// An exploration needs the trace: why this run has none is the error.
fn check_traced(run: &RunOutcome) -> Result<(), GradeError> {
    if run.tracing.is_on() {
        return Ok(());
    }
    Err(GradeError::Option(i18n::tr!(
        i18n::Lang::current(),
        "explore-needs-trace",
        why = match &run.tracing {
            Tracing::Refused(why) | Tracing::Incomplete(why) => why.clone(),
            Tracing::On | Tracing::Off => "--no-trace".to_string(),
        }
    )))
}

/// The order `run` (the exploration's run number `number`) took, if it broke a guaranteed
/// check of `graded`.
fn failing_order(graded: &Report, run: &RunOutcome, number: usize) -> Option<FailingOrder> {
    let failed: Vec<&CheckReport> = graded
        .checks
        .iter()
        .filter(|c| c.kind == CheckKind::Guaranteed && c.status == CheckStatus::Failed)
        .collect();
    if failed.is_empty() {
        return None;
    }
    Some(FailingOrder {
        run: number,
        schedule: schedule_string(&deviations(&run.schedule.decisions)),
        order: crate::verdict::facts::order_of(&run.schedule.decisions),
        checks: failed.iter().map(|c| c.shown().to_string()).collect(),
        message: failed
            .first()
            .and_then(|c| c.failures.first())
            .map(|f| f.message.clone())
            .unwrap_or_default(),
    })
}

impl ExploreReport {
    /// Nothing explored yet, within `preemptions`.
    fn new(preemptions: u32) -> Self {
        ExploreReport {
            example: String::new(),
            preemptions,
            runs: 0,
            skipped: 0,
            decisions: 0,
            covered: false,
            capped: false,
            diverged: 0,
            forced: 0,
            failing: None,
        }
    }

    /// Counts what `run` (with `points` choice points) did: its decisions, whether it followed
    /// its schedule, whether a decision was forced.
    fn count(&mut self, run: &RunOutcome, points: usize) {
        self.decisions = self.decisions.max(points);
        if run.schedule.missed.is_some() {
            self.diverged += 1;
        }
        if run.schedule.decisions.iter().any(|d| d.forced) {
            self.forced += 1;
        }
    }
}

impl ExploreReport {
    /// The text report.
    pub fn text(&self) -> String {
        let lang = i18n::Lang::current();
        let mut out = i18n::tr!(
            lang,
            "explore-summary",
            example = self.example.as_str(),
            runs = self.runs,
            bound = self.preemptions,
            decisions = self.decisions,
            skipped = self.skipped
        );
        out.push('\n');
        let coverage = if self.covered {
            i18n::tr!(lang, "explore-covered", bound = self.preemptions)
        } else if self.capped {
            i18n::tr!(lang, "explore-capped", runs = self.runs)
        } else if self.failing.is_some() {
            i18n::tr(lang, "explore-stopped-at-failure")
        } else {
            i18n::tr!(lang, "explore-diverged", runs = self.diverged)
        };
        out.push_str(&coverage);
        out.push('\n');
        if self.forced > 0 {
            out.push_str(&i18n::tr!(lang, "explore-forced", runs = self.forced));
            out.push('\n');
        }
        match &self.failing {
            None => out.push_str(&i18n::tr(lang, "explore-no-failure")),
            Some(f) => {
                out.push_str(&i18n::tr!(
                    lang,
                    "explore-failing",
                    run = f.run,
                    checks = f.checks.join("; "),
                    schedule = f.schedule.as_str(),
                    order = f.order.as_str()
                ));
                out.push('\n');
                out.push_str(&f.message);
            }
        }
        out.push('\n');
        out
    }

    /// The JSON report.
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into()) + "\n"
    }
}
