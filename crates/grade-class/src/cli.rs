//! `grade class DIR --example EXAMPLE [OPTIONS]`: the command line of a class's grading.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

use grader::positive;
use grader::{GradingArgs, one_line};

use super::grading::grade_class;
use super::options::ClassOptions;
use i18n::say;

#[derive(Debug, Parser)]
#[command(
    name = "grade class",
    about = "Builds and grades every submission in DIR: a Cargo project, a .rs or a .py each",
    after_help = "Writes OUT/results.csv, OUT/results.json, OUT/index.html and OUT/NAME/ (build \
                  log, reports) per submission; prints a table on stdout and progress on stderr.\n\
                  Exit status: 0 every submission was graded (or its build failed), whatever \
                  the verdicts; 2 the class could not be graded, or the grader failed on a \
                  submission."
)]
struct ClassCli {
    /// The class folder: each entry is one submission
    dir: PathBuf,

    /// The example to grade against (see grade --list); optional with --spec
    #[arg(long)]
    example: Option<String>,

    #[command(flatten)]
    grading: GradingArgs,

    /// Worker threads building, then grading, submissions at once [default: CPU cores; for an
    /// example that measures cores kept busy, CPU cores / its `cores`]
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=256))]
    jobs: Option<u32>,

    /// Where the results and each submission's reports and build log go
    #[arg(long, default_value = "class-results")]
    out: PathBuf,

    /// Limit per submission's build in seconds; the build and all it started are killed past it
    #[arg(long, default_value_t = 600.0, value_parser = positive, allow_negative_numbers = true)]
    build_timeout: f64,

    /// Fetch a Cargo submission's git dependencies over https (inside the fetch fence) instead
    /// of refusing them
    #[arg(long)]
    allow_git: bool,

    /// Pass this variable of grade's environment to every build step (repeatable); builds get
    /// no other but the locale and time zone
    #[arg(long, value_name = "NAME")]
    build_env: Vec<String>,

    /// Arguments for every submission's program, after `--`
    #[arg(last = true, value_name = "ARGS")]
    args: Vec<OsString>,
}

/// The `class` command's clap definition, for `grade help class` and `grade --help`.
pub fn class_cli() -> clap::Command {
    <ClassCli as clap::CommandFactory>::command().name("class")
}

/// Runs `grade class` with `args` (what follows `class` on the command line) and returns its
/// exit status: 0 when every submission was graded whatever the verdicts, 2 when the class
/// could not be graded (one line on stderr) or the grader failed on a submission.
pub fn class_command(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let argv = std::iter::once(OsString::from("grade class")).chain(args);
    let cli = match ClassCli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => {
            return match one_line(e, "grade class") {
                Some(line) => fail(line),
                None => ExitCode::SUCCESS,
            };
        }
    };
    let opts = ClassOptions {
        dir: cli.dir,
        example: cli.example,
        spec: cli.grading.spec().map(std::path::Path::to_path_buf),
        grading: cli.grading.options(),
        jobs: cli.jobs.map(|j| j as usize),
        out: cli.out,
        build_timeout: Duration::try_from_secs_f64(cli.build_timeout).unwrap_or(Duration::MAX),
        args: cli.args,
        allow_git: cli.allow_git,
        build_env: cli.build_env,
    };
    let results = match grade_class(&opts) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    print!("{}", results.table());
    if results.complete() {
        ExitCode::SUCCESS
    } else {
        let failed: Vec<&str> = results
            .submissions
            .iter()
            .filter(|s| s.grader_error)
            .map(|s| s.submission.as_str())
            .collect();
        fail(say!(
            "class-grader-failed",
            names = failed.join(", "),
            out = opts.out.display().to_string()
        ))
    }
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("grade class: {message}");
    ExitCode::from(2)
}
