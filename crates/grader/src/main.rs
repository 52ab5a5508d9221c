//! `grade`: runs a student's port of one of the notes' programs many times and judges its output
//! against the example's spec.
//!
//!     grade EXAMPLE [OPTIONS] -- COMMAND [ARGS...]
//!     grade trace [-o FILE] -- COMMAND [ARGS...]
//!     grade --list
//!     grade class DIR --example EXAMPLE [OPTIONS]   (see grade class --help)
//!     grade gradescope EXAMPLE [OPTIONS] -o autograder.zip   (see grade gradescope --help)
//!
//! Exit status: 0 every check passed, 1 a check failed, 2 the grading could not be done.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use grader::{Format, GradeFence, GradeOptions, Progress, Report, RunOutcome, Spec, StdoutKind};

mod main_progress;
mod main_trace;

use main_progress::ProgressView;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
    Junit,
    Gradescope,
    /// One self-contained page: summary, checks, the first failing run's timeline
    Html,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum StdoutArg {
    /// A pseudo-terminal, as at a terminal (the default)
    #[value(alias = "pty")]
    Terminal,
    /// A pipe, as when redirected
    Pipe,
}

/// `--scheduler`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum SchedulerArg {
    /// PCT (Burckhardt et al., ASPLOS 2010), with a stated bound (the default)
    Pct,
    /// Random holds of a bounded length (the grader's scheduler before PCT)
    Random,
}

/// With `--confidence` and no `--runs`: the most runs made.
const CONFIDENCE_RUNS_MAX: usize = 500;

#[derive(Debug, Parser)]
#[command(
    name = "grade",
    version,
    about = "Grades a port of one of the notes' programs by its output over many runs",
    override_usage = "grade EXAMPLE [OPTIONS] -- COMMAND [ARGS...]\n       grade trace [-o FILE] -- COMMAND [ARGS...]   (a timeline of one run; see grade trace --help)\n       grade --list\n       grade class DIR --example EXAMPLE [OPTIONS]   (a whole class; see grade class --help)\n       grade gradescope EXAMPLE [OPTIONS] -o autograder.zip   (see grade gradescope --help)",
    after_help = "Exit status: 0 every check passed, 1 a check failed, 2 the grading could not be done."
)]
struct Cli {
    /// The example to grade against (see --list); optional with --spec
    example: Option<String>,

    /// List the built-in examples and exit
    #[arg(long)]
    list: bool,

    /// How many times to run COMMAND [default: 10; with --confidence, the ceiling, default 500]
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    runs: Option<u32>,

    /// Limit per run in seconds; the whole process tree is killed past it
    #[arg(long, default_value_t = 30.0, value_parser = positive, allow_negative_numbers = true)]
    timeout: f64,

    /// Sets MULTITASK_TIME_SCALE for COMMAND and scales the spec's time ranges
    #[arg(long, value_parser = positive, allow_negative_numbers = true)]
    time_scale: Option<f64>,

    /// A spec parameter, e.g. processes=5 for Pool(5) (repeatable)
    #[arg(long = "param", value_name = "K=V", value_parser = key_value)]
    params: Vec<(String, String)>,

    /// A spec file instead of the built-in one
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,

    /// A correct program (a command line, split at spaces), run once: the first failing run
    /// is shown beside its run
    #[arg(long, value_name = "COMMAND")]
    reference: Option<String>,

    /// Write each run's timeline to DIR/run-K.svg
    #[arg(long, value_name = "DIR")]
    timeline: Option<PathBuf>,

    /// Report format on stdout
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,

    /// Run COMMAND without the fence (namespaces, Landlock, seccomp, rlimits); the report says so
    #[arg(long)]
    no_fence: bool,

    /// Processes and threads per run (a fork bomb stops there)
    #[arg(long, value_name = "N", default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..))]
    max_procs: u64,

    /// Data memory per process, in bytes or with a K, M or G suffix
    #[arg(long, value_name = "SIZE", default_value = "1G", value_parser = size)]
    max_memory: u64,

