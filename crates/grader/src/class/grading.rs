//! Grading a class: discover the submissions, build them all, then grade them all, each phase
//! on the worker pool, and write the results.
//!
//! Builds and gradings are two phases, not a pipeline: a build keeps cores busy for seconds,
//! and a grading judges timings, so a grading never runs beside a build of this class.
//!
//! Each grading runs in this process, on its worker thread, through [`grade`](crate::grade).
//! That is sound with several at once: a run only ever waits for its own main process and for
//! zombies it identified as its own (never `waitpid(-1)`), tells its processes apart by
//! session, process group, descent and a unique marker, and the child subreaper is this process
//! for all of them. Builds (`step`) follow the same rule.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::GradeErrorKind;
use crate::grade::{GradeOptions, check_options, ensure_subreaper, grade};
use crate::judge::judge;
use crate::report::{CheckStatus, Report};
use crate::spec::Spec;
use crate::spec::params::Params;

use super::compile::{Built, build};
use super::error::{ClassError, ClassErrorKind};
use super::html::index_html;
use super::pool::{News, run_pool};
use super::progress::{Phase, Progress};
use super::reports::{BUILD_LOG, write_graded, write_not_graded};
use super::results::{BuildStatus, ClassResults, ReportFiles, SubmissionResult, Verdict};
use super::scratch::Scratch;
use super::submission::{Form, Submission, discover};

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
}

