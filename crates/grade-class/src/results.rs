//! A class's results: one row per submission, as a table for a person, `results.csv` and
//! `results.json`.

use std::fmt::Write as _;

use grader::columns;
use serde::{Deserialize, Serialize};

use super::csv_cell::csv_cell;
use super::submission::Form;
use grader::visible;

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
    /// That check's name in the reader's language when not English (the spec's `name_zh`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_failed_title: Option<String>,
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

    /// `results.csv`: [`CSV_HEADER`], then one record per submission (RFC 4180, written by the
    /// `csv` crate); empty fields where a submission was not graded. A field that a
    /// spreadsheet would take for a formula (it starts with `=`, `+`, `-`, `@`, tab or
    /// carriage return: a submission's name is its file's) starts with `'` instead.
    pub fn csv(&self) -> String {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let header: Vec<&str> = CSV_HEADER.split(',').collect();
        let _ = w.write_record(&header);
        for s in &self.submissions {
            let fields = [
                s.submission.clone(),
                word(&s.build),
                word(&s.verdict),
                s.checks_passed.map(|n| n.to_string()).unwrap_or_default(),
                s.checks_total.map(|n| n.to_string()).unwrap_or_default(),
                s.first_failed_check.clone().unwrap_or_default(),
            ];
            // Writing to a Vec cannot fail but for a record of the wrong length, which this
            // fixed array is not.
            let _ = w.write_record(fields.iter().map(|f| csv_cell(f)));
        }
        let bytes = w.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// `results.json`: these results, pretty-printed.
    pub fn json(&self) -> String {
        let mut s =
            grader::json_safe(serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into()));
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
                let shown = s
                    .first_failed_title
                    .as_ref()
                    .or(s.first_failed_check.as_ref());
                let detail = match (shown, &s.note) {
                    (Some(check), _) => check.clone(),
                    (None, Some(note)) => note.clone(),
                    (None, None) => String::new(),
                };
                [
                    visible(&s.submission),
                    say(word(&s.build)),
                    say(word(&s.verdict)),
                    checks,
                    visible(&detail),
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
            first_failed_title: None,
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
        // A formula and a newline in a name: neutralised, quoted, and read back whole.
        let hostile = ClassResults {
            submissions: vec![
                row("=cmd|' /c calc'!A0", Verdict::Pass, None),
                row("a\nb,\x1b[2J", Verdict::Pass, None),
            ],
            ..results.clone()
        };
        let csv = hostile.csv();
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let names: Vec<String> = reader
            .records()
            .map(|r| r.expect("a record")[0].to_string())
            .collect();
        assert_eq!(names, ["'=cmd|' /c calc'!A0", "a\nb,\x1b[2J"]);
        let table = hostile.table();
        assert!(!table.contains('\x1b'), "{table}");
        assert!(table.contains("a\\nb,\\x1b[2J"), "{table}");
        let table = results.table();
        assert!(table.contains("error: expected `;`"), "{table}");
        assert!(table.contains("8/9"), "{table}");
    }
}
