//! A submission's build log, and one build step run into it: its command line, what it
//! printed, and how it ended.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fence::FenceOptions;

use super::error::ClassError;
use super::fence_hook::fence_step;
use super::relay::{Policy, Relay};
use super::step::{StepEnd, prepare_step, run_step};
use grader::visible_lines;
use i18n::say;

/// The build log: every step's command line, then what it printed, then how it ended.
pub(crate) struct Log {
    file: File,
    path: PathBuf,
}

impl Log {
    /// Creates (truncates) the log at `path`.
    pub(crate) fn create(path: &Path) -> Result<Log, ClassError> {
        let file = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(true)
            .open(path)
            .map_err(|e| ClassError::io(path, "class-io-write", e))?;
        Ok(Log {
            file,
            path: path.to_path_buf(),
        })
    }

    pub(crate) fn line(&mut self, text: &str) -> Result<(), ClassError> {
        writeln!(self.file, "{text}").map_err(|e| ClassError::io(&self.path, "class-io-write", e))
    }

    /// A handle for a step's stdout or stderr, appending to the log.
    pub(crate) fn handle(&self) -> Result<Stdio, ClassError> {
        let f = self
            .file
            .try_clone()
            .map_err(|e| ClassError::io(&self.path, "class-io-write", e))?;
        Ok(Stdio::from(f))
    }

    /// Rewrites the log with its control characters shown as escapes (`\x1b`): what a
    /// submission's build printed is read in a terminal, and must not drive it.
    pub(crate) fn finish(self) -> Result<(), ClassError> {
        let text =
            fs::read(&self.path).map_err(|e| ClassError::io(&self.path, "class-io-read", e))?;
        let shown = visible_lines(&String::from_utf8_lossy(&text));
        drop(self.file);
        fs::write(&self.path, shown).map_err(|e| ClassError::io(&self.path, "class-io-write", e))
    }

    /// What the log holds from byte `from` on.
    fn since(&self, from: u64) -> String {
        let text = fs::read(&self.path).unwrap_or_default();
        let from = (from as usize).min(text.len());
        String::from_utf8_lossy(&text[from..]).into_owned()
    }

    fn len(&self) -> u64 {
        self.file.metadata().map(|m| m.len()).unwrap_or(0)
    }
}

/// Runs one build step with its stderr in the log, and its stdout too unless `stdout` is
/// given; fenced when `fence` is given, its relay (a fence with `relay_port`) served under
/// `policy`. `None` when it succeeded, else why the build failed.
pub(crate) fn step(
    log: &mut Log,
    cmd: &mut Command,
    fence: Option<&FenceOptions>,
    policy: Policy,
    stdout: Option<File>,
    deadline: Instant,
    timeout: Duration,
) -> Result<Option<String>, ClassError> {
    let mut line = format!("$ {}", shown_cmd(cmd));
    // The step's own session first: the fence's hook must come after it.
    let marker = prepare_step(cmd);
    // Kept until the step is over (dropping it removes the fence's scratch folder).
    let guard = match fence {
        Some(options) => {
            let guard = fence_step(cmd, options)?;
            line = format!("{}\n{line}", guard.status);
            Some(guard)
        }
        None => None,
    };
    log.line(&line)?;
    let from = log.len();
    cmd.stdin(Stdio::null()).stderr(log.handle()?);
    match stdout {
        Some(f) => cmd.stdout(f),
        None => cmd.stdout(log.handle()?),
    };
    let program = cmd.get_program().to_string_lossy().into_owned();
    let mut relay = None;
    let mut relay_failed = None;
    let mut spawned = || {
        let Some(fenced) = &guard else { return };
        match fenced.take_relay() {
            Ok(Some(listener)) => match Relay::start(listener, policy) {
                Ok(r) => relay = Some(r),
                Err(e) => relay_failed = Some(say!("relay-cannot-start", error = e.to_string())),
            },
            Ok(None) => {}
            Err(e) => relay_failed = Some(say!("relay-note", why = e.to_string())),
        }
    };
    let ran = run_step(cmd, &marker, deadline, &mut spawned);
    log_relay(log, relay, relay_failed)?;
    let end: StepEnd = match ran {
        Ok(end) => end,
        Err(e) => {
            let why = say!(
                "class-why-cannot-run",
                program = program.as_str(),
                error = e.to_string()
            );
            log.line(&why)?;
            return Ok(Some(why));
        }
    };
    if end.left_running > 0 {
        log.line(&say!(
            "class-log-left-running",
            count = end.left_running.to_string()
        ))?;
    }
    let failed = failure(&end, &program, timeout, || first_error(&log.since(from)));
    if let Some(why) = &failed {
        log.line(&format!("-> {why}"))?;
    }
    Ok(failed)
}

/// What the step's relay did (or why it could not), in the log.
fn log_relay(
    log: &mut Log,
    relay: Option<Relay>,
    failed: Option<String>,
) -> Result<(), ClassError> {
    if let Some(relay) = relay {
        for line in relay.notes() {
            log.line(&line)?;
        }
    }
    if let Some(why) = failed {
        log.line(&why)?;
    }
    Ok(())
}

/// Why step `program` failed, if it did: past the timeout, the first error its output
/// `said`, or how it ended.
fn failure(
    end: &StepEnd,
    program: &str,
    timeout: Duration,
    said: impl FnOnce() -> Option<String>,
) -> Option<String> {
    match end.status {
        None => Some(say!(
            "class-why-timeout",
            program = program,
            seconds = timeout.as_secs_f64().to_string()
        )),
        Some(st) if st.success() => None,
        Some(st) => Some(match (said(), st.code(), st.signal()) {
            (Some(line), _, _) => line,
            (None, Some(code), _) => say!(
                "class-why-status",
                program = program,
                code = code.to_string()
            ),
            (None, None, Some(sig)) => say!(
                "class-why-signal",
                program = program,
                signal = sig.to_string()
            ),
            (None, None, None) => say!("class-why-failed", program = program),
        }),
    }
}

/// The first line of compiler or cargo output that says what went wrong, whole.
fn first_error(output: &str) -> Option<String> {
    output
        .lines()
        .map(str::trim_end)
        .find(|l| l.starts_with("error"))
        .map(str::to_string)
}

pub(crate) fn shown(args: &[OsString]) -> String {
    args.iter()
        .map(|a| a.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ")
}

fn shown_cmd(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_os_string()];
    parts.extend(cmd.get_args().map(|a| a.to_os_string()));
    shown(&parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_error_line_is_kept_whole() {
        let out = "   Compiling x v0.1.0\nerror[E0308]: mismatched types: expected `i32`, found `&str`\nerror: could not compile `x`\n";
        assert_eq!(
            first_error(out).as_deref(),
            Some("error[E0308]: mismatched types: expected `i32`, found `&str`")
        );
    }
}
