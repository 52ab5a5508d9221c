//! The report for a person: a heading, the runs' facts, the fence and notes, one line per
//! check (with its first failing run), the diff, and the verdict's line.

use std::fmt::Write as _;

use i18n::{Lang, tr};

use super::confidence::likely_tag;
use super::diff::diff_text;
use super::fence::fence_said;
use crate::verdict::report::{CheckReport, CheckStatus, Report};

/// ANSI colors for a terminal, or none.
#[derive(Debug, Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn paint(self, s: &str, code: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

impl Report {
    /// For a person: each check, the first failing run of each failed check, a summary line.
    pub fn text(&self, color: bool) -> String {
        let lang = Lang::current();
        let paint = Paint(color);
        let mut out = heading(self, lang);
        out.push_str(&self.facts.text());
        if !self.fence.is_empty() {
            let _ = writeln!(out, "{}", fence_said(&self.fence, lang));
        }
        for note in &self.notes {
            let _ = writeln!(out, "{}", tr!(lang, "report-note", note = note.as_str()));
        }
        for c in &self.checks {
            check_lines(&mut out, self, c, paint, lang);
        }
        if let Some(d) = &self.diff {
            diff_text(d, &mut out);
        }
        verdict_line(&mut out, self, paint, lang);
        out
    }
}

/// The first line: the example, its runs, the time scale and the parameters.
fn heading(report: &Report, lang: Lang) -> String {
    let mut out = tr!(
        lang,
        "report-heading",
        example = report.example.as_str(),
        runs = report.runs,
        scale = report.time_scale
    );
    for (k, v) in &report.params {
        let _ = write!(out, ", {k}={v}");
    }
    out.push('\n');
    out
}

/// A check's line (its tag, its name, what it held in) and its first failing run.
fn check_lines(out: &mut String, report: &Report, c: &CheckReport, paint: Paint, lang: Lang) {
    let tag = match c.status {
        CheckStatus::Passed => paint.paint(&i18n::tr(lang, "report-tag-pass"), "32"),
        CheckStatus::Failed => paint.paint(&i18n::tr(lang, "report-tag-fail"), "31;1"),
        CheckStatus::NotReached => paint.paint(&i18n::tr(lang, "report-tag-not-reached"), "33"),
        CheckStatus::NotChecked => paint.paint(&i18n::tr(lang, "report-tag-not-checked"), "33"),
        CheckStatus::Undecided => paint.paint(&i18n::tr(lang, "report-tag-undecided"), "33"),
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
        out.push_str(&likely_tag(c, report.runs, t, lang));
    }
    out.push('\n');
    if let Some(f) = c.failures.first() {
        let _ = writeln!(
            out,
            "      {}",
            tr!(
                lang,
                "report-failed-in",
                run = f.run,
                failed = c.failures.len(),
                runs = report.runs
            )
        );
        for l in f.message.lines() {
            let _ = writeln!(out, "        {l}");
        }
    }
}

/// The last line (`passed: ...` or `FAILED: ...`): with how many checks did what.
fn verdict_line(out: &mut String, report: &Report, paint: Paint, lang: Lang) {
    let failed = report.count(CheckStatus::Failed);
    let total = report.checks.len();
    let runs = report.runs;
    // The checks that neither passed nor failed, each said after the count.
    let mut neither = 0;
    let mut also = String::new();
    for (status, id) in [
        (CheckStatus::NotReached, "report-also-not-reached"),
        (CheckStatus::NotChecked, "report-also-not-checked"),
        (CheckStatus::Undecided, "report-also-undecided"),
    ] {
        let n = report.count(status);
        if n > 0 {
            neither += n;
            also.push_str(&tr!(lang, id, count = n));
        }
    }
    let (verdict, summary) = if failed == 0 && neither == 0 {
        let summary = tr!(lang, "report-all-passed", total = total, runs = runs);
        (
            paint.paint(&i18n::tr(lang, "report-passed"), "32;1"),
            summary,
        )
    } else if failed == 0 {
        let passed = report.count(CheckStatus::Passed);
        let summary = tr!(
            lang,
            "report-some-passed",
            passed = passed,
            total = total,
            also = also,
            runs = runs
        );
        (
            paint.paint(&i18n::tr(lang, "report-passed"), "32;1"),
            summary,
        )
    } else {
        let summary = tr!(
            lang,
            "report-some-failed",
            failed = failed,
            total = total,
            also = also,
            runs = runs
        );
        (
            paint.paint(&i18n::tr(lang, "report-failed"), "31;1"),
            summary,
        )
    };
    let _ = writeln!(
        out,
        "{}",
        tr!(lang, "report-verdict", verdict = verdict, summary = summary)
    );
}
