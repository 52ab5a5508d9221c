//! How every demo parses its command line: with clap, and a bad argument is one line on stderr
//! and exit status 2 (clap's own report is several lines long). A malformed knob in the
//! environment (`multitask::check_knobs`) is reported the same way.

use std::process::ExitCode;

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

/// [`parse`] from the given arguments (the first is the program name).
pub fn parse_from<T, I, S>(args: I) -> Result<T, ExitCode>
where
    T: clap::Parser,
    I: IntoIterator<Item = S>,
    S: Into<std::ffi::OsString> + Clone,
{
    let parsed = T::try_parse_from(args).map_err(|e| {
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

fn program_name() -> String {
    let program = std::env::args().next().unwrap_or_default();
    program.rsplit('/').next().unwrap_or_default().to_string()
}
