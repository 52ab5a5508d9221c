//! A class's results: one row per submission, as a table for a person, `results.csv` and
//! `results.json`.

use std::fmt::Write as _;

use crate::text::columns;
use serde::{Deserialize, Serialize};

use super::submission::Form;

/// The header of `results.csv`, exactly.
pub const CSV_HEADER: &str =
    "submission,build,verdict,checks_passed,checks_total,first_failed_check";

/// Whether a submission built (`ok` for a `.py`, which has nothing to build).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BuildStatus {
    /// It built.
    Ok,
    /// It did not: the reason is the row's `note`, the details its build log.
    Failed,
}

/// A submission's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// Graded, no check failed.
    #[serde(rename = "pass")]
    Pass,
    /// Graded, a check failed.
    #[serde(rename = "fail")]
    Fail,
    /// Not graded: the build failed (or the grader failed on it: see `grader_error`).
    #[serde(rename = "not-graded")]
    NotGraded,
}

/// The files kept for one submission, relative to the class's output folder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFiles {
    /// The build log (always written).
    pub build_log: String,
    /// The text report, when graded.
    pub text: Option<String>,
    /// The JSON report, when graded.
    pub json: Option<String>,
    /// The HTML report with the failing run's timeline, when graded and the grader offers one.
    pub html: Option<String>,
    /// A Gradescope `results.json` body (for `grade gradescope`'s bundle); always written.
    pub gradescope: String,
}

/// One submission's row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmissionResult {
    /// The entry's name without extension.
    pub submission: String,
    /// What it is.
    pub form: Form,
    /// Whether it built.
    pub build: BuildStatus,
    /// Pass, fail, or not graded.
    pub verdict: Verdict,
    /// Checks passed, when graded.
    pub checks_passed: Option<usize>,
    /// Checks in all, when graded.
    pub checks_total: Option<usize>,
    /// The first check that failed (in the report's order), if any.
    pub first_failed_check: Option<String>,
    /// Why it was not graded: the build's first error line, or the grader's error.
    pub note: Option<String>,
    /// The grader itself failed on it (not the student's doing): the class is then incomplete.
    pub grader_error: bool,
    /// Seconds spent building.
    pub build_seconds: f64,
    /// Seconds spent grading, when graded.
    pub grade_seconds: Option<f64>,
    /// Its reports and build log.
    pub files: ReportFiles,
}

/// A class's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassResults {
    /// The example graded against.
    pub example: String,
    /// Runs per submission.
    pub runs: usize,
    /// The time scale given, if any.
    pub time_scale: Option<f64>,
    /// Worker threads used.
    pub jobs: usize,
    /// Wall-clock seconds for the whole class.
    pub seconds: f64,
    /// One row per submission, by name.
    pub submissions: Vec<SubmissionResult>,
}

impl ClassResults {
    /// Every submission was graded or its build failed; the grader failed on none.
    pub fn complete(&self) -> bool {
        !self.submissions.iter().any(|s| s.grader_error)
    }

    /// `results.csv`: [`CSV_HEADER`], then one line per submission; empty fields where a
    /// submission was not graded.
    pub fn csv(&self) -> String {
        let mut out = format!("{CSV_HEADER}\n");
        for s in &self.submissions {
            let fields = [
                s.submission.clone(),
                word(&s.build),
                word(&s.verdict),
                s.checks_passed.map(|n| n.to_string()).unwrap_or_default(),
                s.checks_total.map(|n| n.to_string()).unwrap_or_default(),
                s.first_failed_check.clone().unwrap_or_default(),
            ];
            let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            let _ = writeln!(out, "{}", line.join(","));
        }
        out
    }

    /// `results.json`: these results, pretty-printed.
    pub fn json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into());
        s.push('\n');
        s
    }

    /// The table on stdout: submission, build, verdict, checks passed, and the first failed
    /// check or why it was not graded.
    pub fn table(&self) -> String {
        let lang = i18n::Lang::current();
        let say = |w: String| i18n::tr(lang, &format!("class-word-{w}"));
        let rows: Vec<[String; 5]> = self
            .submissions
            .iter()
            .map(|s| {
                let checks = match (s.checks_passed, s.checks_total) {
                    (Some(p), Some(t)) => format!("{p}/{t}"),
                    _ => "-".into(),
                };
                let detail = match (&s.first_failed_check, &s.note) {
                    (Some(check), _) => check.clone(),
                    (None, Some(note)) => note.clone(),
                    (None, None) => String::new(),
                };
                [
                    s.submission.clone(),
                    say(word(&s.build)),
                    say(word(&s.verdict)),
                    checks,
                    detail,
                ]
            })
            .collect();
        let header = [
            "class-head-submission",
            "class-head-build",
            "class-head-verdict",
            "class-head-checks",
            "class-head-detail",
        ]
        .map(|id| i18n::tr(lang, id));
        let mut widths = [0; 4];
        for row in rows.iter().chain([&header]) {
            for (w, cell) in widths.iter_mut().zip(row.iter()) {
                *w = (*w).max(columns(cell));
            }
        }
        let mut out = String::new();
        for row in [&header].into_iter().chain(rows.iter()) {
            let mut line = String::new();
            for (w, cell) in widths.iter().zip(row.iter()) {
                let pad = w.saturating_sub(columns(cell));
                let _ = write!(line, "{cell}{:pad$}  ", "");
            }
            line.push_str(&row[4]);
            let _ = writeln!(out, "{}", line.trim_end());
        }
        let count = |v: Verdict| self.submissions.iter().filter(|s| s.verdict == v).count();
        let seconds = format!("{:.1}", self.seconds);
        let summary = i18n::tr!(
            lang,
            "class-summary",
            submissions = self.submissions.len(),
            pass = count(Verdict::Pass),
            fail = count(Verdict::Fail),
            not_graded = count(Verdict::NotGraded),
            seconds = seconds,
            jobs = self.jobs
        );
        let _ = writeln!(out, "{summary}");
        out
    }
}

/// A unit enum's serde name (`ok`, `not-graded`, ...).
pub(crate) fn word<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, verdict: Verdict, failed: Option<&str>) -> SubmissionResult {
        let graded = verdict != Verdict::NotGraded;
        SubmissionResult {
            submission: name.into(),
            form: Form::Python,
            build: if graded {
                BuildStatus::Ok
            } else {
                BuildStatus::Failed
            },
            verdict,
            checks_passed: graded.then_some(8),
            checks_total: graded.then_some(9),
            first_failed_check: failed.map(String::from),
            note: (!graded).then(|| "error: expected `;`".into()),
            grader_error: false,
            build_seconds: 0.0,
            grade_seconds: None,
            files: ReportFiles::default(),
        }
    }

    #[test]
    fn csv_quotes_what_needs_it_and_leaves_ungraded_counts_empty() {
        let results = ClassResults {
            example: "fork".into(),
            runs: 3,
            time_scale: None,
            jobs: 2,
            seconds: 1.0,
            submissions: vec![
                row(
                    "a",
                    Verdict::Fail,
                    Some("'Process end.' comes after \"x\", then y"),
                ),
                row("b", Verdict::NotGraded, None),
            ],
        };
        let csv = results.csv();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], CSV_HEADER);
        assert_eq!(
            lines[1],
            "a,ok,fail,8,9,\"'Process end.' comes after \"\"x\"\", then y\""
        );
        assert_eq!(lines[2], "b,failed,not-graded,,,");
        let table = results.table();
        assert!(table.contains("error: expected `;`"), "{table}");
        assert!(table.contains("8/9"), "{table}");
    }
}
