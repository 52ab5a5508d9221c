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

use clap::{CommandFactory, FromArgMatches, Parser, ValueEnum};
use grader::GradingArgs;
use grader::{Format, GradeOptions, Progress, Report, RunOutcome, Spec};
use i18n::{Lang, tr};

mod main_explore;
mod main_hints;
mod main_lang;
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

#[derive(Debug, Parser)]
#[command(
    name = "grade",
    version,
    about = "Grades a port of one of the notes' programs by its output over many runs",
    override_usage = "grade EXAMPLE [OPTIONS] -- COMMAND [ARGS...]\n       grade trace [-o FILE] -- COMMAND [ARGS...]   (a timeline of one run)\n       grade explore EXAMPLE [OPTIONS] -- COMMAND [ARGS...]   (every order up to a bound)\n       grade --list\n       grade class DIR --example EXAMPLE [OPTIONS]   (a whole class)\n       grade gradescope EXAMPLE [OPTIONS] -o autograder.zip\n       grade help COMMAND",
    after_help = "Environment: LANG=zh_CN.UTF-8 (or --lang zh) for Chinese messages and reports.\nExit status: 0 every check passed, 1 a check failed, 2 the grading could not be done.",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    /// The example to grade against (see --list); optional with --spec
    example: Option<String>,

    /// List the built-in examples and exit
    #[arg(long)]
    list: bool,

    /// The language of messages and reports: en or zh [default: from LC_ALL, LC_MESSAGES or
    /// LANG; English unless it names Chinese]
    #[arg(long, value_name = "LANG")]
    lang: Option<String>,

    #[command(flatten)]
    grading: GradingArgs,

    /// Write each run's timeline to DIR/run-K.svg
    #[arg(long, value_name = "DIR")]
    timeline: Option<PathBuf>,

    /// Report format on stdout
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,

    /// COMMAND is MASTER [ARGS...] -- WORKER [ARGS...]: both in one fenced run, the worker
    /// started once the master listens (the distributed example as the notes write it)
    #[arg(long)]
    pair: bool,

    /// With --pair: start the worker only once a line of the master starts with TEXT too (the
    /// notes start it after "Try get results...")
    #[arg(long, value_name = "TEXT")]
    pair_after: Option<String>,

    /// The port to run, after `--`
    #[arg(last = true, value_name = "COMMAND")]
    command: Vec<OsString>,
}

/// The whole command line: `grade`'s own options and its subcommands, so that `grade --help`
/// lists them and `grade help class` shows the class's options.
fn command_line() -> clap::Command {
    Cli::command()
        .subcommand(main_trace::TraceCli::command().name("trace"))
        .subcommand(main_explore::ExploreCli::command().name("explore"))
        .subcommand(grade_class::class_cli())
        .subcommand(grade_bundle::gradescope_cli())
}

pub(crate) use grader::positive;

/// The grading could not be done: one line on stderr, status 2.
pub(crate) fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("grade: {message}");
    ExitCode::from(2)
}

/// Bad arguments: clap's first line only (its rendering is several lines with usage), with a
/// hint when the port's command seems to lack its `--`; help and version are printed whole.
pub(crate) fn bad_arguments(e: clap::Error, help: &str, args: &[OsString]) -> ExitCode {
    use clap::error::{ContextKind, ErrorKind};
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let lang = Lang::current();
    let stray = match (e.kind(), e.get(ContextKind::InvalidArg)) {
        (ErrorKind::UnknownArgument, Some(clap::error::ContextValue::String(arg))) => {
            Some(arg.clone())
        }
        _ => None,
    };
    let first = grader::clap_line(&e);
    let has_dashes = args.iter().any(|a| a == "--");
    let first_word = args.get(1).map(|a| a.to_string_lossy().into_owned());
    if let Some(command) = first_word.as_deref().and_then(main_hints::command_named) {
        let name = first_word.unwrap_or_default();
        return fail(tr!(
            lang,
            "grade-example-is-command",
            name = name,
            command = command
        ));
    }
    match stray {
        Some(arg) if !has_dashes && !arg.starts_with('-') => {
            fail(tr!(lang, "grade-needs-dashes", arg = arg, error = first))
        }
        _ => fail(tr!(lang, "grade-bad-arguments", error = first, help = help)),
    }
}

/// `grade trace ...`: one traced run drawn.
fn trace_main(args: Vec<OsString>) -> ExitCode {
    let cli = match main_trace::TraceCli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => return bad_arguments(e, "grade trace --help", &args),
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
    let mut args: Vec<OsString> = std::env::args_os().collect();
    if let Err(e) = main_lang::take_lang(&mut args) {
        return fail(e);
    }
    match args.get(1).and_then(|a| a.to_str()) {
        Some("trace") => {
            let rest =
                std::iter::once(OsString::from("grade trace")).chain(args.into_iter().skip(2));
            return trace_main(rest.collect());
        }
        Some("explore") => {
            let rest =
                std::iter::once(OsString::from("grade explore")).chain(args.into_iter().skip(2));
            return main_explore::main(rest.collect());
        }
        // A whole class, and a Gradescope bundle: commands of their own.
        Some("class") => return grade_class::class_command(args.into_iter().skip(2)),
        Some("gradescope") => return grade_bundle::gradescope_command(args.into_iter().skip(2)),
        _ => {}
    }
    let cli = match command_line()
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => return bad_arguments(e, "grade --help", &args),
    };
    if cli.list {
        print!("{}", list());
        return ExitCode::SUCCESS;
    }
    match grade_main(&cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => fail(e),
    }
}

