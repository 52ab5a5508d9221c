//! A submission's row in the results: from its grading, or why it was not graded. Each writes
//! the submission's reports under the output folder `out`.

use std::ffi::OsString;
use std::path::Path;

use grader::RunOutcome;
use grader::Spec;
use grader::{CheckStatus, Report};
use grader::{GradeError, GradeErrorKind};

use super::compile::Built;
use super::error::ClassError;
use super::reports::{write_graded, write_not_graded};
use super::results::{BuildStatus, ReportFiles, SubmissionResult, Verdict};
use super::submission::Submission;

/// A build from the pool: built or not and its seconds, or a worker panic's message.
pub(super) type BuildResult = Result<(Result<Built, ClassError>, f64), String>;
/// A grading from the pool: the row, or a worker panic's message.
pub(super) type GradeResult = Result<Result<SubmissionResult, ClassError>, String>;
/// A submission that built: its index, its command, its build's seconds.
pub(super) type ToGrade = (usize, Vec<OsString>, f64);

/// The rows of the class, one per submission: those that did not build have theirs; each
/// that did has its command (`args` added; each run keeps only what a port needs of the
/// teacher's environment, see `run/env.rs`), its row to
/// come from [`fill_graded`].
pub(super) fn rows_of_builds(
    out: &Path,
    args: &[OsString],
    subs: &[Submission],
    checks: &[String],
    builds: Vec<BuildResult>,
) -> Result<(Vec<Option<SubmissionResult>>, Vec<ToGrade>), ClassError> {
    let mut rows: Vec<Option<SubmissionResult>> = Vec::with_capacity(subs.len());
    let mut to_grade: Vec<ToGrade> = Vec::new();
    for (i, (sub, b)) in subs.iter().zip(builds).enumerate() {
        let (outcome, secs) = match b {
            Ok((Ok(built), secs)) => (Ok(built), secs),
            Ok((Err(e), secs)) => (Err(e.to_string()), secs),
            Err(panic) => (Err(panic), 0.0),
        };
        let (why, status) = match outcome {
            Ok(Built::Command(mut cmd)) => {
                cmd.extend(args.iter().cloned());
                to_grade.push((i, cmd, secs));
                rows.push(None);
                continue;
            }
            Ok(Built::Failed(why)) => (why, (BuildStatus::Failed, false)),
            Err(why) => (why, (BuildStatus::Failed, true)),
        };
        rows.push(Some(not_graded(out, sub, checks, why, status, secs)?));
    }
    Ok((rows, to_grade))
}

/// Puts each graded submission's row in `rows` (a row saying why when its grading failed).
pub(super) fn fill_graded(
    out: &Path,
    subs: &[Submission],
    checks: &[String],
    rows: &mut [Option<SubmissionResult>],
    (to_grade, graded): (&[ToGrade], Vec<GradeResult>),
) -> Result<(), ClassError> {
    for ((i, _, build_secs), g) in to_grade.iter().zip(graded) {
        let why = match g {
            Ok(Ok(row)) => {
                rows[*i] = Some(row);
                continue;
            }
            Ok(Err(e)) => e.to_string(),
            Err(panic) => panic,
        };
        let status = (BuildStatus::Ok, true);
        rows[*i] = Some(not_graded(
            out,
            &subs[*i],
            checks,
            why,
            status,
            *build_secs,
        )?);
    }
    Ok(())
}

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
