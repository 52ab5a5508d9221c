//! `grade trace` (part of the `grade` binary, not of the library): runs a command once, traced,
//! with no spec, and draws its timeline.
//!
//!     grade trace [-o FILE] [--example NAME | --spec FILE] [--shake SEED] -- COMMAND [ARGS...]
//!
//! The command's stdout is a pseudo-terminal (`--stdout pipe` for a pipe), its stderr a pipe;
//! both are passed on after the run; one line on stderr says what was
//! drawn. Exit status 0 when the picture was written, 2 when it could not be.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Parser;
use grader::{
    Spec, StdoutKind, TIME_SCALE_ENV, TIME_SCALE_MAX, TIMEOUT_MAX, Timeline, TraceRunOptions,
};

#[derive(Debug, Parser)]
#[command(
    name = "grade trace",
    about = "Runs a command once, traced, and draws its timeline: one lane per process and thread, each output line on the lane of the thread that wrote it",
    override_usage = "grade trace [-o FILE] [--example NAME | --spec FILE] -- COMMAND [ARGS...]",
    after_help = "Exit status: 0 the picture was written, 2 it could not be (the command's own status is in the picture)."
)]
pub(crate) struct TraceCli {
    /// Where to write the SVG
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE",
        default_value = "timeline.svg"
    )]
    output: PathBuf,

    /// Name each line's kind by this example's spec and shade the spans its `open` checks
    /// watch (see grade --list)
    #[arg(long, value_name = "NAME", conflicts_with = "spec")]
    example: Option<String>,

    /// As --example, from a spec file
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,

    /// Limit in seconds; the whole process tree is killed past it
    #[arg(long, default_value_t = 30.0, value_parser = crate::positive, allow_negative_numbers = true)]
    timeout: f64,

    /// Sets MULTITASK_TIME_SCALE for COMMAND
    #[arg(long, value_parser = crate::positive, allow_negative_numbers = true)]
    time_scale: Option<f64>,

    /// Pass this variable of grade's environment to COMMAND, or set it with NAME=VALUE
    /// (repeatable): COMMAND gets only PATH, HOME, TMPDIR, the locale, TZ, TERM and the
    /// grader's own MULTITASK_* and GRADE* of it otherwise
    #[arg(long = "env", value_name = "NAME", value_parser = grader::env_var)]
    env: Vec<grader::PassEnv>,

    /// What COMMAND's stdout is
    #[arg(long, value_enum, default_value_t = crate::StdoutArg::Terminal)]
    stdout: crate::StdoutArg,

    /// Shake the schedule with this seed: tasks held at random at their writes and creations
    /// (the holds are drawn)
    #[arg(long, value_name = "SEED")]
    shake: Option<u64>,

    /// The picture's heading (default: the command line)
    #[arg(long)]
    title: Option<String>,

    /// The command to trace, after `--`
    #[arg(last = true, value_name = "COMMAND")]
    command: Vec<OsString>,
}

/// Runs `grade trace` with its arguments (after the word `trace`): the line to print on
/// success, or the one-line reason it failed.
pub(crate) fn run(cli: TraceCli) -> Result<String, String> {
    let lang = i18n::Lang::current();
    let Some((program, args)) = cli.command.split_first() else {
        return Err(i18n::tr(lang, "trace-no-command"));
    };
    let opts = options(&cli, lang)?;
    let spec = match (&cli.example, &cli.spec) {
        (Some(name), _) => Some(Spec::builtin(name).map_err(|e| e.to_string())?),
        (None, Some(path)) => Some(Spec::from_toml_file(path).map_err(|e| e.to_string())?),
        (None, None) => None,
    };
    let title = cli.title.clone().unwrap_or_else(|| match cli.time_scale {
        Some(s) => i18n::tr!(
            lang,
            "trace-title-scaled",
            command = command_line(&cli.command),
            scale = s.to_string()
        ),
        None => command_line(&cli.command),
    });
    let traced = grader::trace_command(program, args, &opts).map_err(|e| e.to_string())?;
    let mut timeline = Timeline::of_trace(&traced.trace, title);
    if traced.timed_out {
        timeline.note = Some(i18n::tr!(
            lang,
            "trace-timed-out",
            seconds = cli.timeout.to_string()
        ));
    }
    if let Some(spec) = &spec {
        timeline = timeline.with_spec(spec);
    }
    write_file(&cli.output, &timeline.svg())?;
    pass_on(&traced.stdout, &traced.stderr);
    Ok(wrote(&cli, &traced, &timeline, lang))
}

