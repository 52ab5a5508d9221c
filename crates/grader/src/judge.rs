//! Judging runs against a spec: the built-in run checks, then each spec check on each run, and
//! likely checks against their threshold over all runs.

use crate::outcome::RunOutcome;
use crate::report::{CheckKind, CheckReport, Failure, Report};
use crate::run_checks::RUN_CHECKS;
use crate::spec::Spec;
use crate::spec::params::Params;
use crate::spec::rule::{Ctx, classify};

/// Judges the outcomes of a port's runs against a spec, with the grading's parameters.
///
/// The report lists the built-in run checks first, then the spec's checks in file order.
pub fn judge(spec: &Spec, params: &Params, runs: &[RunOutcome]) -> Report {
    let mut checks: Vec<CheckReport> = RUN_CHECKS
        .iter()
        .map(|(name, _)| CheckReport::new(name, CheckKind::Guaranteed, None))
        .chain(spec.checks.iter().map(|c| {
            let kind = if c.likely.is_some() {
                CheckKind::Likely
            } else {
                CheckKind::Guaranteed
            };
            CheckReport::new(&c.name, kind, c.likely)
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
        let results = RUN_CHECKS
            .iter()
            .map(|(_, f)| f(spec, run))
            .chain(spec.checks.iter().map(|c| c.rule.judge(&ctx)));
        for (report, result) in checks.iter_mut().zip(results) {
            match result {
                Ok(()) => report.runs_passed += 1,
                Err(message) => report.failures.push(Failure {
                    run: run.run,
                    message,
                }),
            }
        }
    }
    for c in &mut checks {
        c.passed = match c.threshold {
            None => c.failures.is_empty(),
            Some(t) => c.runs_passed as f64 >= t * runs.len() as f64 - 1e-9,
        };
        if c.passed {
            // A likely check that holds often enough has nothing to answer for.
            c.failures.clear();
        }
    }
    Report {
        example: spec.name().to_string(),
        runs: runs.len(),
        passed: checks.iter().all(|c| c.passed),
        params: params.values().clone(),
        time_scale: params.time_scale(),
        checks,
    }
}
