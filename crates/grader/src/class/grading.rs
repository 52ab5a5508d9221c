//! Grading a class: discover the submissions, build them all, then grade them all, each phase
//! on the worker pool, and write the results.
//!
//! Builds and gradings are two phases, not a pipeline: a build keeps cores busy for seconds,
//! and a grading judges timings, so a grading never runs beside a build of this class.
//!
//! Each grading runs in this process, on its worker thread, through
//! [`grade_runs`](crate::grade_runs),
//! rather than as a `grade` child: the reports come back as values, and the fence (Landlock
//! scopes a port's signals to its run) keeps a hostile port from killing the class. That is
//! sound with several gradings at once: an untraced run waits only for its own main process
//! and for zombies it identified as its own (never `waitpid(-1)`), telling its processes apart
//! by session, process group, descent and a unique marker; a traced run's tracer thread waits
//! with `__WALL | __WNOTHREAD`, so only for the tasks that thread started and traces, and
//! orphans adopted by this process (the child subreaper of all of them) go to its main thread,
//! not to a tracer. Builds (`step`) wait only for their own pids too, and never overlap
//! gradings.

use std::ffi::OsString;
use std::fs;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::grade::{GradeOptions, check_options, ensure_subreaper, grade_runs};
use crate::judge::check_list;
use crate::spec::params::Params;

use super::cargo_home::teacher_registry;
use super::compile::{BuildContext, Built, build, build_env};
use super::error::{ClassError, ClassErrorKind};
use super::html::index_html;
use super::pool::{News, run_pool};
use super::prepare::{check_tools, default_jobs, load_spec, prepare_out};
use super::progress::{Phase, Progress};
use super::reports::BUILD_LOG;
use super::results::{BuildStatus, ClassResults, SubmissionResult, Verdict};
use super::rows::{Against, graded_row, not_graded};
use super::run_env::scrubbed;
use super::scratch::Scratch;
use super::submission::{Form, Submission, discover};
use super::toolchain::Toolchain;
use super::visible::visible;
use crate::say::say;

/// How to grade a class.
#[derive(Debug, Clone)]
pub struct ClassOptions {
    /// The class folder: one submission per entry.
    pub dir: PathBuf,
    /// The built-in example to grade against; with `spec`, only its name in the reports.
    pub example: Option<String>,
    /// A spec file instead of the built-in one.
    pub spec: Option<PathBuf>,
    /// How to grade each submission.
    pub grading: GradeOptions,
    /// Worker threads (at least 1); `None`: [`default_jobs`] for the example.
    pub jobs: Option<usize>,
    /// Where the results and each submission's reports and build log go (made if missing).
    pub out: PathBuf,
    /// A build past this long (all its steps) is killed and failed.
    pub build_timeout: Duration,
    /// Arguments given to every submission's program (e.g. `5` for the notes' `Pool(5)`).
    pub args: Vec<OsString>,
    /// `--allow-git`: a Cargo submission's git dependencies over `https://` are fetched
    /// (inside the fetch fence) instead of refused.
    pub allow_git: bool,
    /// Variables of `grade`'s environment passed to every build step (`--build-env`); the
    /// others are not, but the locale and time zone.
    pub build_env: Vec<String>,
}

