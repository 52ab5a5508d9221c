//! The verdict of a grading: every check over every run, with the runs' facts, the fence and
//! the notes. Its renderings are `render`'s.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::verdict::beside::RunDiff;
use crate::verdict::facts::RunFacts;
pub use crate::verdict::failure::Failure;

/// Whether a check must hold on every run or only on enough of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckKind {
    /// A correct program always satisfies it: one failing run fails the check.
    Guaranteed,
    /// A correct program usually satisfies it: judged over all runs against a threshold.
    Likely,
}

/// A check's verdict over all runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckStatus {
    /// It held: in every run (guaranteed) or in enough runs (likely).
    #[serde(rename = "passed")]
    Passed,
    /// It failed in a run (guaranteed) or held in too few runs (likely).
    #[default]
    #[serde(rename = "failed")]
    Failed,
    /// No run had anything for it to judge (no line of a kind it reads): it scores nothing,
    /// and fails nothing.
    #[serde(rename = "not reached")]
    NotReached,
    /// No run could be judged by it: it needs the trace and no run was traced (or it is likely
    /// and every run was shaken). It scores nothing, fails nothing, and is never "passed".
    #[serde(rename = "not checked")]
    NotChecked,
    /// A likely check whose 95% interval still holds its threshold: too few runs to tell. It
    /// scores nothing and fails nothing; `more_runs` says about how many more would decide.
    #[serde(rename = "undecided")]
    Undecided,
}

impl CheckStatus {
    /// Whether the check is worth a point: it passed or it failed. The others fail nothing, and
    /// must cost a correct port nothing either.
    pub fn counts(self) -> bool {
        matches!(self, CheckStatus::Passed | CheckStatus::Failed)
    }
}

/// The verdict of one check over all runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckReport {
    /// The check's name: a built-in run check's or the spec's `name`.
    pub name: String,
    /// The name in the reader's language when it is not English (the spec's `name_zh`, a
    /// built-in check's from the catalogue); `name` stays the check's English identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Guaranteed or likely.
    pub kind: CheckKind,
    /// The check passed: in every run (guaranteed) or in enough runs (likely). False when it
    /// was not reached.
    pub passed: bool,
    /// Passed, failed or not reached.
    #[serde(default)]
    pub status: CheckStatus,
    /// In how many runs the check held (runs it did not reach not counted).
    pub runs_passed: usize,
    /// In how many runs it had nothing to judge.
    #[serde(default)]
    pub runs_not_reached: usize,
    /// In how many runs it could not be judged: it needs the trace and the run was not traced.
    #[serde(default)]
    pub runs_not_checked: usize,
    /// In how many runs the machine could not judge it (e.g. too few free cores); the report's
    /// notes say why.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub runs_not_judged: usize,
    /// A likely check: in how many shaken runs it was not judged (likely checks are judged on
    /// unshaken runs only).
    #[serde(default)]
    pub runs_shaken: usize,
    /// For a likely check: the fraction of runs it must hold in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// The failing runs (empty when the check passed).
    pub failures: Vec<Failure>,
    /// A likely check: the 95% Wilson interval of the share of judged runs it held in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<[f64; 2]>,
    /// An undecided likely check: about how many more judged runs would decide it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub more_runs: Option<usize>,
    /// Runs could not judge it (the report's notes say why): the catalogue id of the words that
    /// say so when none could (`report-not-judged`: the machine; `came-through-shared-memory`:
    /// the values went through shared memory; `came-through-cut`: too much traffic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_judged: Option<String>,
}

impl CheckReport {
    /// Of `runs`, how many this check judged: not the shaken runs (a likely check) nor the
    /// untraced ones (a check that needs the trace).
    pub fn runs_judged(&self, runs: usize) -> usize {
        runs.saturating_sub(self.runs_shaken + self.runs_not_checked)
    }

    /// The name a person reads: the title in their language, else the name.
    pub fn shown(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.name)
    }

    pub(crate) fn new(name: &str, kind: CheckKind, threshold: Option<f64>) -> Self {
        CheckReport {
            name: name.to_string(),
            title: None,
            kind,
            passed: false,
            status: CheckStatus::Failed,
            runs_passed: 0,
            runs_not_reached: 0,
            runs_not_checked: 0,
            runs_not_judged: 0,
            runs_shaken: 0,
            threshold,
            failures: Vec::new(),
            interval: None,
            more_runs: None,
            not_judged: None,
        }
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The verdict of a grading: every check over every run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The example's name (the spec's `name`).
    pub example: String,
    /// How many runs were judged.
    pub runs: usize,
    /// No check failed (a check not reached fails nothing).
    pub passed: bool,
    /// The time scale the runs were given and the spec's ranges scaled by.
    pub time_scale: f64,
    /// The spec's parameters as set for this grading.
    pub params: BTreeMap<String, i64>,
    /// Every check: the built-in run checks, then the spec's, in order.
    pub checks: Vec<CheckReport>,
    /// The first failing run beside a correct one, when a run failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff: Option<RunDiff>,
    /// Traced or not, stdout a terminal or a pipe, shaken runs, advice.
    #[serde(default)]
    pub facts: RunFacts,
    /// Which fences the runs had, in one line (`fenced: ...`, or `not fenced (--no-fence)`).
    #[serde(default)]
    pub fence: String,
    /// What the fence refused a run: a limit hit (`run 3: ... --max-procs 256 ...`), and the
    /// system calls the tracer saw refused (`run 2: refused kill (EPERM): ...`).
    #[serde(default)]
    pub notes: Vec<String>,
}

impl Report {
    /// The check of that name, if any.
    pub fn check(&self, name: &str) -> Option<&CheckReport> {
        self.checks.iter().find(|c| c.name == name)
    }

    /// How many checks have this status.
    pub fn count(&self, status: CheckStatus) -> usize {
        self.checks.iter().filter(|c| c.status == status).count()
    }

    /// The score: one point per check passed (a check not reached scores nothing).
    pub fn score(&self) -> usize {
        self.count(CheckStatus::Passed)
    }

    /// The points at stake: the checks that passed or failed. A check not reached, not checked
    /// or undecided neither scores nor costs a point, so a passing port has every point.
    pub fn max_score(&self) -> usize {
        self.checks.iter().filter(|c| c.status.counts()).count()
    }

    /// The names of the checks that failed (not those not reached or not checked).
    pub fn failed(&self) -> Vec<&str> {
        self.checks
            .iter()
            .filter(|c| c.status == CheckStatus::Failed)
            .map(|c| c.name.as_str())
            .collect()
    }
}