    /// Scratch disk per run and largest file, in bytes or with a K, M or G suffix
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = size)]
    max_disk: u64,

    /// A path the port may also read (a submission's folder); the command's own folders are
    /// readable anyway (repeatable)
    #[arg(long, value_name = "PATH")]
    allow_read: Vec<PathBuf>,

    /// COMMAND is MASTER [ARGS...] -- WORKER [ARGS...]: both in one fenced run, the worker
    /// started once the master listens (the distributed example as the notes write it)
    #[arg(long)]
    pair: bool,

    /// With --pair: start the worker only once a line of the master starts with TEXT too (the
    /// notes start it after "Try get results...")
    #[arg(long, value_name = "TEXT")]
    pair_after: Option<String>,
    /// Do not trace the runs (checks that need the trace are then "not checked")
    #[arg(long)]
    no_trace: bool,

    /// The share of runs whose schedule is shaken: tasks held at random at their writes and
    /// forks (0 to 1)
    #[arg(long, value_name = "FRACTION", default_value_t = 0.5, value_parser = fraction)]
    shake: f64,

    /// Shake every run, run k with seed S+k-1: `--seed S --runs 1` replays a failing shaken run
    #[arg(long, value_name = "S")]
    seed: Option<u64>,

    /// How shaken runs are scheduled: pct (random priorities, a task parked while one of higher
    /// priority can go on; sleeps order nothing) or random (holds of a random, scaled length)
    #[arg(long, value_enum, default_value_t = SchedulerArg::Pct)]
    scheduler: SchedulerArg,

    /// PCT's depth d: each shaken run shows a bug needing d orderings with probability at least
    /// 1/(n*k^(d-1)) for n tasks and k stop points
    #[arg(long, value_name = "D", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=8))]
    depth: u32,

    /// PCT's k (stop points per run) instead of learning it from the runs (a replay's)
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u64).range(1..))]
    points: Option<u64>,

    /// Run until PCT's bound says a bug of depth <= d would have shown with this probability
    /// (e.g. 0.99); --runs is then the ceiling (default 500)
    #[arg(long, value_name = "P", value_parser = fraction)]
    confidence: Option<f64>,

    /// What the port's stdout is: a terminal (pseudo-terminal, lines flushed as printed) or a
    /// pipe (output buffered as when redirected)
    #[arg(long, value_enum, default_value_t = StdoutArg::Terminal)]
    stdout: StdoutArg,

    /// The port to run, after `--`
    #[arg(last = true, value_name = "COMMAND")]
    command: Vec<OsString>,
}

pub(crate) use grader::value_parsers::positive;
use grader::value_parsers::{fraction, key_value, size};

/// The grading could not be done: one line on stderr, status 2.
fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("grade: {message}");
    ExitCode::from(2)
}

/// Bad arguments: clap's first line only (its rendering is several lines with usage); help
/// and version are printed whole.
fn bad_arguments(e: clap::Error, help: &str) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let text = e.to_string();
    let first = text
        .lines()
        .next()
        .unwrap_or("bad arguments")
        .trim_start_matches("error: ")
        .to_string();
    fail(format_args!("{first} (see {help})"))
}