/// Builds and grades every submission of `opts.dir` and writes `results.csv`, `results.json`,
/// `index.html` and each submission's files under `opts.out`; progress goes to stderr.
///
/// Errors: the class cannot be graded at all (no such folder or no submission, unknown example
/// or bad spec, options out of range, a tool the submissions need missing, the output folder
/// not writable). Whatever a submission does is in its row instead.
pub fn grade_class(opts: &ClassOptions) -> Result<ClassResults, ClassError> {
    let started = Instant::now();
    let spec = load_spec(opts.spec.as_deref(), opts.example.as_deref())?;
    let example = opts
        .example
        .clone()
        .unwrap_or_else(|| spec.name().to_string());
    check_options(&opts.grading).map_err(|e| {
        ClassError::with_cause(ClassErrorKind::Grading, say!("class-err-options"), e)
    })?;
    let scale = opts.grading.time_scale.unwrap_or(1.0);
    let params = Params::resolve(&spec, &opts.grading.params, scale)
        .map_err(|e| ClassError::with_cause(ClassErrorKind::Grading, say!("class-err-param"), e))?;
    let check_names: Vec<String> = check_list(&spec).into_iter().map(|c| c.name).collect();
    let jobs = opts.jobs.unwrap_or_else(|| default_jobs(&params));
    if jobs == 0 {
        return Err(ClassError::new(
            ClassErrorKind::Grading,
            say!("class-err-jobs"),
        ));
    }
    let (subs, skipped) = discover(&opts.dir, &opts.out)?;
    for line in &skipped {
        eprintln!("grade class: {}", visible(line));
    }
    if subs.is_empty() {
        return Err(ClassError::new(
            ClassErrorKind::Folder,
            say!(
                "class-err-no-submissions",
                dir = opts.dir.display().to_string()
            ),
        ));
    }
    check_tools(&subs)?;
    let needs_rust = subs
        .iter()
        .any(|s| matches!(s.form, Form::Cargo | Form::Rust));
    let ctx = BuildContext {
        toolchain: needs_rust.then(Toolchain::resolve).transpose()?,
        registry: teacher_registry(),
        allow_git: opts.allow_git,
        timeout: opts.build_timeout,
        env: build_env(&opts.build_env),
    };
    ensure_subreaper().map_err(|e| {
        ClassError::with_cause(ClassErrorKind::Grader, say!("class-err-supervise"), e)
    })?;
    prepare_out(&opts.out, &subs)?;
    let scratch = Scratch::create()
        .map_err(|e| ClassError::io(&std::env::temp_dir(), "class-io-scratch", e))?;

    let mut progress = Progress::new(subs.len(), false);
    let names: Vec<&str> = subs.iter().map(|s| s.name.as_str()).collect();
    let builds = run_pool(
        jobs,
        subs.iter().collect(),
        |i, sub: &Submission| {
            let t = Instant::now();
            let log = opts.out.join(&sub.name).join(BUILD_LOG);
            let built = build(sub, &scratch.path().join(i.to_string()), &log, &ctx);
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
    .map_err(|e| ClassError::with_cause(ClassErrorKind::Grader, say!("class-err-workers"), e))?;

    // Rows for what did not build; commands for what did.
    let mut rows: Vec<Option<SubmissionResult>> = Vec::with_capacity(subs.len());
    let mut to_grade: Vec<(usize, Vec<OsString>, f64)> = Vec::new();
    let teacher_vars: Vec<OsString> = std::env::vars_os().map(|(k, _)| k).collect();
    for (i, (sub, b)) in subs.iter().zip(builds).enumerate() {
        let (outcome, secs) = match b {
            Ok((Ok(built), secs)) => (Ok(built), secs),
            Ok((Err(e), secs)) => (Err(e.to_string()), secs),
            Err(panic) => (Err(panic), 0.0),
        };
        match outcome {
            Ok(Built::Command(mut cmd)) => {
                cmd.extend(opts.args.iter().cloned());
                let cmd = scrubbed(cmd, &teacher_vars);
                to_grade.push((i, cmd, secs));
                rows.push(None);
            }
            Ok(Built::Failed(why)) => rows.push(Some(not_graded(
                &opts.out,
                sub,
                &check_names,
                why,
                (BuildStatus::Failed, false),
                secs,
            )?)),
            Err(why) => rows.push(Some(not_graded(
                &opts.out,
                sub,
                &check_names,
                why,
                (BuildStatus::Failed, true),
                secs,
            )?)),
        }
    }

    let against = Against {
        spec: &spec,
        example: &example,
        checks: &check_names,
    };
    let graded = run_pool(
        jobs,
        to_grade.clone(),
        |_, (i, cmd, build_secs)| {
            let t = Instant::now();
            let result = grade_runs(&spec, &opts.grading, &cmd, &mut |_| {});
            let secs = t.elapsed().as_secs_f64();
            graded_row(&opts.out, &subs[i], against, result, (build_secs, secs))
        },
        |news| match news {
            News::Started(k) => {
                progress.started(to_grade[k].0, names[to_grade[k].0], Phase::Grading)
            }
            News::Done(k, r) => match r {
                Ok(Ok(row)) => progress.graded(
                    to_grade[k].0,
                    row.verdict,
                    row.checks_passed.zip(row.checks_total),
                    row.note.as_deref(),
                    row.grade_seconds.unwrap_or(0.0),
                ),
                Ok(Err(e)) => progress.graded(
                    to_grade[k].0,
                    Verdict::NotGraded,
                    None,
                    Some(&e.to_string()),
                    0.0,
                ),
                Err(panic) => {
                    progress.graded(to_grade[k].0, Verdict::NotGraded, None, Some(panic), 0.0)
                }
            },
            News::Tick => progress.tick(),
        },
    )
    .map_err(|e| ClassError::with_cause(ClassErrorKind::Grader, say!("class-err-workers"), e))?;
    progress.finish();
    for ((i, _, build_secs), g) in to_grade.iter().zip(graded) {
        let row: Result<SubmissionResult, String> = match g {
            Ok(Ok(row)) => Ok(row),
            Ok(Err(e)) => Err(e.to_string()),
            Err(panic) => Err(panic),
        };
        let row = match row {
            Ok(row) => row,
            Err(why) => not_graded(
                &opts.out,
                &subs[*i],
                &check_names,
                why,
                (BuildStatus::Ok, true),
                *build_secs,
            )?,
        };
        rows[*i] = Some(row);
    }
    drop(scratch);

    let results = ClassResults {
        example,
        runs: opts.grading.runs,
        time_scale: opts.grading.time_scale,
        jobs,
        seconds: started.elapsed().as_secs_f64(),
        submissions: rows.into_iter().flatten().collect(),
    };
    for (name, text) in [
        ("results.csv", results.csv()),
        ("results.json", results.json()),
        ("index.html", index_html(&results)),
    ] {
        let path = opts.out.join(name);
        fs::write(&path, text).map_err(|e| ClassError::io(&path, "class-io-write", e))?;
    }
    Ok(results)
}
