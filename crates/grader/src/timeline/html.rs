//! The report as one self-contained HTML page (`--format html`): the summary, every check with
//! its first failing run, and a run's timeline inline. The page is well-formed XML (XHTML
//! syntax), so tools can read it as well as browsers.

use std::fmt::Write as _;

use crate::report::{CheckKind, CheckStatus, Report};
use crate::text::xml_escape;

const STYLE: &str = "
  body { font-family: sans-serif; margin: 1.5em; color: #2e3436 }
  h1 { font-size: 1.4em } h2 { font-size: 1.15em; margin-top: 1.6em }
  .passed { color: #4e9a06 } .failed { color: #cc0000 } .unreached { color: #c4a000 }
  table { border-collapse: collapse } td, th { padding: 3px 10px; text-align: left; vertical-align: top }
  tr.check td { border-top: 1px solid #d3d7cf }
  pre { background: #f6f6f3; padding: 6px 10px; margin: 2px 0 6px; white-space: pre-wrap }
  .timeline { overflow-x: auto; border: 1px solid #d3d7cf }
";

/// The page: `report`, and `timeline` (the run's number and its SVG element, from
/// [`run_timeline`](crate::run_timeline)) inline under the checks.
pub fn html_report(report: &Report, timeline: Option<(usize, &str)>) -> String {
    let failed = report.count(CheckStatus::Failed);
    let unreached = report.count(CheckStatus::NotReached);
    let unchecked = report.count(CheckStatus::NotChecked);
    let verdict = if report.passed { "PASSED" } else { "FAILED" };
    let mut out = String::from("<!DOCTYPE html>\n");
    let _ = writeln!(
        out,
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head><meta charset=\"utf-8\"/><title>grade {}: {verdict}</title><style>{STYLE}</style></head>\n<body>",
        xml_escape(&report.example)
    );
    let _ = writeln!(
        out,
        "<h1>grade {}: <span class=\"{}\">{verdict}</span></h1>",
        xml_escape(&report.example),
        if report.passed { "passed" } else { "failed" }
    );
    let mut summary = format!(
        "{} of {} checks passed, {failed} failed, {unreached} not reached, {unchecked} not checked, over {} run{} at time scale {}",
        report.score(),
        report.checks.len(),
        report.runs,
        if report.runs == 1 { "" } else { "s" },
        report.time_scale
    );
    for (k, v) in &report.params {
        let _ = write!(summary, ", {k}={v}");
    }
    let _ = writeln!(out, "<p>{}</p>", xml_escape(&summary));
    let facts = report.facts.text();
    if !facts.trim().is_empty() {
        let _ = writeln!(
            out,
            "<pre>{}</pre>",
            xml_escape(facts.trim_end()).replace("&#10;", "\n")
        );
    }
    out.push_str(
        "<table>\n<tr><th>result</th><th>check</th><th>kind</th><th>runs held</th></tr>\n",
    );
    for c in &report.checks {
        let (tag, class) = match c.status {
            CheckStatus::Passed => ("PASS", "passed"),
            CheckStatus::Failed => ("FAIL", "failed"),
            CheckStatus::NotReached => ("not reached", "unreached"),
            CheckStatus::NotChecked => ("not checked", "unreached"),
            CheckStatus::Undecided => ("undecided", "unreached"),
        };
        let kind = match (c.kind, c.threshold) {
            (CheckKind::Guaranteed, _) => "guaranteed".to_string(),
            (CheckKind::Likely, Some(t)) => format!("likely (needs {}%)", (t * 100.0).round()),
            (CheckKind::Likely, None) => "likely".to_string(),
        };
        let held = if c.status == CheckStatus::NotReached {
            "no run printed a line it judges".to_string()
        } else if c.status == CheckStatus::NotChecked {
            "it needs the trace; no run could be judged by it".to_string()
        } else {
            format!("{} of {}", c.runs_passed, report.runs)
        };
        let _ = writeln!(
            out,
            "<tr class=\"check\"><td class=\"{class}\">{tag}</td><td>{}</td><td>{kind}</td><td>{held}</td></tr>",
            xml_escape(&c.name)
        );
        if let Some(f) = c.failures.first() {
            let _ = writeln!(
                out,
                "<tr><td></td><td colspan=\"3\"><pre>run {} (failed in {} of {} runs):\n{}</pre></td></tr>",
                f.run,
                c.failures.len(),
                report.runs,
                xml_escape(&f.message).replace("&#10;", "\n")
            );
        }
    }
    out.push_str("</table>\n");
    if let Some((run, svg)) = timeline {
        let which = if report.passed {
            "a passing run"
        } else {
            "the first failing run"
        };
        let _ = writeln!(
            out,
            "<h2>Run {run}, {which}: who printed what, when</h2>\n<div class=\"timeline\">\n{svg}</div>"
        );
    }
    if let Some(d) = &report.diff {
        let mut text = String::new();
        d.render(&mut text);
        let _ = writeln!(
            out,
            "<h2>Run {} beside a correct run</h2>\n<pre>{}</pre>",
            d.run,
            xml_escape(&text).replace("&#10;", "\n")
        );
    }
    out.push_str("</body>\n</html>\n");
    out
}
