//! `grade gradescope EXAMPLE [OPTIONS] -o autograder.zip`: the command line of a bundle.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use grader::{GradingArgs, one_line};

use super::write::{BundleOptions, write_bundle};
use i18n::say;

#[derive(Debug, Parser)]
#[command(
    name = "grade gradescope",
    about = "Writes a Gradescope autograder bundle grading submissions against EXAMPLE",
    after_help = "The zip holds setup.sh (installs Rust, builds the grader from this repository's \
                  sources), run_autograder (builds and grades $AUTOGRADER_ROOT/submission, writes \
                  $AUTOGRADER_ROOT/results/results.json) and the sources. AUTOGRADER_ROOT defaults \
                  to /autograder.\nExit status: 0 written, 2 not (one line on stderr)."
)]
struct GradescopeCli {
    /// The example to grade against (see grade --list); optional with --spec
    example: Option<String>,

    #[command(flatten)]
    grading: GradingArgs,

    /// The zip to write
    #[arg(short = 'o', long = "output", value_name = "ZIP")]
    output: PathBuf,

    /// This repository's sources [default: the checkout this grader was built from]
    #[arg(long, value_name = "DIR")]
    source: Option<PathBuf>,

    /// The Rust toolchain setup.sh installs when the image has none
    #[arg(long, default_value = "stable")]
    toolchain: String,

    /// Fetch a Cargo submission's git dependencies over https (inside the fetch fence) instead
    /// of refusing them (grade class --allow-git)
    #[arg(long)]
    allow_git: bool,

    /// Arguments for the submission's program, after `--`
    #[arg(last = true, value_name = "ARGS")]
    args: Vec<OsString>,
}

/// The `gradescope` command's clap definition, for `grade help gradescope` and `grade --help`.
pub fn gradescope_cli() -> clap::Command {
    <GradescopeCli as clap::CommandFactory>::command().name("gradescope")
}

/// Runs `grade gradescope` with `args` (what follows `gradescope` on the command line) and
/// returns its exit status: 0 when the bundle was written, 2 when not (one line on stderr).
pub fn gradescope_command(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let argv = std::iter::once(OsString::from("grade gradescope")).chain(args);
    let cli = match GradescopeCli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => {
            return match one_line(e, "grade gradescope") {
                Some(line) => fail(line),
                None => ExitCode::SUCCESS,
            };
        }
    };
    let mut grade_args = Vec::new();
    if let Some(example) = &cli.example {
        grade_args.extend([OsString::from("--example"), example.into()]);
    }
    grade_args.extend(cli.grading.to_args());
    if cli.allow_git {
        grade_args.push("--allow-git".into());
    }
    let opts = BundleOptions {
        example: cli.example,
        spec: cli.grading.spec().map(std::path::Path::to_path_buf),
        grading: cli.grading.options(),
        grade_args,
        port_args: cli.args,
        source: cli.source,
        toolchain: cli.toolchain,
        output: cli.output,
    };
    match write_bundle(&opts) {
        Ok(files) => {
            let wrote = say!(
                "bundle-wrote",
                file = opts.output.display().to_string(),
                files = files
            );
            eprintln!("grade gradescope: {wrote}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("grade gradescope: {message}");
    ExitCode::from(2)
}
