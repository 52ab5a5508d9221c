//! A submission's row in the results: from its grading, or why it was not graded. Each writes
//! the submission's reports under the output folder `out`.

use std::path::Path;

use crate::error::{GradeError, GradeErrorKind};
use crate::outcome::RunOutcome;
use crate::report::{CheckStatus, Report};
use crate::spec::Spec;

use super::error::ClassError;
use super::reports::{write_graded, write_not_graded};
use super::results::{BuildStatus, ReportFiles, SubmissionResult, Verdict};
use super::submission::Submission;

/// The row of a submission that was not graded, `why`: `(build, grader_error)` say whether it
/// built and whether the grader (not the submission) failed.
pub(super) fn not_graded(
    out: &Path,
    sub: &Submission,
    checks: &[String],
    why: String,
    (build, grader_error): (BuildStatus, bool),
    build_seconds: f64,
) -> Result<SubmissionResult, ClassError> {
    let files = write_not_graded(out, &sub.name, checks, &why)?;
    Ok(SubmissionResult {
        submission: sub.name.clone(),
        form: sub.form,
        build,
        verdict: Verdict::NotGraded,
        checks_passed: None,
        checks_total: None,
        first_failed_check: None,
        first_failed_title: None,
        note: Some(why),
        grader_error,
        build_seconds,
        grade_seconds: None,
        files,
    })
}

/// What every graded row is judged against: the spec, the example's name for the reports,
/// and its checks' names (for the rows of submissions not graded).
#[derive(Debug, Clone, Copy)]
pub(super) struct Against<'a> {
    pub(super) spec: &'a Spec,
    pub(super) example: &'a str,
    pub(super) checks: &'a [String],
}

/// The row of a submission that built, from its grading; `(build_seconds, grade_seconds)`.
pub(super) fn graded_row(
    out: &Path,
    sub: &Submission,
    against: Against<'_>,
    result: Result<(Report, Vec<RunOutcome>), GradeError>,
    (build_seconds, grade_seconds): (f64, f64),
) -> Result<SubmissionResult, ClassError> {
    let Against {
        spec,
        example,
        checks,
    } = against;
    let (mut report, outcomes) = match result {
        Ok(r) => r,
        Err(e) => {
            // A command that cannot start is the submission's; anything else is ours.
            let ours = e.kind() != GradeErrorKind::Run;
            return not_graded(
                out,
                sub,
                checks,
                e.to_string(),
                (BuildStatus::Ok, ours),
                build_seconds,
            );
        }
    };
    report.example = example.to_string();
    let files: ReportFiles = write_graded(out, &sub.name, spec, &report, &outcomes)?;
    Ok(SubmissionResult {
        submission: sub.name.clone(),
        form: sub.form,
        build: BuildStatus::Ok,
        verdict: if report.passed {
            Verdict::Pass
        } else {
            Verdict::Fail
        },
        checks_passed: Some(report.score()),
        checks_total: Some(report.max_score()),
        first_failed_check: report
            .checks
            .iter()
            .find(|c| c.status == CheckStatus::Failed)
            .map(|c| c.name.clone()),
        first_failed_title: report
            .checks
            .iter()
            .find(|c| c.status == CheckStatus::Failed)
            .and_then(|c| c.title.clone()),
        note: None,
        grader_error: false,
        build_seconds,
        grade_seconds: Some(grade_seconds),
        files,
    })
}
