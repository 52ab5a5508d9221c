//! Minimal stand-in for the runner (replaced on merge by the supervised one).
//!
//! Same API as the real runner; it captures stdout line by line and stderr's tail, and nothing
//! more: no process group, no timeout, no output cap, no reaping of adopted orphans.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::outcome::{Exit, Line, RunOutcome};

/// How to run the port once.
#[derive(Debug, Clone)]
pub struct RunConfig {
    pub program: OsString,
    pub args: Vec<OsString>,
    pub env: Vec<(OsString, OsString)>,
    pub timeout: Duration,
    pub grace: Duration,
    pub output_limit: usize,
}

impl RunConfig {
    /// A config with the defaults: 30 s timeout, 500 ms grace, 1 MiB of output.
    pub fn new(program: impl Into<OsString>, args: Vec<OsString>) -> Self {
        RunConfig {
            program: program.into(),
            args,
            env: Vec::new(),
            timeout: Duration::from_secs(30),
            grace: Duration::from_millis(500),
            output_limit: 1 << 20,
        }
    }
}

/// What went wrong starting or supervising a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunErrorKind {
    NotFound,
    Spawn,
    Os,
}

/// The run could not be done at all (not a failure of the port).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct RunError {
    kind: RunErrorKind,
    message: String,
}

impl RunError {
    pub fn kind(&self) -> RunErrorKind {
        self.kind
    }
}

/// Makes the grader adopt its runs' orphans (Linux `PR_SET_CHILD_SUBREAPER`).
pub fn become_subreaper() -> Result<(), RunError> {
    // SAFETY: prctl with PR_SET_CHILD_SUBREAPER only sets a flag on this process.
    let rc = unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
    if rc == 0 {
        Ok(())
    } else {
        Err(RunError {
            kind: RunErrorKind::Os,
            message: format!(
                "cannot become a child subreaper: {}",
                std::io::Error::last_os_error()
            ),
        })
    }
}

/// Runs the port once; `run` is the run's number, from 1.
pub fn run_once(cfg: &RunConfig, run: usize) -> Result<RunOutcome, RunError> {
    let start = Instant::now();
    let mut child = Command::new(&cfg.program)
        .args(&cfg.args)
        .envs(cfg.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            let (kind, message) = if e.kind() == std::io::ErrorKind::NotFound {
                (
                    RunErrorKind::NotFound,
                    format!("command not found: {}", cfg.program.to_string_lossy()),
                )
            } else {
                (
                    RunErrorKind::Spawn,
                    format!("cannot start {}: {e}", cfg.program.to_string_lossy()),
                )
            };
            RunError { kind, message }
        })?;
    let os_err = |e: std::io::Error| RunError {
        kind: RunErrorKind::Os,
        message: format!("reading the run's output: {e}"),
    };
    let mut stderr = child.stderr.take();
    let err_thread = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stderr.as_mut() {
            let _ = s.read_to_end(&mut buf);
        }
        buf
    });
    let mut lines = Vec::new();
    if let Some(out) = child.stdout.take() {
        let mut reader = BufReader::new(out);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            if reader.read_until(b'\n', &mut buf).map_err(os_err)? == 0 {
                break;
            }
            if buf.last() == Some(&b'\n') {
                buf.pop();
            }
            let (text, utf8) = match std::str::from_utf8(&buf) {
                Ok(s) => (s.to_string(), true),
                Err(_) => (String::from_utf8_lossy(&buf).into_owned(), false),
            };
            lines.push(Line {
                text,
                utf8,
                at: start.elapsed(),
            });
        }
    }
    let status = child.wait().map_err(os_err)?;
    let err = err_thread.join().unwrap_or_default();
    let tail = &err[err.len().saturating_sub(4096)..];
    use std::os::unix::process::ExitStatusExt;
    let exit = match (status.code(), status.signal()) {
        (Some(c), _) => Some(Exit::Code(c)),
        (None, Some(s)) => Some(Exit::Signal(s)),
        _ => None,
    };
    Ok(RunOutcome {
        run,
        main_pid: child.id() as i32,
        adopter_pid: std::process::id() as i32,
        lines,
        stderr_tail: String::from_utf8_lossy(tail).into_owned(),
        exit,
        timed_out: false,
        output_limit_hit: false,
        left_behind: Vec::new(),
        elapsed: start.elapsed(),
    })
}
