//! Grading a class: discover the submissions, build them all, then grade them all, each phase
//! on the worker pool, and write the results.
//!
//! Builds and gradings are two phases, not a pipeline: a build keeps cores busy for seconds,
//! and a grading judges timings, so a grading never runs beside a build of this class.
//!
//! Each grading runs in this process, on its worker thread, through
//! [`grade_runs`](grader::grade_runs),
//! rather than as a `grade` child: the reports come back as values, and the fence (Landlock
//! scopes a port's signals to its run) keeps a hostile port from killing the class. That is
//! sound with several gradings at once: an untraced run waits only for its own main process
//! and for zombies it identified as its own (never `waitpid(-1)`), telling its processes apart
//! by session, process group, descent and a unique marker; a traced run's tracer thread waits
//! with `__WALL | __WNOTHREAD`, so only for the tasks that thread started and traces, and
//! orphans adopted by this process (the child subreaper of all of them) go to its main thread,
//! not to a tracer. Builds (`step`) wait only for their own pids too, and never overlap
//! gradings.

use std::fs;
use std::time::Instant;

use grader::ensure_subreaper;
use i18n::say;

use super::error::{ClassError, ClassErrorKind};
use super::html::index_html;
use super::options::ClassOptions;
use super::phases::{build_all, grade_all};
use super::prepare::{Class, build_context, prepare_out, submissions};
use super::progress::Progress;
use super::results::ClassResults;
use super::rows::{fill_graded, rows_of_builds};
use super::scratch::Scratch;

/// Builds and grades every submission of `opts.dir` and writes `results.csv`, `results.json`,
/// `index.html` and each submission's files under `opts.out`; progress goes to stderr.
///
/// Errors: the class cannot be graded at all (no such folder or no submission, unknown example
/// or bad spec, options out of range, a tool the submissions need missing, the output folder
/// not writable). Whatever a submission does is in its row instead.
pub fn grade_class(opts: &ClassOptions) -> Result<ClassResults, ClassError> {
    let started = Instant::now();
    let class = Class::prepare(opts)?;
    let subs = submissions(opts)?;
    let ctx = build_context(opts, &subs)?;
    ensure_subreaper().map_err(|e| {
        ClassError::with_cause(ClassErrorKind::Grader, say!("class-err-supervise"), e)
    })?;
    prepare_out(&opts.out, &subs)?;
    let scratch = Scratch::create()
        .map_err(|e| ClassError::io(&std::env::temp_dir(), "class-io-scratch", e))?;
    let mut progress = Progress::new(subs.len(), false);
    let builds = build_all(opts, class.jobs, (&subs, &ctx), &scratch, &mut progress)?;
    let (mut rows, to_grade) = rows_of_builds(&opts.out, &opts.args, &subs, &class.checks, builds)?;
    let graded = grade_all(opts, &class, (&subs, &to_grade), &mut progress)?;
    progress.finish();
    fill_graded(
        &opts.out,
        &subs,
        &class.checks,
        &mut rows,
        (&to_grade, graded),
    )?;
    drop(scratch);
    let results = ClassResults {
        example: class.example,
        runs: opts.grading.runs,
        time_scale: opts.grading.time_scale,
        jobs: class.jobs,
        seconds: started.elapsed().as_secs_f64(),
        submissions: rows.into_iter().flatten().collect(),
    };
    write_results(opts, &results)?;
    Ok(results)
}

/// `results.csv`, `results.json` and `index.html` in the output folder.
fn write_results(opts: &ClassOptions, results: &ClassResults) -> Result<(), ClassError> {
    for (name, text) in [
        ("results.csv", results.csv()),
        ("results.json", results.json()),
        ("index.html", index_html(results)),
    ] {
        let path = opts.out.join(name);
        fs::write(&path, text).map_err(|e| ClassError::io(&path, "class-io-write", e))?;
    }
    Ok(())
}
