//! One submission's files in the class's output folder: `NAME/build.log` (written by the
//! build), and `NAME/report.txt`, `report.json`, `report.html` (with the first failing run's
//! timeline), `gradescope.json`.

use std::fs;
use std::path::Path;

use grader::Format;
use grader::RunOutcome;
use grader::Spec;
use grader::html_report;
use grader::run_timeline;
use grader::{CheckStatus, Report};

use super::error::ClassError;
use super::results::ReportFiles;
use grader::visible_lines;
use i18n::say;

/// The build log's name in a submission's folder.
pub(crate) const BUILD_LOG: &str = "build.log";
/// The Gradescope `results.json` body's name in a submission's folder.
pub(crate) const GRADESCOPE_FILE: &str = "gradescope.json";
/// The build log's tail quoted when a build failed, in bytes at most.
const LOG_TAIL: usize = 8 * 1024;
/// A failing run's lines quoted in each failed Gradescope test, at most.
const RUN_LINES_SHOWN: usize = 60;

/// The HTML report: summary, checks, and the first failing run's timeline (the first run's
/// when none failed), as `grade --format html` writes it.
fn html_page(spec: &Spec, report: &Report, outcomes: &[RunOutcome]) -> String {
    let first_failing = report
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Failed)
        .flat_map(|c| c.failures.first())
        .map(|f| f.run)
        .min();
    let shown = match first_failing {
        Some(k) => outcomes.iter().find(|o| o.run == k),
        None => outcomes.first(),
    };
    let svg = shown.map(|run| (run.run, run_timeline(spec, report, run, false)));
    html_report(report, svg.as_ref().map(|(k, s)| (*k, s.as_str())))
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
    let mut printed = format!("\n\n{}", say!("class-gs-first-failing", run = diff.run));
    for line in diff.lines.iter().take(RUN_LINES_SHOWN) {
        printed.push_str("\n  ");
        printed.push_str(line);
    }
    if diff.lines.len() > RUN_LINES_SHOWN {
        let more = diff.lines.len() - RUN_LINES_SHOWN;
        printed.push_str(&format!(
            "\n  {}",
            say!("class-gs-more-lines", count = more)
        ));
    }
    if diff.lines.is_empty() {
        printed.push_str(&say!("class-gs-nothing"));
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
    let mut text = grader::json_safe(serde_json::to_string_pretty(&value).unwrap_or(body));
    text.push('\n');
    text
}

fn write(dir: &Path, name: &str, text: &str) -> Result<(), ClassError> {
    let path = dir.join(name);
    fs::write(&path, text).map_err(|e| ClassError::io(&path, "class-io-write", e))
}

/// Writes a graded submission's reports into `out/name/` (`spec` and the runs' `outcomes`
/// draw the HTML report's timeline) and says which files there are.
pub(crate) fn write_graded(
    out: &Path,
    name: &str,
    spec: &Spec,
    report: &Report,
    outcomes: &[RunOutcome],
) -> Result<ReportFiles, ClassError> {
    let dir = out.join(name);
    let rel = |file: &str| format!("{name}/{file}");
    // What the port printed is quoted in the text report: shown, never sent to a terminal.
    write(
        &dir,
        "report.txt",
        &visible_lines(&report.render(Format::Text, false)),
    )?;
    write(&dir, "report.json", &report.render(Format::Json, false))?;
    write(&dir, GRADESCOPE_FILE, &gradescope_body(report))?;
    write(&dir, "report.html", &html_page(spec, report, outcomes))?;
    Ok(ReportFiles {
        build_log: rel(BUILD_LOG),
        text: Some(rel("report.txt")),
        json: Some(rel("report.json")),
        html: Some(rel("report.html")),
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
            "output": say!("class-gs-not-graded", why = why),
        })
    }));
    let body = serde_json::json!({
        "score": 0.0,
        "output": say!("class-gs-not-graded-head", why = why),
        "tests": tests,
    });
    let mut text =
        grader::json_safe(serde_json::to_string_pretty(&body).unwrap_or_else(|_| "{}".into()));
    text.push('\n');
    write(&dir, GRADESCOPE_FILE, &text)?;
    Ok(ReportFiles {
        build_log: format!("{name}/{BUILD_LOG}"),
        gradescope: format!("{name}/{GRADESCOPE_FILE}"),
        ..ReportFiles::default()
    })
}
