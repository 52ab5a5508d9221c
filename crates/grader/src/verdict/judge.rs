//! Judging runs against a spec: the built-in run checks, then each spec check on each run, and
//! likely checks against their threshold over all runs. A [`Judging`] takes each run once, as
//! it ends (its pass feeds the progress line), and [`Judging::finish`] gives the whole
//! [`Report`], with what the grading knows besides the verdicts ([`Grading`]) as inputs.

use std::time::Duration;

use crate::outcome::{Line, RunOutcome};
use crate::spec::Spec;
use crate::spec::fault::Fault;
use crate::spec::params::Params;
use crate::spec::rule::{Ctx, classify};
use crate::verdict::confidence::{self, decide, wilson};
use crate::verdict::every_run::RUN_CHECKS;
use crate::verdict::facts::RunFacts;
use crate::verdict::failure::{OnStderr, Replay, RunNotes};
use crate::verdict::first_difference::first_failing;
use crate::verdict::report::{CheckKind, CheckReport, CheckStatus, Failure, Report};
use crate::words::say::say;

/// Judges the outcomes of a port's runs against a spec, with the grading's parameters.
///
/// The report lists the built-in run checks first, then the spec's checks in file order; it has
/// no diff, fence or notes (a grading's: [`grade`](fn@crate::grade) gives them).
pub fn judge(spec: &Spec, params: &Params, runs: &[RunOutcome]) -> Report {
    let mut judging = Judging::new(spec, params);
    for run in runs {
        judging.add(run);
    }
    judging.finish(Grading {
        runs,
        planned: runs.len(),
        diff: DiffWith::Nothing,
        fence: String::new(),
        notes: Vec::new(),
    })
}

