//! `grade`: runs a student's port of one of the notes' programs many times and judges its output
//! against the example's spec.
//!
//!     grade EXAMPLE [OPTIONS] -- COMMAND [ARGS...]
//!     grade --list
//!     grade class DIR --example EXAMPLE [OPTIONS]   (see grade class --help)
//!     grade gradescope EXAMPLE [OPTIONS] -o autograder.zip   (see grade gradescope --help)
//!
//! Exit status: 0 every check passed, 1 a check failed, 2 the grading could not be done.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};
use grader::{Format, GradeOptions, Progress, Spec, StdoutKind};
use indicatif::{ProgressBar, ProgressStyle};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
    Junit,
    Gradescope,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum StdoutArg {
    /// A pseudo-terminal, as at a terminal (the default)
    #[value(alias = "pty")]
    Terminal,
    /// A pipe, as when redirected
    Pipe,
}

#[derive(Debug, Parser)]
#[command(
    name = "grade",
    version,
    about = "Grades a port of one of the notes' programs by its output over many runs",
    override_usage = "grade EXAMPLE [OPTIONS] -- COMMAND [ARGS...]\n       grade --list\n       grade class DIR --example EXAMPLE [OPTIONS]\n       grade gradescope EXAMPLE [OPTIONS] -o autograder.zip",
    after_help = "Exit status: 0 every check passed, 1 a check failed, 2 the grading could not be done."
)]
struct Cli {
    /// The example to grade against (see --list); optional with --spec
    example: Option<String>,

    /// List the built-in examples and exit
    #[arg(long)]
    list: bool,

    /// How many times to run COMMAND
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    runs: u32,

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

    /// Report format on stdout
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,

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

    /// What the port's stdout is: a terminal (pseudo-terminal, lines flushed as printed) or a
    /// pipe (output buffered as when redirected)
    #[arg(long, value_enum, default_value_t = StdoutArg::Terminal)]
    stdout: StdoutArg,

    /// The port to run, after `--`
    #[arg(last = true, value_name = "COMMAND")]
    command: Vec<OsString>,
}

fn positive(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        _ => Err(format!("'{s}' is not a positive number")),
    }
}

fn fraction(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("'{s}' is not a fraction from 0 to 1")),
    }
}

fn key_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("'{s}' is not K=V")),
    }
}

/// The grading's progress on stderr (stdout carries the report only): a live line on a
/// terminal (run k of N, passed so far, the current run's elapsed time), else plain lines at
/// most once a second.
struct ProgressView {
    bar: Option<ProgressBar>,
    last_line: Option<Instant>,
}

impl ProgressView {
    fn new() -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new_spinner();
            if let Ok(style) =
                ProgressStyle::with_template("{spinner} grade: {msg}, this run {elapsed}")
            {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        ProgressView {
            bar,
            last_line: None,
        }
    }

    fn show(&mut self, p: Progress) {
        match (&self.bar, p) {
            (Some(bar), Progress::Started { run, runs, passed }) => {
                bar.set_message(format!("run {run} of {runs}, {passed} passed so far"));
                bar.reset_elapsed();
            }
            (
                None,
                Progress::Ended {
                    run,
                    runs,
                    passed,
                    elapsed,
                },
            ) if self
                .last_line
                .is_none_or(|t| t.elapsed() >= Duration::from_secs(1)) =>
            {
                eprintln!(
                    "grade: run {run} of {runs} took {:.1} s, {passed} passed so far",
                    elapsed.as_secs_f64()
                );
                self.last_line = Some(Instant::now());
            }
            _ => {}
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The grading could not be done: one line on stderr, status 2.
fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("grade: {message}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    // Commands of their own, with their own options.
    if std::env::args_os().nth(1).is_some_and(|a| a == "class") {
        return grader::class_command(std::env::args_os().skip(2));
    }
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == "gradescope")
    {
        return grader::gradescope_command(std::env::args_os().skip(2));
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            // clap's own rendering is several lines with usage; one line is enough here.
            let text = e.to_string();
            let first = text
                .lines()
                .next()
                .unwrap_or("bad arguments")
                .trim_start_matches("error: ")
                .to_string();
            return fail(format_args!("{first} (see grade --help)"));
        }
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
        runs: cli.runs as usize,
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
        stdout: match cli.stdout {
            StdoutArg::Terminal => StdoutKind::Pty,
            StdoutArg::Pipe => StdoutKind::Pipe,
        },
    };
    let mut view = ProgressView::new();
    let graded = grader::grade_with_progress(&spec, &opts, &cli.command, &mut |p| view.show(p));
    view.finish();
    let mut report = match graded {
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
    let format = match cli.format {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
        FormatArg::Junit => Format::Junit,
        FormatArg::Gradescope => Format::Gradescope,
    };
    let stdout = std::io::stdout();
    let color = stdout.is_terminal();
    let mut lock = stdout.lock();
    if let Err(e) = lock
        .write_all(report.render(format, color).as_bytes())
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
