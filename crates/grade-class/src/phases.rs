//! The two phases of a class on the worker pool: every submission built, then every one that
//! built graded, each piece of news shown on the progress line.

use std::time::Instant;

use grader::grade_runs;
use i18n::say;

use super::build::build;
use super::compile::{BuildContext, Built};
use super::error::{ClassError, ClassErrorKind};
use super::options::ClassOptions;
use super::pool::{News, run_pool};
use super::prepare::Class;
use super::progress::{Phase, Progress};
use super::reports::BUILD_LOG;
use super::results::Verdict;
use super::rows::{BuildResult, GradeResult, ToGrade, graded_row};
use super::scratch::Scratch;
use super::submission::Submission;

/// Builds every submission, each in a folder of its own under `scratch`, its log beside its
/// reports.
pub(super) fn build_all(
    opts: &ClassOptions,
    jobs: usize,
    (subs, ctx): (&[Submission], &BuildContext),
    scratch: &Scratch,
    progress: &mut Progress,
) -> Result<Vec<BuildResult>, ClassError> {
    let names: Vec<&str> = subs.iter().map(|s| s.name.as_str()).collect();
    run_pool(
        jobs,
        subs.iter().collect(),
        |i, sub: &Submission| {
            let t = Instant::now();
            let log = opts.out.join(&sub.name).join(BUILD_LOG);
            let built = build(sub, &scratch.path().join(i.to_string()), &log, ctx);
            (built, t.elapsed().as_secs_f64())
        },
        |news| match news {
            News::Started(i) => progress.started(i, names[i], Phase::Building),
            News::Done(i, r) => {
                let (failed, secs) = match r {
                    Ok((Ok(Built::Command(_)), s)) => (None, *s),
                    Ok((Ok(Built::Failed(why)), s)) => (Some(why.clone()), *s),
                    Ok((Err(e), s)) => (Some(e.to_string()), *s),
                    Err(panic) => (Some(panic.clone()), 0.0),
                };
                progress.built(i, failed.as_deref(), secs);
            }
            News::Tick => progress.tick(),
        },
    )
    .map_err(|e| ClassError::with_cause(ClassErrorKind::Grader, say!("class-err-workers"), e))
}

/// Grades every submission that built, in this process (see `grading`), each into its row.
pub(super) fn grade_all(
    opts: &ClassOptions,
    class: &Class,
    (subs, to_grade): (&[Submission], &[ToGrade]),
    progress: &mut Progress,
) -> Result<Vec<GradeResult>, ClassError> {
    let against = class.against();
    run_pool(
        class.jobs,
        to_grade.to_vec(),
        |_, (i, cmd, build_secs)| {
            let t = Instant::now();
            let result = grade_runs(&class.spec, &opts.grading, &cmd, &mut |_| {});
            let secs = t.elapsed().as_secs_f64();
            graded_row(&opts.out, &subs[i], against, result, (build_secs, secs))
        },
        |news| match news {
            News::Started(k) => {
                let i = to_grade[k].0;
                progress.started(i, &subs[i].name, Phase::Grading)
            }
            News::Done(k, r) => show_graded(progress, to_grade[k].0, r),
            News::Tick => progress.tick(),
        },
    )
    .map_err(|e| ClassError::with_cause(ClassErrorKind::Grader, say!("class-err-workers"), e))
}

/// Submission `i`'s grading on the progress line.
fn show_graded(progress: &mut Progress, i: usize, r: &GradeResult) {
    match r {
        Ok(Ok(row)) => progress.graded(
            i,
            row.verdict,
            row.checks_passed.zip(row.checks_total),
            row.note.as_deref(),
            row.grade_seconds.unwrap_or(0.0),
        ),
        Ok(Err(e)) => progress.graded(i, Verdict::NotGraded, None, Some(&e.to_string()), 0.0),
        Err(panic) => progress.graded(i, Verdict::NotGraded, None, Some(panic), 0.0),
    }
}