/// The checks a grading with `spec` reports, in order, none judged yet: the built-in run checks,
/// then the spec's in file order.
/// Each has its title in the reader's language when it has one.
pub fn check_list(spec: &Spec) -> Vec<CheckReport> {
    let lang = i18n::Lang::current();
    RUN_CHECKS
        .iter()
        .map(|c| {
            let mut report = CheckReport::new(c.name, CheckKind::Guaranteed, None);
            report.title = crate::verdict::every_run::title(c.name, lang);
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
        .collect()
}

/// What the first failing run is set beside in the report, if anything.
#[derive(Debug, Clone, Copy)]
pub(crate) enum DiffWith<'a> {
    /// No diff.
    Nothing,
    /// The spec's line kinds.
    Kinds,
    /// A correct program's run (`--reference`).
    Reference(&'a RunOutcome),
}

impl<'a> DiffWith<'a> {
    /// Beside the reference run when there is one, else beside the spec's line kinds.
    pub(crate) fn beside(reference: Option<&'a RunOutcome>) -> Self {
        match reference {
            Some(r) => DiffWith::Reference(r),
            None => DiffWith::Kinds,
        }
    }
}

/// What a grading knows besides its runs' verdicts: the inputs of its report.
#[derive(Debug)]
pub(crate) struct Grading<'a> {
    /// Every run judged, in order (the runs' facts; the first failing run's lines).
    pub(crate) runs: &'a [RunOutcome],
    /// The runs asked for: fewer were made when the verdict settled early.
    pub(crate) planned: usize,
    pub(crate) diff: DiffWith<'a>,
    /// Which fences the runs had, in one line.
    pub(crate) fence: String,
    /// What the fence refused the runs.
    pub(crate) notes: Vec<String>,
}

/// The verdicts of a grading so far, one run at a time.
#[derive(Debug)]
pub(crate) struct Judging<'s> {
    spec: &'s Spec,
    params: &'s Params,
    /// Every parameter the spec declares, with its value.
    values: Params,
    checks: Vec<CheckReport>,
    runs: usize,
    /// Per spec check: how many runs could not judge it, and the first one's reason and its
    /// report words' catalogue id.
    unjudged: Vec<(usize, Option<String>, Option<&'static str>)>,
}

/// One check's verdict on one run: held (and reached or not), failed, or not judged.
type Verdict = Result<Option<bool>, Fault>;

impl<'s> Judging<'s> {
    /// Nothing judged yet, with the grading's parameters.
    pub(crate) fn new(spec: &'s Spec, params: &'s Params) -> Self {
        Judging {
            spec,
            params,
            values: params.filled(&spec.params),
            checks: check_list(spec),
            runs: 0,
            unjudged: vec![(0, None, None); spec.checks.len()],
        }
    }

    /// Judges one run by every check; the names of the guaranteed checks it failed (a run
    /// passes when it fails none: likely checks need all the runs).
    pub(crate) fn add(&mut self, run: &RunOutcome) -> Vec<String> {
        self.runs += 1;
        let verdicts = self.verdicts(run);
        let (spec, shaken) = (self.spec, run.shaken());
        // The first check to fail in this run says so when the expected lines went to stderr,
        // and names the cause when buffered output shows; every failure says how to replay.
        let mut on_stderr = on_stderr(spec, run);
        let mut cause = crate::verdict::causes::cause_note(run);
        let replay = run.shake_seed.map(|seed| Replay::of(seed, &run.schedule));
        let mut failed = Vec::new();
        for (i, (report, verdict)) in self.checks.iter_mut().zip(verdicts).enumerate() {
            let likely =
                i >= RUN_CHECKS.len() && spec.checks[i - RUN_CHECKS.len()].likely.is_some();
            match verdict {
                Ok(Some(true)) => report.runs_passed += 1,
                Ok(Some(false)) => report.runs_not_reached += 1,
                Ok(None) if likely && shaken => report.runs_shaken += 1,
                Ok(None) => report.runs_not_checked += 1,
                Err(fault) => {
                    if !likely {
                        failed.push(report.name.clone());
                    }
                    let notes = RunNotes {
                        on_stderr: on_stderr.take(),
                        cause: cause.take(),
                        shaken: replay.clone(),
                        explored: run.explored.clone(),
                    };
                    report.failures.push(Failure::new(run.run, fault, notes));
                }
            }
        }
        failed
    }

    /// Each check's verdict on `run`, in report order: `Ok(Some(reached))` when it held,
    /// `Err` when it failed, `Ok(None)` when this run cannot judge it (untraced, or shaken for
    /// a likely check).
    fn verdicts(&mut self, run: &RunOutcome) -> Vec<Verdict> {
        let spec = self.spec;
        let classified = classify(&spec.lines, &run.lines);
        let ctx = Ctx {
            kinds: &spec.lines,
            params: &self.values,
            run,
            lines: &classified,
        };
        let (traced, shaken) = (run.tracing.is_on(), run.shaken());
        RUN_CHECKS
            .iter()
            .map(|c| {
                (c.judge)(spec, run, &classified)
                    .map(|()| Some(!c.needs_lines || !run.lines.is_empty()))
            })
            .chain(
                spec.checks
                    .iter()
                    .zip(self.unjudged.iter_mut())
                    .map(|(c, u)| {
                        if (c.needs_trace && !traced) || (c.likely.is_some() && shaken) {
                            return Ok(None);
                        }
                        // The run could not judge it (too few free cores, values through shared
                        // memory): not checked, and why.
                        if let Some(n) = c.rule.not_judged(&ctx) {
                            u.0 += 1;
                            u.1.get_or_insert_with(|| {
                                let lang = i18n::said_in(cfg!(test));
                                say!("note-run", run = run.run, note = n.why.words(lang))
                            });
                            u.2.get_or_insert(n.tag);
                            return Ok(None);
                        }
                        c.rule.judge(&ctx).map(|()| Some(c.rule.reached(&ctx)))
                    }),
            )
            .collect()
    }

    /// The report over every run added, complete: each check's status, then the first
    /// failing run's diff, the runs' facts, the fence and its notes, from `grading`.
    pub(crate) fn finish(mut self, grading: Grading<'_>) -> Report {
        for (c, (n, _, words)) in self.checks[RUN_CHECKS.len()..]
            .iter_mut()
            .zip(&self.unjudged)
        {
            c.runs_not_judged = *n;
            c.not_judged = words.map(String::from);
        }
        for c in &mut self.checks {
            settle(c, self.runs);
        }
        let passed = self.checks.iter().all(|c| c.status != CheckStatus::Failed);
        let diff = match grading.diff {
            DiffWith::Nothing => None,
            DiffWith::Kinds => first_failing(self.spec, &self.checks, grading.runs, None),
            DiffWith::Reference(r) => first_failing(self.spec, &self.checks, grading.runs, Some(r)),
        };
        let mut facts = RunFacts::of(grading.runs);
        if grading.runs.len() < grading.planned {
            facts.stopped_after = Some(grading.runs.len());
        }
        let unjudged: Vec<String> = self.checks[RUN_CHECKS.len()..]
            .iter()
            .zip(self.unjudged)
            .filter_map(|(c, (n, why, _))| {
                Some(say!(
                    "note-not-judged",
                    name = c.shown(),
                    count = n,
                    why = why?
                ))
            })
            .collect();
        Report {
            example: self.spec.name().to_string(),
            runs: self.runs,
            passed,
            params: self.params.values().clone(),
            time_scale: self.params.time_scale(),
            checks: self.checks,
            diff,
            facts,
            fence: grading.fence,
            notes: grading.notes.into_iter().chain(unjudged).collect(),
        }
    }
}

/// A check's status over `runs` runs. Likely checks count the runs they judged: unshaken and
/// traced (if they need it).
fn settle(c: &mut CheckReport, runs: usize) {
    let judged = c.runs_judged(runs);
    // A likely check is judged by its 95% interval over the runs it decided (held or failed).
    let decided = c.runs_passed + c.failures.len();
    let verdict = c.threshold.map(|t| {
        let (low, high) = wilson(c.runs_passed, decided);
        c.interval = Some([low, high]);
        decide(c.runs_passed, decided, t)
    });
    let held = match verdict {
        None => c.failures.is_empty(),
        Some(v) => v == confidence::Verdict::Held,
    };
    // Not judged in some runs (too few free cores, shared memory) and not reached in the rest:
    // no run judged it, and the note says why.
    let unjudged = c.runs_not_judged > 0 && c.runs_passed == 0;
    c.status = if c.runs_passed == 0 && c.failures.is_empty() && (judged == 0 || unjudged) {
        CheckStatus::NotChecked
    } else if c.runs_passed == 0 && c.failures.is_empty() {
        CheckStatus::NotReached
    } else if held {
        CheckStatus::Passed
    } else if let Some(confidence::Verdict::Undecided { more }) = verdict {
        c.more_runs = Some(more);
        CheckStatus::Undecided
    } else {
        CheckStatus::Failed
    };
    c.passed = c.status == CheckStatus::Passed;
    if c.passed || c.status == CheckStatus::Undecided {
        // A likely check that holds often enough, or may, has nothing to answer for.
        c.failures.clear();
    }
}

/// When lines of the spec's kinds appear on the run's stderr (its kept tail): how many, and the
/// first.
fn on_stderr(spec: &Spec, run: &RunOutcome) -> Option<OnStderr> {
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
    Some(OnStderr {
        count: found.len(),
        text: first.text.to_string(),
        kind: spec.lines[first.kind].name.clone(),
    })
}
