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

use std::collections::HashMap;
use std::ffi::OsString;

use serde::Serialize;
use tracer::{Choice, Decision};

use crate::error::GradeError;
use crate::grade::{GradeOptions, grade_runs};
use crate::report::{CheckKind, CheckStatus};
use crate::spec::Spec;

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

/// The string of a schedule: `DECISION:TASK` pairs joined by commas (`3:1,7:2.1`), or `none`.
pub fn schedule_string(choices: &[(usize, Choice)]) -> String {
    if choices.is_empty() {
        return "none".to_string();
    }
    choices
        .iter()
        .map(|(i, c)| format!("{i}:{c}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads a schedule string (see [`schedule_string`]); the message says what is wrong.
pub fn parse_schedule(text: &str) -> Result<Vec<(usize, Choice)>, String> {
    let text = text.trim();
    if text.is_empty() || text == "none" {
        return Ok(Vec::new());
    }
    let mut out: Vec<(usize, Choice)> = Vec::new();
    for part in text.split(',') {
        let (i, c) = part
            .trim()
            .split_once(':')
            .ok_or_else(|| part.to_string())?;
        let i: usize = i.trim().parse().map_err(|_| part.to_string())?;
        let c = c.trim();
        let label = !c.is_empty()
            && c.split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        if !label || out.iter().any(|(j, _)| *j == i) {
            return Err(part.to_string());
        }
        out.push((i, c.to_string()));
    }
    out.sort_by_key(|(i, _)| *i);
    Ok(out)
}

/// The decisions of a run that chose among options (a park ended by its valve chose nothing).
fn choice_points(decisions: &[Decision]) -> Vec<&Decision> {
    decisions.iter().filter(|d| !d.options.is_empty()).collect()
}

/// A run's schedule as the choices that differ from the defaults.
pub(crate) fn deviations(decisions: &[Decision]) -> Vec<(usize, Choice)> {
    choice_points(decisions)
        .iter()
        .enumerate()
        .filter(|(_, d)| d.chosen != d.default)
        .map(|(i, d)| (i, d.chosen.clone()))
        .collect()
}

/// One step of a schedule: a task released at a stop point (`w` a write to stdout, `e` to
/// stderr, `c` a creation, `s` a start, `z` a sleep, with its number).
type Step = (Choice, String);

/// Whether two steps commute: two tasks' writes to different streams.
fn independent(a: &Step, b: &Step) -> bool {
    let stream = |s: &Step| s.1.chars().next().filter(|c| *c == 'w' || *c == 'e');
    a.0 != b.0 && matches!((stream(a), stream(b)), (Some(x), Some(y)) if x != y)
}

/// The same steps in the one order every equivalent sequence has: at each place, of the steps
/// no dependent earlier step still precedes, the smallest.
fn canonical(steps: &[Step]) -> Vec<Step> {
    let mut left: Vec<Step> = steps.to_vec();
    let mut out = Vec::with_capacity(left.len());
    while !left.is_empty() {
        let pick = (0..left.len())
            .filter(|&i| left[..i].iter().all(|e| independent(e, &left[i])))
            .min_by(|&i, &j| left[i].cmp(&left[j]))
            .unwrap_or(0);
        out.push(left.remove(pick));
    }
    out
}

/// Marks the state after `steps`, reached with `preemptions`, as explored; false when an
/// equivalent state was reached before with as few preemptions or fewer.
fn first_visit(seen: &mut HashMap<Vec<Step>, u32>, steps: &[Step], preemptions: u32) -> bool {
    let key = canonical(steps);
    match seen.get(&key) {
        Some(&p) if p <= preemptions => false,
        _ => {
            seen.insert(key, preemptions);
            true
        }
    }
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
    let mut report = ExploreReport {
        example: String::new(),
        preemptions: how.preemptions,
        runs: 0,
        skipped: 0,
        decisions: 0,
        covered: false,
        capped: false,
        diverged: 0,
        forced: 0,
        failing: None,
    };
    // Schedules to run, each as its choices from decision 0.
    let mut stack: Vec<Vec<Choice>> = vec![Vec::new()];
    let mut seen: HashMap<Vec<Step>, u32> = HashMap::new();
    while let Some(prefix) = stack.pop() {
        if report.runs >= how.max_runs {
            report.capped = true;
            break;
        }
        report.runs += 1;
        progress(report.runs, stack.len());
        let mut one = opts.clone();
        one.runs = 1;
        one.all_runs = true;
        one.confidence = None;
        one.reference = None;
        one.seed = None;
        one.schedule = Some(prefix.iter().cloned().enumerate().collect());
        let (graded, outcomes) = grade_runs(spec, &one, command, &mut |_| {})?;
        let Some(run) = outcomes.first() else {
            continue;
        };
        if !run.tracing.is_on() {
            return Err(GradeError::Option(i18n::tr!(
                i18n::Lang::current(),
                "explore-needs-trace",
                why = match &run.tracing {
                    crate::Tracing::Refused(why) | crate::Tracing::Incomplete(why) => why.clone(),
                    crate::Tracing::On | crate::Tracing::Off => "--no-trace".to_string(),
                }
            )));
        }
        let points = choice_points(&run.schedule.decisions);
        report.decisions = report.decisions.max(points.len());
        if run.schedule.missed.is_some() {
            report.diverged += 1;
        }
        if run.schedule.decisions.iter().any(|d| d.forced) {
            report.forced += 1;
        }
        let failed: Vec<&crate::report::CheckReport> = graded
            .checks
            .iter()
            .filter(|c| c.kind == CheckKind::Guaranteed && c.status == CheckStatus::Failed)
            .collect();
        if !failed.is_empty() {
            report.failing = Some(FailingOrder {
                run: report.runs,
                schedule: schedule_string(&deviations(&run.schedule.decisions)),
                order: crate::run_facts::order_of(&run.schedule.decisions),
                checks: failed.iter().map(|c| c.shown().to_string()).collect(),
                message: failed
                    .first()
                    .and_then(|c| c.failures.first())
                    .map(|f| f.message.clone())
                    .unwrap_or_default(),
            });
            break;
        }
        // The steps this run took, to tell a new schedule from an equivalent one.
        let steps: Vec<Step> = points
            .iter()
            .map(|d| (d.chosen.clone(), d.at.clone()))
            .collect();
        let mut preemptions = 0;
        for (j, d) in points.iter().enumerate() {
            first_visit(&mut seen, &steps[..j], preemptions);
            preemptions += u32::from(d.preempts);
        }
        first_visit(&mut seen, &steps, preemptions);
        let mut children = Vec::new();
        let mut preemptions = 0;
        for (j, d) in points.iter().enumerate() {
            if j >= prefix.len() {
                for (k, alt) in d.options.iter().enumerate() {
                    if *alt == d.chosen {
                        continue;
                    }
                    let cost =
                        preemptions + u32::from(d.current.as_ref().is_some_and(|c| c != alt));
                    if cost > how.preemptions {
                        continue;
                    }
                    let mut taken: Vec<Step> = steps[..j].to_vec();
                    taken.push((alt.clone(), d.stops.get(k).cloned().unwrap_or_default()));
                    if !first_visit(&mut seen, &taken, cost) {
                        report.skipped += 1;
                        continue;
                    }
                    let mut child: Vec<Choice> =
                        points[..j].iter().map(|d| d.chosen.clone()).collect();
                    child.push(alt.clone());
                    children.push(child);
                }
            }
            preemptions += u32::from(d.preempts);
        }
        // Depth first: the deepest new decision's options next.
        stack.extend(children);
    }
    report.covered = !report.capped && report.failing.is_none() && report.diverged == 0;
    Ok(report)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn step(t: &str, at: &str) -> Step {
        (t.to_string(), at.to_string())
    }

    #[test]
    fn schedule_strings_round_trip_and_bad_ones_are_refused() {
        let s = vec![
            (3, "1".to_string()),
            (7, "0".to_string()),
            (9, "2.1".into()),
        ];
        assert_eq!(schedule_string(&s), "3:1,7:0,9:2.1");
        assert_eq!(parse_schedule("3:1, 7:0,9:2.1"), Ok(s));
        assert_eq!(parse_schedule("none"), Ok(Vec::new()));
        assert_eq!(schedule_string(&[]), "none");
        for bad in ["3", "x:1", "3:a", "3:1,3:2", "3:1.", "-1:1", "3:-"] {
            assert!(parse_schedule(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn writes_to_different_streams_commute_and_nothing_else() {
        let a = [step("1", "w1"), step("2", "e1")];
        let b = [step("2", "e1"), step("1", "w1")];
        assert_eq!(canonical(&a), canonical(&b));
        let c = [step("1", "w1"), step("2", "w1")];
        let d = [step("2", "w1"), step("1", "w1")];
        assert_ne!(canonical(&c), canonical(&d), "one stream: the order shows");
        let e = [step("1", "s1"), step("2", "e1")];
        let f = [step("2", "e1"), step("1", "s1")];
        assert_ne!(canonical(&e), canonical(&f), "a start may do anything");
    }

    #[test]
    fn deviations_are_the_choices_off_the_default() {
        let d = |options: &[&str], chosen: &str, default: &str| Decision {
            options: options.iter().map(|s| s.to_string()).collect(),
            stops: Vec::new(),
            chosen: chosen.into(),
            at: String::new(),
            current: None,
            default: default.into(),
            preempts: false,
            forced: false,
        };
        let run = [
            d(&["0", "1"], "0", "0"),
            d(&[], "1", "1"),
            d(&["0", "2"], "2", "0"),
            d(&["1"], "1", "1"),
        ];
        assert_eq!(deviations(&run), [(1, "2".to_string())]);
    }
}