/// The default `--jobs` for `spec`: one grading per core, but one at a time when the spec
/// judges how many cores a port keeps busy (it has a `cores` parameter, as `multicore`): a
/// grading beside it would take cores it measures. Measured in the README: gradings of
/// sleeping ports (`pool`, `fork`) keep their verdicts with more jobs than cores; a busy port's
/// verdict follows the cores it is left.
pub fn default_jobs(spec: &Spec) -> usize {
    if spec.param_names().contains(&"cores") {
        return 1;
    }
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// Builds and grades every submission of `opts.dir` and writes `results.csv`, `results.json`,
/// `index.html` and each submission's files under `opts.out`; progress goes to stderr.
///
/// Errors: the class cannot be graded at all (no such folder or no submission, unknown example
/// or bad spec, options out of range, a tool the submissions need missing, the output folder
/// not writable). Whatever a submission does is in its row instead.
pub fn grade_class(opts: &ClassOptions) -> Result<ClassResults, ClassError> {
    let started = Instant::now();
    let spec = load_spec(opts)?;
    let example = opts
        .example
        .clone()
        .unwrap_or_else(|| spec.name().to_string());
    check_options(&opts.grading)
        .map_err(|e| ClassError::with_cause(ClassErrorKind::Grading, "bad grading options", e))?;
    let scale = opts.grading.time_scale.unwrap_or(1.0);
    let params = Params::resolve(&spec, &opts.grading.params, scale)
        .map_err(|e| ClassError::with_cause(ClassErrorKind::Grading, "bad --param", e))?;
    let check_names: Vec<String> = judge(&spec, &params, &[])
        .checks
        .into_iter()
        .map(|c| c.name)
        .collect();
    let jobs = opts.jobs.unwrap_or_else(|| default_jobs(&spec));
    if jobs == 0 {
        return Err(ClassError::new(
            ClassErrorKind::Grading,
            "--jobs must be at least 1",
        ));
    }
    let (subs, skipped) = discover(&opts.dir, &opts.out)?;
    for line in &skipped {
        eprintln!("grade class: {line}");
    }
    if subs.is_empty() {
        return Err(ClassError::new(
            ClassErrorKind::Folder,
            format!("no submissions in {}", opts.dir.display()),
        ));
    }
    check_tools(&subs)?;
    ensure_subreaper()
        .map_err(|e| ClassError::with_cause(ClassErrorKind::Grader, "cannot supervise runs", e))?;
    prepare_out(&opts.out, &subs)?;
    let scratch = Scratch::create()
        .map_err(|e| ClassError::io(&std::env::temp_dir(), "cannot make a scratch folder in", e))?;

    let mut progress = Progress::new(subs.len(), false);
    let names: Vec<&str> = subs.iter().map(|s| s.name.as_str()).collect();
    let builds = run_pool(
        jobs,
        subs.iter().collect(),
        |i, sub: &Submission| {
            let t = Instant::now();
            let log = opts.out.join(&sub.name).join(BUILD_LOG);
            let built = build(
                sub,
                &scratch.path().join(i.to_string()),
                &log,
                opts.build_timeout,
            );
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
    .map_err(|e| ClassError::with_cause(ClassErrorKind::Grader, "cannot start workers", e))?;

    // Rows for what did not build; commands for what did.
    let mut rows: Vec<Option<SubmissionResult>> = Vec::with_capacity(subs.len());
    let mut to_grade: Vec<(usize, Vec<OsString>, f64)> = Vec::new();
    for (i, (sub, b)) in subs.iter().zip(builds).enumerate() {
        let (outcome, secs) = match b {
            Ok((Ok(built), secs)) => (Ok(built), secs),
            Ok((Err(e), secs)) => (Err(e.to_string()), secs),
            Err(panic) => (Err(panic), 0.0),
        };
        match outcome {
            Ok(Built::Command(mut cmd)) => {
                cmd.extend(opts.args.iter().cloned());
                to_grade.push((i, cmd, secs));
                rows.push(None);
            }
            Ok(Built::Failed(why)) => rows.push(Some(not_graded(
                opts,
                sub,
                &check_names,
                why,
                (BuildStatus::Failed, false),
                secs,
            )?)),
            Err(why) => rows.push(Some(not_graded(
                opts,
                sub,
                &check_names,
                why,
                (BuildStatus::Failed, true),
                secs,
            )?)),
        }
    }

    let graded = run_pool(
        jobs,
        to_grade.clone(),
        |_, (i, cmd, build_secs)| {
            let t = Instant::now();
            let result = grade(&spec, &opts.grading, &cmd);
            let secs = t.elapsed().as_secs_f64();
            graded_row(
                opts,
                &subs[i],
                &example,
                &check_names,
                result,
                build_secs,
                secs,
            )
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
    .map_err(|e| ClassError::with_cause(ClassErrorKind::Grader, "cannot start workers", e))?;
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
                opts,
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
        fs::write(&path, text).map_err(|e| ClassError::io(&path, "cannot write", e))?;
    }
    Ok(results)
}

fn load_spec(opts: &ClassOptions) -> Result<Spec, ClassError> {
    let spec = match (&opts.spec, &opts.example) {
        (Some(path), _) => Spec::from_toml_file(path),
        (None, Some(example)) => Spec::builtin(example),
        (None, None) => {
            return Err(ClassError::new(
                ClassErrorKind::Grading,
                "no example given: --example EXAMPLE or --spec FILE (see grade --list)",
            ));
        }
    };
    spec.map_err(|e| ClassError::new(ClassErrorKind::Grading, e.to_string()))
}

/// Fails when a tool some submission needs is not on PATH.
fn check_tools(subs: &[Submission]) -> Result<(), ClassError> {
    let mut missing = Vec::new();
    for (form, tool) in [
        (Form::Cargo, "cargo"),
        (Form::Rust, "rustc"),
        (Form::Python, "python3"),
    ] {
        let users: Vec<&str> = subs
            .iter()
            .filter(|s| s.form == form)
            .map(|s| s.name.as_str())
            .collect();
        if !users.is_empty() && !on_path(tool) {
            missing.push(format!("{tool} (needed by {})", users.join(", ")));
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(ClassError::new(
            ClassErrorKind::Tool,
            format!("not installed: {}", missing.join("; ")),
        ))
    }
}

fn on_path(tool: &str) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| {
            fs::metadata(dir.join(tool))
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
    })
}

/// Makes the output folder, and an empty folder per submission (the last grading's files go).
fn prepare_out(out: &Path, subs: &[Submission]) -> Result<(), ClassError> {
    fs::create_dir_all(out).map_err(|e| ClassError::io(out, "cannot make", e))?;
    for sub in subs {
        let dir = out.join(&sub.name);
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| ClassError::io(&dir, "cannot empty", e))?;
        }
        fs::create_dir_all(&dir).map_err(|e| ClassError::io(&dir, "cannot make", e))?;
    }
    Ok(())
}

/// The row of a submission that was not graded, `why`: `(build, grader_error)` say whether it
/// built and whether the grader (not the submission) failed.
fn not_graded(
    opts: &ClassOptions,
    sub: &Submission,
    checks: &[String],
    why: String,
    (build, grader_error): (BuildStatus, bool),
    build_seconds: f64,
) -> Result<SubmissionResult, ClassError> {
    let files = write_not_graded(&opts.out, &sub.name, checks, &why)?;
    Ok(SubmissionResult {
        submission: sub.name.clone(),
        form: sub.form,
        build,
        verdict: Verdict::NotGraded,
        checks_passed: None,
        checks_total: None,
        first_failed_check: None,
        note: Some(why),
        grader_error,
        build_seconds,
        grade_seconds: None,
        files,
    })
}

/// The row of a submission that built, from its grading.
fn graded_row(
    opts: &ClassOptions,
    sub: &Submission,
    example: &str,
    checks: &[String],
    result: Result<Report, crate::GradeError>,
    build_seconds: f64,
    grade_seconds: f64,
) -> Result<SubmissionResult, ClassError> {
    let mut report = match result {
        Ok(r) => r,
        Err(e) => {
            // A command that cannot start is the submission's; anything else is ours.
            let ours = e.kind() != GradeErrorKind::Run;
            return not_graded(
                opts,
                sub,
                checks,
                e.to_string(),
                (BuildStatus::Ok, ours),
                build_seconds,
            );
        }
    };
    report.example = example.to_string();
    let files: ReportFiles = write_graded(&opts.out, &sub.name, &report)?;
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
        checks_total: Some(report.checks.len()),
        first_failed_check: report
            .checks
            .iter()
            .find(|c| c.status == CheckStatus::Failed)
            .map(|c| c.name.clone()),
        note: None,
        grader_error: false,
        build_seconds,
        grade_seconds: Some(grade_seconds),
        files,
    })
}
