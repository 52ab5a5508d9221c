//! `grade explore` (part of the `grade` binary): every order of a small run's stop points up to
//! a preemption bound, each run judged against the example's guaranteed checks.
//!
//!     grade explore EXAMPLE [--preemptions N] [--max-runs N] [OPTIONS] -- COMMAND [ARGS...]
//!
//! Exit status 0 when no order broke a guaranteed check, 1 when one did (its schedule string
//! replays it: `grade EXAMPLE --schedule STRING --runs 1 -- COMMAND`), 2 when the exploration
//! could not be done.

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;
use grader::{ExploreOptions, GradeFence, GradeOptions, Spec, StdoutKind};
use grader::{key_value, positive, size};
use i18n::{Lang, tr};

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ExploreFormat {
    Text,
    Json,
}

#[derive(Debug, Parser)]
#[command(
    name = "grade explore",
    about = "Runs a small port in every order of its stop points (writes, starts, creations, sleeps) up to a number of preemptions, and reports the first order that broke a guaranteed check",
    override_usage = "grade explore EXAMPLE [OPTIONS] -- COMMAND [ARGS...]",
    after_help = "Exit status: 0 no order broke a guaranteed check, 1 one did (its --schedule string replays it with grade EXAMPLE --schedule STRING --runs 1 -- COMMAND), 2 the exploration could not be done."
)]
pub(crate) struct ExploreCli {
    /// The example to judge each order against (see grade --list); optional with --spec
    example: Option<String>,

    /// A spec file instead of the built-in one
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,

    /// The most preemptions an order may have (a task parked at a stop point while it could go
    /// on, another chosen)
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u32).range(0..=10))]
    preemptions: u32,

    /// The most runs; past it the exploration stops and says it did not cover every order
    #[arg(long, value_name = "N", default_value_t = 500, value_parser = clap::value_parser!(u64).range(1..))]
    max_runs: u64,

    /// Limit per run in seconds; the whole process tree is killed past it
    #[arg(long, default_value_t = 30.0, value_parser = positive, allow_negative_numbers = true)]
    timeout: f64,

    /// Sets MULTITASK_TIME_SCALE for each run and scales the spec's time ranges
    #[arg(long, value_parser = positive, allow_negative_numbers = true)]
    time_scale: Option<f64>,

    /// A spec parameter, e.g. processes=5 for Pool(5) (repeatable)
    #[arg(long = "param", value_name = "K=V", value_parser = key_value)]
    params: Vec<(String, String)>,

    /// Pass this variable of grade's environment to the port, or set it with NAME=VALUE
    /// (repeatable)
    #[arg(long = "env", value_name = "NAME", value_parser = grader::env_var)]
    env: Vec<grader::PassEnv>,

    /// Run the port without the fence
    #[arg(long)]
    no_fence: bool,

    /// Processes and threads per run
    #[arg(long, value_name = "N", default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..))]
    max_procs: u64,

    /// Data memory per process, in bytes or with a K, M or G suffix
    #[arg(long, value_name = "SIZE", default_value = "1G", value_parser = size)]
    max_memory: u64,

    /// Scratch disk per run and largest file, in bytes or with a K, M or G suffix
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = size)]
    max_disk: u64,

    /// A path the port may also read (repeatable)
    #[arg(long, value_name = "PATH")]
    allow_read: Vec<PathBuf>,

    /// What the port's stdout is
    #[arg(long, value_enum, default_value_t = crate::StdoutArg::Terminal)]
    stdout: crate::StdoutArg,

    /// Report format on stdout
    #[arg(long, value_enum, default_value_t = ExploreFormat::Text)]
    format: ExploreFormat,

    /// The port to run, after `--`
    #[arg(last = true, value_name = "COMMAND")]
    command: Vec<OsString>,
}

/// `grade explore ...` (`args` from the words after `explore`, program name first).
pub(crate) fn main(args: Vec<OsString>) -> ExitCode {
    let cli = match ExploreCli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => return crate::bad_arguments(e, "grade explore --help", &args),
    };
    match explore_main(&cli) {
        Ok(true) => ExitCode::from(1),
        Ok(false) => ExitCode::SUCCESS,
        Err(e) => crate::fail(e),
    }
}

/// Explores, writes the report; whether an order failed. Errors: why it could not be done.
fn explore_main(cli: &ExploreCli) -> Result<bool, String> {
    let lang = Lang::current();
    let spec = match (&cli.spec, &cli.example) {
        (Some(path), _) => Spec::from_toml_file(path),
        (None, Some(example)) => Spec::builtin(example),
        (None, None) => return Err(tr(lang, "explore-no-example")),
    };
    let spec = spec.map_err(|e| e.to_string())?;
    if cli.command.is_empty() {
        return Err(tr(lang, "explore-no-command"));
    }
    grader::ensure_subreaper().map_err(|e| e.to_string())?;
    let how = ExploreOptions {
        preemptions: cli.preemptions,
        max_runs: usize::try_from(cli.max_runs).unwrap_or(usize::MAX),
    };
    let explored = with_progress(lang, |progress| {
        grader::explore(&spec, &options(cli), &cli.command, how, progress)
    });
    let mut report = explored.map_err(|e| e.to_string())?;
    report.example = cli
        .example
        .clone()
        .unwrap_or_else(|| spec.name().to_string());
    let rendered = match cli.format {
        ExploreFormat::Text => report.text(),
        ExploreFormat::Json => report.json(),
    };
    super::print_report(&rendered)?;
    Ok(report.failing.is_some())
}

/// The grading options every explored run gets.
fn options(cli: &ExploreCli) -> GradeOptions {
    GradeOptions {
        timeout: Duration::try_from_secs_f64(cli.timeout).unwrap_or(Duration::MAX),
        time_scale: cli.time_scale,
        params: cli.params.clone(),
        fence: (!cli.no_fence).then(|| GradeFence {
            max_procs: cli.max_procs,
            max_memory: cli.max_memory,
            max_disk: cli.max_disk,
            allow_read: cli.allow_read.clone(),
        }),
        stdout: match cli.stdout {
            crate::StdoutArg::Terminal => StdoutKind::Pty,
            crate::StdoutArg::Pipe => StdoutKind::Pipe,
        },
        env: cli.env.iter().filter_map(|e| e.resolve()).collect(),
        ..GradeOptions::default()
    }
}

/// Runs `explore` with its progress on stderr: a line at most once a second (rewritten in
/// place at a terminal).
fn with_progress<T>(lang: Lang, explore: impl FnOnce(&mut dyn FnMut(usize, usize)) -> T) -> T {
    let mut last: Option<Instant> = None;
    let live = std::io::stderr().is_terminal();
    let explored = explore(&mut |run, pending| {
        if last.is_none_or(|t| t.elapsed() >= Duration::from_secs(1)) {
            last = Some(Instant::now());
            let line = tr!(lang, "explore-progress", run = run, pending = pending);
            if live {
                eprint!("\r\x1b[2K{line}");
            } else {
                eprintln!("{line}");
            }
        }
    });
    if live && last.is_some() {
        eprint!("\r\x1b[2K");
    }
    explored
}