/// `grade --list`: each built-in example and its description.
fn list() -> String {
    let mut out = String::new();
    for (name, description) in Spec::builtin_names() {
        // The spec's own description is in the reader's language.
        let said = Spec::builtin(name).map(|s| s.description().to_string());
        let description = said.unwrap_or_else(|_| description.to_string());
        out.push_str(&format!("{name:<12} {description}\n"));
    }
    out
}

/// `grade EXAMPLE -- COMMAND`: grades, and says whether every check passed. Errors: why the
/// grading could not be done.
fn grade_main(cli: &Cli) -> Result<bool, String> {
    // Before any run, so every run's orphans come back to us.
    grader::ensure_subreaper().map_err(|e| e.to_string())?;
    let spec = load_spec(cli)?;
    if cli.command.is_empty() {
        return Err(tr!(Lang::current(), "grade-no-command"));
    }
    let opts = options(cli);
    let (report, outcomes) = grade_with_view(cli, &spec, &opts)?;
    say_notes(&report);
    if let Some(dir) = &cli.timeline {
        write_timelines(dir, &spec, &report, &outcomes)?;
    }
    write_report(cli.format, &spec, &report, &outcomes)?;
    Ok(report.passed)
}

/// The spec: `--spec FILE`, or the example's built-in one.
fn load_spec(cli: &Cli) -> Result<Spec, String> {
    let spec = match (cli.grading.spec(), &cli.example) {
        (Some(path), _) => Spec::from_toml_file(path),
        (None, Some(example)) => match main_hints::command_named(example) {
            Some(command) => {
                return Err(tr!(
                    Lang::current(),
                    "grade-example-is-command",
                    name = example.clone(),
                    command = command
                ));
            }
            None => Spec::builtin(example),
        },
        (None, None) => return Err(tr!(Lang::current(), "grade-no-example")),
    };
    spec.map_err(|e| e.to_string())
}

/// The grading's options from the command line.
fn options(cli: &Cli) -> GradeOptions {
    let mut opts = cli.grading.options();
    // The HTML page shows the first failing run beside a real correct run: the example's own
    // demo, run once, when it is built beside this grader.
    if matches!(cli.format, FormatArg::Html)
        && opts.reference.is_none()
        && let Some(demo) = cli.example.as_deref().and_then(main_hints::own_demo)
    {
        opts.reference = Some(vec![demo.into_os_string()]);
    }
    opts.pair = cli.pair;
    opts.pair_after = cli.pair_after.clone();
    opts
}

/// Grades with the progress shown on stderr; the report (its example named as on the command
/// line) and every run's outcome.
fn grade_with_view(
    cli: &Cli,
    spec: &Spec,
    opts: &GradeOptions,
) -> Result<(Report, Vec<RunOutcome>), String> {
    // Which fences the runs get: the report says it whole; stderr says it short as the first
    // run starts (a grading refused before any run says only why, in one line).
    let line = grader::fence_status(opts.fence.as_ref()).map_err(|e| e.to_string())?;
    let mut fence_line = Some(main_hints::fence_short(&line));
    let mut view = ProgressView::new();
    if let Some(dir) = &cli.timeline {
        std::fs::create_dir_all(dir).map_err(|e| {
            tr!(
                Lang::current(),
                "cannot-make",
                path = dir.display().to_string(),
                error = e.to_string()
            )
        })?;
    }
    let graded = grader::grade_runs(spec, opts, &cli.command, &mut |p| {
        if let (Progress::Started { run: 1, .. }, Some(line)) = (p, fence_line.take()) {
            view.say(&format!("grade: {line}"));
        }
        view.show(p)
    });
    view.finish();
    let (mut report, outcomes) = graded.map_err(|e| e.to_string())?;
    if let Some(example) = &cli.example {
        report.example = example.clone();
    }
    Ok((report, outcomes))
}

/// What stderr says beside the report: tracing refused, the grading stopped early.
fn say_notes(report: &Report) {
    if let Some(why) = report.facts.tracing.strip_prefix("refused: ") {
        eprintln!(
            "grade: {}",
            tr!(Lang::current(), "grade-trace-refused", why = why)
        );
    }
    if let Some(k) = report.facts.stopped_after {
        eprintln!("grade: {}", grader::stopped_line(k));
    }
}

/// The report on stdout, in `format` (colored at a terminal).
fn write_report(
    format: FormatArg,
    spec: &Spec,
    report: &Report,
    outcomes: &[RunOutcome],
) -> Result<(), String> {
    let stdout = std::io::stdout();
    let color = stdout.is_terminal();
    let rendered = match format {
        FormatArg::Text => report.render(Format::Text, color),
        FormatArg::Json => report.render(Format::Json, color),
        FormatArg::Junit => report.render(Format::Junit, color),
        FormatArg::Gradescope => report.render(Format::Gradescope, color),
        FormatArg::Html => html_page(spec, report, outcomes),
    };
    print_report(&rendered)
}

/// A rendered report on stdout; the error says so in the user's language.
fn print_report(rendered: &str) -> Result<(), String> {
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    lock.write_all(rendered.as_bytes())
        .and_then(|()| lock.flush())
        .map_err(|e| {
            tr!(
                Lang::current(),
                "cannot-write-report",
                error = e.to_string()
            )
        })
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
        std::fs::write(&path, grader::run_timeline(spec, report, run, true)).map_err(|e| {
            tr!(
                Lang::current(),
                "cannot-write",
                path = path.display().to_string(),
                error = e.to_string()
            )
        })?;
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