/// `grade trace ...`: one traced run drawn.
fn trace_main(args: Vec<OsString>) -> ExitCode {
    let cli = match main_trace::TraceCli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return bad_arguments(e, "grade trace --help"),
    };
    match main_trace::run(cli) {
        Ok(done) => {
            eprintln!("grade trace: {done}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(format_args!("trace: {e}")),
    }
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "trace") {
        let rest = std::iter::once(OsString::from("grade trace")).chain(args.into_iter().skip(2));
        return trace_main(rest.collect());
    }
    // A whole class, and a Gradescope bundle: commands of their own.
    if args.get(1).is_some_and(|a| a == "class") {
        return grader::class_command(args.into_iter().skip(2));
    }
    if args.get(1).is_some_and(|a| a == "gradescope") {
        return grader::gradescope_command(args.into_iter().skip(2));
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return bad_arguments(e, "grade --help"),
    };
    if cli.list {
        let mut out = String::new();
        for (name, description) in Spec::builtin_names() {
            out.push_str(&format!("{name:<12} {description}\n"));
        }
        print!("{out}");
        return ExitCode::SUCCESS;
    }
    // Before any run, so every run's orphans come back to us.
    if let Err(e) = grader::ensure_subreaper() {
        return fail(e);
    }
    let spec = match (&cli.spec, &cli.example) {
        (Some(path), _) => Spec::from_toml_file(path),
        (None, Some(example)) => Spec::builtin(example),
        (None, None) => {
            return fail(
                "no example given: grade EXAMPLE [OPTIONS] -- COMMAND [ARGS...] (see grade --list)",
            );
        }
    };
    let spec = match spec {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    if cli.command.is_empty() {
        return fail("no command given: grade EXAMPLE [OPTIONS] -- COMMAND [ARGS...]");
    }
    let opts = GradeOptions {
        runs: match (cli.confidence, cli.runs) {
            (Some(_), None) => CONFIDENCE_RUNS_MAX,
            (_, r) => r.unwrap_or(10) as usize,
        },
        // Too large for a Duration is refused as too long by the grading's own check.
        timeout: Duration::try_from_secs_f64(cli.timeout).unwrap_or(Duration::MAX),
        time_scale: cli.time_scale,
        params: cli.params,
        reference: cli
            .reference
            .as_deref()
            .map(|r| r.split_whitespace().map(OsString::from).collect()),
        trace: !cli.no_trace,
        shake: cli.shake,
        seed: cli.seed,
        scheduler: match cli.scheduler {
            SchedulerArg::Pct => grader::Scheduler::Pct,
            SchedulerArg::Random => grader::Scheduler::Random,
        },
        depth: cli.depth,
        points: cli.points,
        confidence: cli.confidence,
        stdout: match cli.stdout {
            StdoutArg::Terminal => StdoutKind::Pty,
            StdoutArg::Pipe => StdoutKind::Pipe,
        },
        fence: (!cli.no_fence).then(|| GradeFence {
            max_procs: cli.max_procs,
            max_memory: cli.max_memory,
            max_disk: cli.max_disk,
            allow_read: cli.allow_read.clone(),
        }),
        pair: cli.pair,
        pair_after: cli.pair_after,
    };
    // Which fences the runs get: said as the first run starts (a grading refused before any
    // run says only why, in one line).
    let mut fence_line = match grader::fence_status(opts.fence.as_ref()) {
        Ok(line) => Some(line),
        Err(e) => return fail(e),
    };
    let mut view = ProgressView::new();
    if let Some(dir) = &cli.timeline
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        return fail(format_args!("cannot make {}: {e}", dir.display()));
    }
    let graded = grader::grade_runs(&spec, &opts, &cli.command, &mut |p| {
        if let (Progress::Started { run: 1, .. }, Some(line)) = (p, fence_line.take()) {
            view.say(&format!("grade: {line}"));
        }
        view.show(p)
    });
    view.finish();
    let (mut report, outcomes) = match graded {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    if let Some(example) = &cli.example {
        report.example = example.clone();
    }
    if let Some(why) = report.facts.tracing.strip_prefix("refused: ") {
        eprintln!(
            "grade: cannot trace the runs ({why}): graded untraced, checks that need the trace are not checked"
        );
    }
    if let Some(dir) = &cli.timeline
        && let Err(e) = write_timelines(dir, &spec, &report, &outcomes)
    {
        return fail(e);
    }
    let stdout = std::io::stdout();
    let color = stdout.is_terminal();
    let rendered = match cli.format {
        FormatArg::Text => report.render(Format::Text, color),
        FormatArg::Json => report.render(Format::Json, color),
        FormatArg::Junit => report.render(Format::Junit, color),
        FormatArg::Gradescope => report.render(Format::Gradescope, color),
        FormatArg::Html => html_page(&spec, &report, &outcomes),
    };
    let mut lock = stdout.lock();
    if let Err(e) = lock
        .write_all(rendered.as_bytes())
        .and_then(|()| lock.flush())
    {
        return fail(format_args!("cannot write the report: {e}"));
    }
    if report.passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `DIR/run-K.svg` for each run.
fn write_timelines(
    dir: &Path,
    spec: &Spec,
    report: &Report,
    outcomes: &[RunOutcome],
) -> Result<(), String> {
    for run in outcomes {
        let path = dir.join(format!("run-{}.svg", run.run));
        std::fs::write(&path, grader::run_timeline(spec, report, run, true))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// The HTML report, with the first failing run's timeline (the first run's when none failed).
fn html_page(spec: &Spec, report: &Report, outcomes: &[RunOutcome]) -> String {
    let first_failing = report
        .checks
        .iter()
        .filter(|c| !c.passed)
        .flat_map(|c| c.failures.first())
        .map(|f| f.run)
        .min();
    let shown = match first_failing {
        Some(k) => outcomes.iter().find(|o| o.run == k),
        None => outcomes.first(),
    };
    let svg = shown.map(|run| (run.run, grader::run_timeline(spec, report, run, false)));
    grader::html_report(report, svg.as_ref().map(|(k, s)| (*k, s.as_str())))
}
