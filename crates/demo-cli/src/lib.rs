//! The plumbing every demo shares: its command line parsed with clap (a bad argument is one
//! line on stderr and exit status 2, where clap's own report is several lines long), the knobs
//! checked (a malformed `MULTITASK_*` variable is reported the same way), and the error of its
//! `run` turned into one stderr line and status 1, as Python's uncaught exception exits 1.

use std::process::ExitCode;

/// A demo's whole `main`: parses its arguments into `T` (`--help`, `--version`; a bad one is one
/// stderr line and status 2), checks the knobs (the same), runs `run`, and gives its
/// [`exit_code`].
///
/// ```no_run
/// /// Prints a greeting.
/// #[derive(clap::Parser)]
/// #[command(version)]
/// struct Args {}
///
/// fn main() -> std::process::ExitCode {
///     demo_cli::main(|Args {}| -> multitask::Result<()> {
///         println!("hello");
///         Ok(())
///     })
/// }
/// ```
pub fn main<T, E>(run: impl FnOnce(T) -> Result<(), E>) -> ExitCode
where
    T: clap::Parser,
    E: std::fmt::Display,
{
    match parse::<T>() {
        Ok(args) => exit_code(run(args)),
        Err(code) => code,
    }
}

/// Parses the arguments into `T`, or says what is wrong in one line and gives the exit status:
/// 2 for a bad argument, 0 after printing `--help` or `--version`.
///
/// ```
/// #[derive(clap::Parser)]
/// struct Args { n: Option<u8> }
/// let args: Args = demo_cli::parse_from(["demo", "5"]).unwrap();
/// assert_eq!(args.n, Some(5));
/// assert!(demo_cli::parse_from::<Args, _, _>(["demo", "x"]).is_err());
/// ```
pub fn parse<T: clap::Parser>() -> Result<T, ExitCode> {
    parse_from(std::env::args_os())
}

/// The demo's command with the environment knobs every demo reads listed at the end of its
/// `--help` (after any text of its own).
pub fn with_knobs(command: clap::Command) -> clap::Command {
    let lang = i18n::Lang::current();
    let knobs = i18n::tr!(
        lang,
        "demo-knobs",
        scale = multitask::TIME_SCALE_VAR,
        seed = multitask::SEED_VAR
    );
    let text = match command.get_after_help() {
        Some(own) => format!("{own}\n\n{knobs}"),
        None => knobs,
    };
    command.after_help(text)
}

/// [`parse`] from the given arguments (the first is the program name).
pub fn parse_from<T, I, S>(args: I) -> Result<T, ExitCode>
where
    T: clap::Parser,
    I: IntoIterator<Item = S>,
    S: Into<std::ffi::OsString> + Clone,
{
    let parsed = with_knobs(T::command())
        .try_get_matches_from(args)
        .and_then(|m| T::from_arg_matches(&m))
        .map_err(|e| {
            use clap::error::ErrorKind;
            match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    let _ = e.print();
                    ExitCode::SUCCESS
                }
                _ => {
                    let program = program_name();
                    let text = e.to_string();
                    let first = text.lines().next().unwrap_or("bad arguments");
                    let first = first.strip_prefix("error: ").unwrap_or(first);
                    eprintln!("{program}: {first}");
                    ExitCode::from(2)
                }
            }
        })?;
    if let Err(e) = multitask::check_knobs() {
        eprintln!("{}: {e}", program_name());
        return Err(ExitCode::from(2));
    }
    Ok(parsed)
}

/// A demo's `main`: checks the knobs (a malformed one: one stderr line, status 2), runs `run`,
/// and gives its [`exit_code`].
///
/// ```
/// fn run() -> multitask::Result<()> { Ok(()) }
/// let _status = demo_cli::run_main(run);
/// ```
pub fn run_main<E: std::fmt::Display>(run: impl FnOnce() -> Result<(), E>) -> ExitCode {
    if let Err(e) = multitask::check_knobs() {
        eprintln!("{}: {e}", program_name());
        return ExitCode::from(2);
    }
    exit_code(run())
}

/// The exit status of a demo's `main`: success, or the error on one stderr line and status 1
/// (Python prints the traceback of an uncaught exception and exits 1).
///
/// ```
/// let code = demo_cli::exit_code(Err::<(), _>("no such file"));
/// assert_eq!(code, std::process::ExitCode::FAILURE);
/// ```
pub fn exit_code<E: std::fmt::Display>(result: Result<(), E>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}: {e}", program_name());
            ExitCode::FAILURE
        }
    }
}

/// The name this program was started as, without its directory: the prefix of every line it
/// prints on stderr.
fn program_name() -> String {
    let program = std::env::args().next().unwrap_or_default();
    program.rsplit('/').next().unwrap_or_default().to_string()
}
