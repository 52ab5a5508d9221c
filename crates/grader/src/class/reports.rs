//! One submission's files in the class's output folder: `NAME/build.log` (written by the
//! build), and `NAME/report.txt`, `report.json`, `report.html`, `gradescope.json`.

use std::fs;
use std::path::Path;

use crate::report::{CheckStatus, Format, Report};

use super::error::ClassError;
use super::results::ReportFiles;

/// The build log's name in a submission's folder.
pub(crate) const BUILD_LOG: &str = "build.log";
/// The Gradescope `results.json` body's name in a submission's folder.
pub(crate) const GRADESCOPE_FILE: &str = "gradescope.json";
/// The build log's tail quoted when a build failed, in bytes at most.
const LOG_TAIL: usize = 8 * 1024;
/// A failing run's lines quoted in each failed Gradescope test, at most.
const RUN_LINES_SHOWN: usize = 60;

/// The HTML report with the failing run's timeline, when the grader has one.
///
/// TODO(issue 11): the grader's HTML report (`--format html`) is not there yet; when it is,
/// return `Some(report.render(Format::Html, false))`. The class's reports and `index.html` link
/// it as soon as this returns it.
fn html_report(report: &Report) -> Option<String> {
    let _ = report;
    None
}

/// The grader's Gradescope body, each failed test's output followed by what the first failing
/// run printed (its first lines), so a student sees the run beside the verdict.
fn gradescope_body(report: &Report) -> String {
    let body = report.render(Format::Gradescope, false);
    let Some(diff) = &report.diff else {
        return body;
    };
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&body) else {
        return body;
    };
    let mut printed = format!("\n\nthe first failing run (run {}) printed:", diff.run);
    for line in diff.lines.iter().take(RUN_LINES_SHOWN) {
        printed.push_str("\n  ");
        printed.push_str(line);
    }
    if diff.lines.len() > RUN_LINES_SHOWN {
        printed.push_str(&format!(
            "\n  ... ({} more lines)",
            diff.lines.len() - RUN_LINES_SHOWN
        ));
    }
    if diff.lines.is_empty() {
        printed.push_str(" nothing on stdout");
    }
    // One test per check, in the report's order; only checks that failed get the run.
    let tests = value["tests"].as_array_mut().into_iter().flatten();
    for (test, check) in tests.zip(&report.checks) {
        if check.status == CheckStatus::Failed
            && let Some(output) = test.get_mut("output")
        {
            *output = format!("{}{printed}", output.as_str().unwrap_or_default()).into();
        }
    }
    let mut text = serde_json::to_string_pretty(&value).unwrap_or(body);
    text.push('\n');
    text
}

fn write(dir: &Path, name: &str, text: &str) -> Result<(), ClassError> {
    let path = dir.join(name);
    fs::write(&path, text).map_err(|e| ClassError::io(&path, "cannot write", e))
}

/// Writes a graded submission's reports into `out/name/` and says which files there are.
pub(crate) fn write_graded(
    out: &Path,
    name: &str,
    report: &Report,
) -> Result<ReportFiles, ClassError> {
    let dir = out.join(name);
    let rel = |file: &str| format!("{name}/{file}");
    write(&dir, "report.txt", &report.render(Format::Text, false))?;
    write(&dir, "report.json", &report.render(Format::Json, false))?;
    write(&dir, GRADESCOPE_FILE, &gradescope_body(report))?;
    let html = match html_report(report) {
        Some(page) => {
            write(&dir, "report.html", &page)?;
            Some(rel("report.html"))
        }
        None => None,
    };
    Ok(ReportFiles {
        build_log: rel(BUILD_LOG),
        text: Some(rel("report.txt")),
        json: Some(rel("report.json")),
        html,
        gradescope: rel(GRADESCOPE_FILE),
    })
}

/// Writes what there is for a submission that was not graded: a Gradescope body scoring every
/// check 0 (`checks` are the names a grading would have judged), with `why` and the build log's
/// tail. Says which files there are.
pub(crate) fn write_not_graded(
    out: &Path,
    name: &str,
    checks: &[String],
    why: &str,
) -> Result<ReportFiles, ClassError> {
    let dir = out.join(name);
    let log = fs::read(dir.join(BUILD_LOG)).unwrap_or_default();
    let tail = String::from_utf8_lossy(&log[log.len().saturating_sub(LOG_TAIL)..]).into_owned();
    let mut tests = vec![serde_json::json!({
        "name": "build",
        "score": 0.0,
        "max_score": 0.0,
        "status": "failed",
        "output": format!("{why}\n\n{tail}"),
    })];
    tests.extend(checks.iter().map(|c| {
        serde_json::json!({
            "name": c,
            "score": 0.0,
            "max_score": 1.0,
            "status": "failed",
            "output": format!("not graded: {why}"),
        })
    }));
    let body = serde_json::json!({
        "score": 0.0,
        "output": format!("Not graded: {why}"),
        "tests": tests,
    });
    let mut text = serde_json::to_string_pretty(&body).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    write(&dir, GRADESCOPE_FILE, &text)?;
    Ok(ReportFiles {
        build_log: format!("{name}/{BUILD_LOG}"),
        gradescope: format!("{name}/{GRADESCOPE_FILE}"),
        ..ReportFiles::default()
    })
}
