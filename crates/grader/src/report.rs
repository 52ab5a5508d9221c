//! The verdict of a grading and its four renderings: text for a person, JSON for tools, JUnit
//! for CI, and a Gradescope `results.json` body.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

pub use crate::failure::Failure;
use crate::run_diff::RunDiff;
use crate::run_facts::RunFacts;

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

/// The report's last line: `passed: ...` or `FAILED: ...`.
fn verdict_line(lang: i18n::Lang, verdict: &str, summary: &str) -> String {
    i18n::tr!(lang, "report-verdict", verdict = verdict, summary = summary)
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

/// A report format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For a person: [`Report::text`].
    Text,
    /// For tools: [`Report::json`].
    Json,
    /// For CI: [`Report::junit`].
    Junit,
    /// For Gradescope: [`Report::gradescope`].
    Gradescope,
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

    /// The report in a format; `color` applies to text only (ANSI colors for a terminal).
    pub fn render(&self, format: Format, color: bool) -> String {
        match format {
            Format::Text => self.text(color),
            Format::Json => self.json(),
            Format::Junit => self.junit(),
            Format::Gradescope => self.gradescope(),
        }
    }

    /// For a person: each check, the first failing run of each failed check, a summary line.
    pub fn text(&self, color: bool) -> String {
        let paint = |s: &str, code: &str| {
            if color {
                format!("\x1b[{code}m{s}\x1b[0m")
            } else {
                s.to_string()
            }
        };
        let lang = i18n::Lang::current();
        let mut out = i18n::tr!(
            lang,
            "report-heading",
            example = self.example.as_str(),
            runs = self.runs,
            scale = self.time_scale
        );
        for (k, v) in &self.params {
            let _ = write!(out, ", {k}={v}");
        }
        out.push('\n');
        out.push_str(&self.facts.text());
        if !self.fence.is_empty() {
            let _ = writeln!(
                out,
                "{}",
                crate::fence_report::fence_said(&self.fence, lang)
            );
        }
        for note in &self.notes {
            let _ = writeln!(
                out,
                "{}",
                i18n::tr!(lang, "report-note", note = note.as_str())
            );
        }
        for c in &self.checks {
            let tag = match c.status {
                CheckStatus::Passed => paint(&i18n::tr(lang, "report-tag-pass"), "32"),
                CheckStatus::Failed => paint(&i18n::tr(lang, "report-tag-fail"), "31;1"),
                CheckStatus::NotReached => paint(&i18n::tr(lang, "report-tag-not-reached"), "33"),
                CheckStatus::NotChecked => paint(&i18n::tr(lang, "report-tag-not-checked"), "33"),
                CheckStatus::Undecided => paint(&i18n::tr(lang, "report-tag-undecided"), "33"),
            };
            let _ = write!(out, "{tag}  {}", c.shown());
            if c.status == CheckStatus::NotChecked && c.runs_not_judged > 0 {
                let words = c.not_judged.as_deref().unwrap_or("report-not-judged");
                let _ = write!(out, "  [{}]", i18n::tr(lang, words));
            } else if c.status == CheckStatus::NotChecked {
                let _ = write!(out, "  [{}]", i18n::tr(lang, "report-not-checked"));
            } else if c.status == CheckStatus::NotReached {
                let _ = write!(out, "  [{}]", i18n::tr(lang, "report-not-reached"));
            } else if let Some(t) = c.threshold {
                out.push_str(&crate::confidence_text::likely_tag(c, self.runs, t, lang));
            }
            out.push('\n');
            if let Some(f) = c.failures.first() {
                let _ = writeln!(
                    out,
                    "      {}",
                    i18n::tr!(
                        lang,
                        "report-failed-in",
                        run = f.run,
                        failed = c.failures.len(),
                        runs = self.runs
                    )
                );
                for l in f.message.lines() {
                    let _ = writeln!(out, "        {l}");
                }
            }
        }
        if let Some(d) = &self.diff {
            d.render(&mut out);
        }
        let failed = self.count(CheckStatus::Failed);
        let unreached = self.count(CheckStatus::NotReached) + self.count(CheckStatus::NotChecked);
        let total = self.checks.len();
        let also = match (
            self.count(CheckStatus::NotReached),
            self.count(CheckStatus::NotChecked),
        ) {
            (0, 0) => String::new(),
            (r, 0) => i18n::tr!(lang, "report-also-not-reached", reached = r),
            (0, n) => i18n::tr!(lang, "report-also-not-checked", checked = n),
            (r, n) => format!(
                "{}{}",
                i18n::tr!(lang, "report-also-not-reached", reached = r),
                i18n::tr!(lang, "report-also-not-checked", checked = n)
            ),
        };
        if failed == 0 && unreached == 0 {
            let summary = i18n::tr!(lang, "report-all-passed", total = total, runs = self.runs);
            let verdict = paint(&i18n::tr(lang, "report-passed"), "32;1");
            let _ = writeln!(out, "{}", verdict_line(lang, &verdict, &summary));
        } else if failed == 0 {
            let summary = i18n::tr!(
                lang,
                "report-some-passed",
                passed = self.count(CheckStatus::Passed),
                total = total,
                also = also,
                runs = self.runs
            );
            let verdict = paint(&i18n::tr(lang, "report-passed"), "32;1");
            let _ = writeln!(out, "{}", verdict_line(lang, &verdict, &summary));
        } else {
            let summary = i18n::tr!(
                lang,
                "report-some-failed",
                failed = failed,
                total = total,
                also = also,
                runs = self.runs
            );
            let verdict = paint(&i18n::tr(lang, "report-failed"), "31;1");
            let _ = writeln!(out, "{}", verdict_line(lang, &verdict, &summary));
        }
        out
    }

    /// For tools: the report as JSON, with `score` (checks passed) and `max_score` (checks
    /// passed or failed, see [`Report::max_score`]).
    pub fn json(&self) -> String {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        if let Some(map) = v.as_object_mut() {
            map.insert("score".into(), self.score().into());
            map.insert("max_score".into(), self.max_score().into());
        }
        let mut s = crate::text::json_safe(
            serde_json::to_string_pretty(&v).unwrap_or_else(|_| "{}".into()),
        );
        s.push('\n');
        s
    }
}
