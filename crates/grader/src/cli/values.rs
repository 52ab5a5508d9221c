//! The value parsers of the grading options (clap's `value_parser`): numbers, sizes, runs, a
//! command line, a fraction, `K=V`, a schedule; each complains in the reader's language.

/// `--schedule`: the choices that differ from the defaults, by decision number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScheduleArg(pub(crate) Vec<(usize, tracer::Choice)>);

/// A clap value parser for `--schedule`: a schedule string of `grade explore`.
pub(crate) fn schedule(s: &str) -> Result<ScheduleArg, String> {
    crate::run::parse_schedule(s)
        .map(ScheduleArg)
        .map_err(|_| say("cli-not-schedule", s))
}

/// A clap value parser for the command line's seconds and scales: a finite number above 0.
pub fn positive(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        _ => Err(say("cli-not-positive", s)),
    }
}

/// A clap value parser for `--max-memory` and `--max-disk`: a size in bytes, or a number with
/// a K, M or G suffix, read as powers of 1024 (`1G` is 2^30 bytes; `KiB`, `MB`... are taken
/// too, all binary), by the `parse-size` crate.
pub fn size(s: &str) -> Result<u64, String> {
    let config = parse_size::Config::new().with_binary();
    match config.parse_size(s.trim()) {
        Ok(n) if n > 0 => Ok(n),
        Err(parse_size::Error::PosOverflow) => Err(say("cli-too-large", s)),
        _ => Err(say("cli-not-size", s)),
    }
}

/// A clap value parser for `--runs`: a whole number from 1.
pub(crate) fn runs(s: &str) -> Result<u32, String> {
    match s.trim().parse::<i64>() {
        Ok(n) if n >= 1 => u32::try_from(n).map_err(|_| say("cli-runs-too-many", s)),
        Ok(_) => Err(say("cli-runs-at-least-1", s)),
        Err(_) => Err(say("cli-not-runs", s)),
    }
}

/// A command line given as one argument, split into its words (program first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CommandWords(pub(crate) Vec<String>);

/// A clap value parser for a command line given as one argument (`--reference`): split as a
/// POSIX shell would (`shlex`), so a path with spaces can be quoted; not empty.
pub(crate) fn command_line(s: &str) -> Result<CommandWords, String> {
    match shlex::split(s) {
        Some(words) if !words.is_empty() => Ok(CommandWords(words)),
        Some(_) => Err(say("cli-reference-empty", s)),
        None => Err(say("cli-not-command-line", s)),
    }
}

/// A clap value parser for `--shake`: a fraction from 0 to 1.
pub(crate) fn fraction(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(say("cli-not-fraction", s)),
    }
}

/// A clap value parser for `--param K=V`: the key (trimmed, not empty) and the value.
pub fn key_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(say("cli-not-key-value", s)),
    }
}

/// A clap value parser for `--env`: `NAME` (grade's own value) or `NAME=VALUE`.
pub fn env_var(s: &str) -> Result<crate::run::PassEnv, String> {
    crate::run::pass_env(std::ffi::OsStr::new(s)).map_err(|()| say("cli-not-env", s))
}

/// A value parser's complaint about `value`, in the reader's language.
fn say(id: &str, value: &str) -> String {
    i18n::tr!(i18n::Lang::current(), id, value = value)
}
