//! How to run a port once, and why a run could not happen at all.

use std::ffi::{OsStr, OsString};
use std::fmt::Display;
use std::io;
use std::path::Path;
use std::time::Duration;

use crate::words::say::say;

/// The environment variable that carries a run's unique marker to every process of its tree.
pub const RUN_ID_ENV: &str = "GRADER_RUN_ID";

/// How to run a port once.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// The program: a path, or a name looked up in `PATH`.
    pub program: OsString,
    /// Its arguments, without the program itself.
    pub args: Vec<OsString>,
    /// The run's environment beyond what it keeps of `grade`'s (see `run/env.rs`): the time
    /// scale, the variables `--env` passes.
    pub env: Vec<(OsString, OsString)>,
    /// The whole tree is killed when the run lasts longer than this.
    pub timeout: Duration,
    /// How long processes may outlive the main process before they count as left behind.
    pub grace: Duration,
    /// Bytes of stdout plus stderr kept at most; past it the tree is killed.
    pub output_limit: usize,
    /// The fence every run gets (see `run/fenced.rs`); `None` runs unfenced.
    pub fence: Option<fence::FenceOptions>,
    /// A pair's worker starts once a stdout line starts with this (the grader signals the
    /// pair's launcher; see `run/pair_start.rs`); `None`: once the master listens.
    pub pair_after: Option<String>,
    /// Trace the run (ptrace): every line's writer and every task become known. When the
    /// system refuses, the run goes untraced and its outcome says so.
    pub trace: bool,
    /// Shake the traced run's schedule with these holds.
    pub shake: Option<tracer::Shake>,
    /// Order the traced run's stop points by this explored schedule (it outranks `shake`).
    pub explore: Option<tracer::Explore>,
    /// What the port's stdout is.
    pub stdout: StdoutKind,
    /// Read the CPU time of the run's tasks at each line (a spec's `cpu_time` check with
    /// `since` needs it).
    pub cpu_at_lines: bool,
}

/// What the port's stdout is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StdoutKind {
    /// A pseudo-terminal with output processing off (lines end as written): what a student
    /// sees at a terminal (Python then flushes each line).
    #[default]
    Pty,
    /// A pipe: output as redirected to a file (Python then buffers until exit or a full buffer).
    Pipe,
}

impl RunConfig {
    /// A run of `program` with `args`: timeout 30 s, grace 500 ms, output limit 1 MiB, traced,
    /// unshaken, stdout a pseudo-terminal.
    pub fn new(program: impl Into<OsString>, args: Vec<OsString>) -> Self {
        RunConfig {
            program: program.into(),
            args,
            env: Vec::new(),
            timeout: Duration::from_secs(30),
            grace: Duration::from_millis(500),
            output_limit: 1024 * 1024,
            fence: None,
            pair_after: None,
            trace: true,
            shake: None,
            explore: None,
            stdout: StdoutKind::Pty,
            cpu_at_lines: false,
        }
    }

    /// The folders whose programs are the system's for this run (`exec` patterns match only
    /// those): its `PATH`'s (the fence's when fenced), but any anybody may write into.
    pub(crate) fn system_dirs(&self) -> Vec<std::path::PathBuf> {
        let path = match &self.fence {
            Some(f) => Some(f.path.clone()),
            None => super::env::unfenced_path(&self.env),
        };
        path.map(|p| super::system_exec::system_dirs(&p))
            .unwrap_or_default()
    }
}

/// What kind of failure stopped a run from happening at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunErrorKind {
    /// The program (or its script interpreter) does not exist.
    NotFound,
    /// The program exists but could not be started (not executable, bad format, ...).
    Spawn,
    /// The operating system refused something the runner needs (pipe, poll, prctl, ...).
    Os,
    /// The run's fence could not be prepared (a path it needs, its scratch directory).
    Fence,
}

/// The run could not be done; the message is one line fit for the user, the cause (an
/// [`io::Error`] with the errno) is `source()`.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct RunError {
    kind: RunErrorKind,
    message: String,
    #[source]
    source: Option<io::Error>,
}

impl RunError {
    /// What kind of failure this is.
    pub fn kind(&self) -> RunErrorKind {
        self.kind
    }

    /// A run error of `kind` with its message (no underlying OS error).
    pub(crate) fn new(kind: RunErrorKind, message: String) -> Self {
        RunError {
            kind,
            message,
            source: None,
        }
    }

    /// The operating system failed what the catalogue's message `what` says, with `err`.
    pub(crate) fn os<E: Display + Into<io::Error>>(what: &str, err: E) -> Self {
        RunError {
            kind: RunErrorKind::Os,
            message: say!(what, error = err.to_string()),
            source: Some(err.into()),
        }
    }

    /// The run's fence could not be prepared; the [`fence::FenceError`] is the cause's inner
    /// error.
    pub(crate) fn fence(err: fence::FenceError) -> Self {
        RunError {
            kind: RunErrorKind::Fence,
            message: say!("run-fence", error = err.to_string()),
            source: Some(io::Error::other(err)),
        }
    }

    /// `program` could not be started.
    pub(crate) fn spawn(program: &OsStr, err: io::Error) -> Self {
        let shown = program.to_string_lossy();
        let (kind, message) = match err.kind() {
            _ if Path::new(program).is_dir() => (
                RunErrorKind::Spawn,
                say!("run-is-dir", command = shown.as_ref()),
            ),
            io::ErrorKind::NotFound if Path::new(program).is_file() => (
                RunErrorKind::NotFound,
                say!("run-no-interpreter", command = shown.as_ref()),
            ),
            io::ErrorKind::NotFound => (
                RunErrorKind::NotFound,
                say!("run-not-found", command = shown.as_ref()),
            ),
            io::ErrorKind::PermissionDenied => (
                RunErrorKind::Spawn,
                say!("run-not-executable", command = shown.as_ref()),
            ),
            _ => (
                RunErrorKind::Spawn,
                say!(
                    "run-cannot-start",
                    command = shown.as_ref(),
                    error = err.to_string()
                ),
            ),
        };
        RunError {
            kind,
            message,
            source: Some(err),
        }
    }
}
