//! The report as one self-contained HTML page (`--format html`): the summary, every check with
//! its first failing run, and a run's timeline inline. The page is well-formed XML (XHTML
//! syntax), so tools can read it as well as browsers.

use std::fmt::Write as _;

use i18n::{Lang, tr};

use super::diff::diff_text;
use super::markup::xml_escape;
use crate::verdict::report::{CheckKind, CheckReport, CheckStatus, Report};

const STYLE: &str = "
  body { font-family: sans-serif; margin: 1.5em; color: #2e3436 }
  h1 { font-size: 1.4em } h2 { font-size: 1.15em; margin-top: 1.6em }
  .passed { color: #4e9a06 } .failed { color: #cc0000 } .unreached { color: #c4a000 }
  table { border-collapse: collapse } td, th { padding: 3px 10px; text-align: left; vertical-align: top }
  tr.check td { border-top: 1px solid #d3d7cf } td:first-child, th:first-child { white-space: nowrap }
  pre { background: #f6f6f3; padding: 6px 10px; margin: 2px 0 6px; white-space: pre-wrap }
  .timeline { overflow-x: auto; border: 1px solid #d3d7cf }
";

/// The page: `report`, and `timeline` (the run's number and its SVG element, from
/// [`run_timeline`](crate::run_timeline)) inline under the checks.
pub fn html_report(report: &Report, timeline: Option<(usize, &str)>) -> String {
    let lang = Lang::current();
    let mut out = String::from("<!DOCTYPE html>\n");
    head(&mut out, report, lang);
    summary(&mut out, report, lang);
    facts(&mut out, report, lang);
    checks(&mut out, report, lang);
    if let Some((run, svg)) = timeline {
        let id = match report.passed {
            true => "html-timeline-passing",
            false => "html-timeline-failing",
        };
        let _ = writeln!(
            out,
            "<h2>{}</h2>\n<div class=\"timeline\">\n{svg}</div>",
            xml_escape(&tr!(lang, id, run = run))
        );
    }
    diff(&mut out, report, lang);
    out.push_str("</body>\n</html>\n");
    out
}

/// The page's head, and its heading: the example and the verdict.
fn head(out: &mut String, report: &Report, lang: Lang) {
    let verdict = match report.passed {
        true => tr(lang, "report-passed"),
        false => tr(lang, "report-failed"),
    };
    let _ = writeln!(
        out,
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"{}\">\n<head><meta charset=\"utf-8\"/><title>grade {}: {verdict}</title><style>{STYLE}</style></head>\n<body>",
        lang.tag(),
        xml_escape(&report.example)
    );
    let _ = writeln!(
        out,
        "<h1>grade {}: <span class=\"{}\">{verdict}</span></h1>",
        xml_escape(&report.example),
        if report.passed { "passed" } else { "failed" }
    );
}

/// One paragraph: checks passed, failed, not reached, not checked; runs, scale, parameters.
fn summary(out: &mut String, report: &Report, lang: Lang) {
    let mut summary = tr!(
        lang,
        "html-summary",
        passed = report.score(),
        total = report.checks.len(),
        failed = report.count(CheckStatus::Failed),
        unreached = report.count(CheckStatus::NotReached),
        unchecked = report.count(CheckStatus::NotChecked),
        runs = report.runs,
        scale = report.time_scale
    );
    for (k, v) in &report.params {
        let _ = write!(summary, ", {k}={v}");
    }
    let _ = writeln!(out, "<p>{}</p>", xml_escape(&summary));
}

/// The runs' facts and the fence, preformatted.
fn facts(out: &mut String, report: &Report, lang: Lang) {
    let mut facts = report.facts.text();
    if !report.fence.is_empty() {
        let _ = writeln!(facts, "{}", super::fence::fence_said(&report.fence, lang));
    }
    if !facts.trim().is_empty() {
        let _ = writeln!(
            out,
            "<pre>{}</pre>",
            xml_escape(facts.trim_end()).replace("&#10;", "\n")
        );
    }
}

/// The table of checks.
fn checks(out: &mut String, report: &Report, lang: Lang) {
    let _ = writeln!(
        out,
        "<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        tr(lang, "html-head-result"),
        tr(lang, "html-head-check"),
        tr(lang, "html-head-kind"),
        tr(lang, "html-head-held")
    );
    for c in &report.checks {
        check_rows(out, report, c, lang);
    }
    out.push_str("</table>\n");
}

/// The first failing run beside a correct one, when the report has it.
fn diff(out: &mut String, report: &Report, lang: Lang) {
    let Some(d) = &report.diff else {
        return;
    };
    let mut text = String::new();
    diff_text(d, &mut text);
    let beside = match d.beside == crate::verdict::beside::REFERENCE_RUN {
        true => "html-beside",
        false => "html-beside-spec",
    };
    let _ = writeln!(
        out,
        "<h2>{}</h2>\n<pre>{}</pre>",
        xml_escape(&tr!(lang, beside, run = d.run)),
        xml_escape(&text).replace("&#10;", "\n")
    );
}

/// A check's row, and under it its first failing run.
fn check_rows(out: &mut String, report: &Report, c: &CheckReport, lang: Lang) {
    let (tag, class) = match c.status {
        CheckStatus::Passed => (tr(lang, "report-tag-pass"), "passed"),
        CheckStatus::Failed => (tr(lang, "report-tag-fail"), "failed"),
        CheckStatus::NotReached => (tr(lang, "html-not-reached"), "unreached"),
        CheckStatus::NotChecked => (tr(lang, "html-not-checked"), "unreached"),
        CheckStatus::Undecided => (tr(lang, "html-undecided"), "unreached"),
    };
    let kind = match (c.kind, c.threshold) {
        (CheckKind::Guaranteed, _) => tr(lang, "html-guaranteed"),
        (CheckKind::Likely, Some(t)) => {
            tr!(lang, "html-likely-needs", percent = (t * 100.0).round())
        }
        (CheckKind::Likely, None) => tr(lang, "html-likely"),
    };
    let held = if c.status == CheckStatus::NotReached {
        tr(lang, "report-not-reached")
    } else if c.status == CheckStatus::NotChecked {
        tr(lang, "report-not-checked")
    } else {
        tr!(lang, "html-held", held = c.runs_passed, runs = report.runs)
    };
    let _ = writeln!(
        out,
        "<tr class=\"check\"><td class=\"{class}\">{tag}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        xml_escape(c.shown()),
        xml_escape(&kind),
        xml_escape(&held)
    );
    if let Some(f) = c.failures.first() {
        let head = tr!(
            lang,
            "report-failed-in",
            run = f.run,
            failed = c.failures.len(),
            runs = report.runs
        );
        let _ = writeln!(
            out,
            "<tr><td></td><td colspan=\"3\"><pre>{}\n{}</pre></td></tr>",
            xml_escape(&head),
            xml_escape(&f.message).replace("&#10;", "\n")
        );
    }
}
