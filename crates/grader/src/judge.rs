//! Judging runs against a spec: the built-in run checks, then each spec check on each run, and
//! likely checks against their threshold over all runs.

use std::time::Duration;

use crate::outcome::{Line, RunOutcome};
use crate::report::{CheckKind, CheckReport, CheckStatus, Failure, Report};
use crate::run_checks::RUN_CHECKS;
use crate::run_facts::RunFacts;
use crate::spec::Spec;
use crate::spec::params::Params;
use crate::spec::rule::{Ctx, classify};

/// Judges the outcomes of a port's runs against a spec, with the grading's parameters.
///
/// The report lists the built-in run checks first, then the spec's checks in file order.
pub fn judge(spec: &Spec, params: &Params, runs: &[RunOutcome]) -> Report {
    let lang = i18n::Lang::current();
    let mut checks: Vec<CheckReport> = RUN_CHECKS
        .iter()
        .map(|c| {
            let mut report = CheckReport::new(c.name, CheckKind::Guaranteed, None);
            report.title = crate::run_checks::title(c.name, lang);
            report
        })
        .chain(spec.checks.iter().map(|c| {
            let kind = if c.likely.is_some() {
                CheckKind::Likely
            } else {
                CheckKind::Guaranteed
            };
            let mut report = CheckReport::new(&c.name, kind, c.likely);
            report.title = match lang {
                i18n::Lang::Zh => c.name_zh.clone(),
                i18n::Lang::En => None,
            };
            report
        }))
        .collect();
    let values = params.filled(&spec.params);
    for run in runs {
        let classified = classify(&spec.lines, &run.lines);
        let ctx = Ctx {
            kinds: &spec.lines,
            params: &values,
            run,
            lines: &classified,
        };
        // Each result: Some(whether the run had anything for the check to judge) when it held,
        // Err when it failed, Ok(None) when this run cannot judge it (untraced, or shaken for a
        // likely check).
        let traced = run.tracing.is_on();
        let shaken = run.shake_seed.is_some();
        let results = RUN_CHECKS
            .iter()
            .map(|c| {
                (c.judge)(spec, run, &classified)
                    .map(|()| Some(!c.needs_lines || !run.lines.is_empty()))
            })
            .chain(spec.checks.iter().map(|c| {
                if (c.needs_trace && !traced) || (c.likely.is_some() && shaken) {
                    return Ok(None);
                }
                c.rule.judge(&ctx).map(|()| Some(c.rule.reached(&ctx)))
            }));
        // The first check to fail in this run says so when the expected lines went to stderr.
        let mut stderr_note = stderr_note(spec, run);
        let mut cause = crate::causes::cause_note(run);
        for (i, (report, result)) in checks.iter_mut().zip(results).enumerate() {
            match result {
                Ok(Some(true)) => report.runs_passed += 1,
                Ok(Some(false)) => report.runs_not_reached += 1,
                Ok(None)
                    if i >= RUN_CHECKS.len()
                        && spec.checks[i - RUN_CHECKS.len()].likely.is_some()
                        && shaken =>
                {
                    report.runs_shaken += 1
                }
                Ok(None) => report.runs_not_checked += 1,
                Err(mut message) => {
                    for note in [stderr_note.take(), cause.take()].into_iter().flatten() {
                        message.push('\n');
                        message.push_str(&note);
                    }
                    if let Some(seed) = run.shake_seed {
                        message.push_str(&replay_hint(seed, &run.schedule));
                    }
                    report.failures.push(Failure {
                        run: run.run,
                        message,
                    })
                }
            }
        }
    }
    for c in &mut checks {
        // Likely checks count the runs they judged: unshaken and traced (if they need it).
        let judged = c.runs_judged(runs.len());
        let held = match c.threshold {
            None => c.failures.is_empty(),
            Some(t) => c.runs_passed as f64 >= t * judged as f64 - 1e-9,
        };
        c.status = if c.runs_passed == 0 && c.failures.is_empty() && judged == 0 {
            CheckStatus::NotChecked
        } else if c.runs_passed == 0 && c.failures.is_empty() {
            CheckStatus::NotReached
        } else if held {
            CheckStatus::Passed
        } else {
            CheckStatus::Failed
        };
        c.passed = c.status == CheckStatus::Passed;
        if c.passed {
            // A likely check that holds often enough has nothing to answer for.
            c.failures.clear();
        }
    }
    Report {
        example: spec.name().to_string(),
        runs: runs.len(),
        passed: checks.iter().all(|c| c.status != CheckStatus::Failed),
        params: params.values().clone(),
        time_scale: params.time_scale(),
        checks,
        diff: None,
        facts: RunFacts::of(runs),
        fence: String::new(),
        notes: Vec::new(),
    }
}

/// When lines of the spec's kinds appear on the run's stderr (its kept tail): a note saying so.
fn stderr_note(spec: &Spec, run: &RunOutcome) -> Option<String> {
    let lines: Vec<Line> = run
        .stderr_tail
        .lines()
        .map(|text| Line {
            text: text.to_string(),
            utf8: true,
            at: Duration::ZERO,
            writer: None,
        })
        .collect();
    let found = classify(&spec.lines, &lines);
    let first = found.first()?;
    Some(format!(
        "{} line(s) the spec expects on stdout were printed on stderr, e.g. {:?} ('{}'): print them on stdout",
        found.len(),
        first.text,
        spec.lines[first.kind].name
    ))
}

/// How to replay a shaken run: its seed, and for PCT the `k` it was given (its priority changes
/// are drawn among 1..=k).
fn replay_hint(seed: u64, schedule: &tracer::ScheduleStats) -> String {
    if schedule.depth > 0 {
        format!(
            "\n(a run scheduled by PCT, seed {seed}: replay it with --seed {seed} --points {} --depth {} --runs 1)",
            schedule.planned_points, schedule.depth
        )
    } else {
        format!("\n(a shaken run, seed {seed}: replay its holds with --seed {seed} --runs 1)")
    }
}