/// The run's options: its timeout, its stdout, its shaking, and its environment (the fenced
/// runs' PATH, the time scale). Errors: a timeout or time scale past the grader's limits.
fn options(cli: &TraceCli, lang: i18n::Lang) -> Result<TraceRunOptions, String> {
    let timeout = Duration::try_from_secs_f64(cli.timeout).unwrap_or(Duration::MAX);
    if timeout > TIMEOUT_MAX {
        return Err(i18n::tr!(
            lang,
            "opt-timeout-max",
            max = TIMEOUT_MAX.as_secs().to_string()
        ));
    }
    // The PATH graded runs get (the fence's): `python3` is then the same interpreter in the
    // picture as in the grading, not a shim of the invoker's.
    let mut env = vec![(OsString::from("PATH"), OsString::from(fence::SYSTEM_PATH))];
    if let Some(s) = cli.time_scale {
        if s > TIME_SCALE_MAX {
            return Err(i18n::tr!(
                lang,
                "opt-time-scale",
                max = TIME_SCALE_MAX.to_string(),
                value = s.to_string()
            ));
        }
        env.push((
            OsString::from(TIME_SCALE_ENV),
            OsString::from(s.to_string()),
        ));
    }
    env.extend(cli.env.iter().filter_map(|e| e.resolve()));
    Ok(TraceRunOptions {
        env,
        timeout,
        stdout: match cli.stdout {
            crate::StdoutArg::Terminal => StdoutKind::Pty,
            crate::StdoutArg::Pipe => StdoutKind::Pipe,
        },
        shake: cli.shake,
        time_scale: cli.time_scale.unwrap_or(1.0),
    })
}

/// The line said once the picture is written: where, how many tasks and lines, how the main
/// process ended.
fn wrote(
    cli: &TraceCli,
    traced: &grader::TracedRun,
    timeline: &Timeline<'_>,
    lang: i18n::Lang,
) -> String {
    let main_end = traced
        .trace
        .main_task()
        .and_then(|t| t.end)
        .map(|e| i18n::tr!(lang, "trace-main-end", how = describe(e, lang)))
        .unwrap_or_default();
    i18n::tr!(
        lang,
        "trace-wrote",
        file = cli.output.display().to_string(),
        tasks = traced.trace.tasks.len(),
        lines = timeline.lines.len(),
        end = main_end
    )
}

fn describe(end: tracer::End, lang: i18n::Lang) -> String {
    match end {
        tracer::End::Exited(c) => i18n::tr!(lang, "exit-status", code = c.to_string()),
        tracer::End::Signaled(s) => i18n::tr!(lang, "exit-signal", signal = s.to_string()),
        tracer::End::Replaced => i18n::tr(lang, "trace-end-replaced"),
    }
}

/// The command as a heading: the program's file name, then its arguments.
fn command_line(command: &[OsString]) -> String {
    let mut words: Vec<String> = command
        .iter()
        .map(|w| w.to_string_lossy().into_owned())
        .collect();
    if let Some(first) = words.first_mut()
        && let Some(name) = Path::new(first.as_str()).file_name()
    {
        *first = name.to_string_lossy().into_owned();
    }
    words.join(" ")
}

fn write_file(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| {
        i18n::tr!(
            i18n::Lang::current(),
            "cannot-write",
            path = path.display().to_string(),
            error = e.to_string()
        )
    })
}

/// The command's output, after the run, for the person who ran it.
fn pass_on(stdout: &[u8], stderr: &[u8]) {
    use std::io::Write;
    let _ = std::io::stdout().write_all(stdout);
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().write_all(stderr);
}
