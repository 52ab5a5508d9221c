//! One run of a command, traced, with no spec: what `grade trace` draws.
//!
//! Its stdout is a pseudo-terminal by default, as at a terminal, so a program flushes each line
//! as it prints it and the picture shows when it did (a pipe makes Python and C stdio hold
//! their lines to the exit). Opened as the grading's runs open theirs (`run/pty.rs`).

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::{self, Read};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tracer::{Trace, TraceError, TraceErrorKind, TraceOptions};

use crate::run::StdoutKind;
use crate::run::shaking::Plan;

/// Bytes of each stream kept at most; the rest is read and dropped, so the program never blocks.
const KEEP_MAX: usize = 4 * 1024 * 1024;

/// What one traced run of a command gave.
#[derive(Debug, Clone)]
pub struct TracedRun {
    /// Every task and every write of the run.
    pub trace: Trace,
    /// Its stdout as it arrived (at most 4 MiB).
    pub stdout: Vec<u8>,
    /// Its stderr as it arrived (at most 4 MiB).
    pub stderr: Vec<u8>,
    /// The run outlasted the timeout and every process of it was killed.
    pub timed_out: bool,
}

/// A command could not be traced: the tracer's error, or no pseudo-terminal for its stdout.
#[derive(Debug, thiserror::Error)]
pub enum TraceRunError {
    /// The tracer failed (refused, program not found, not started, ...).
    #[error("{0}")]
    Trace(#[from] TraceError),
    /// No pseudo-terminal could be opened or set up; the cause is `source()`.
    #[error("{}", crate::words::say::say!("os-open-pty", error = .0.to_string()))]
    Pty(#[source] io::Error),
}

impl TraceRunError {
    /// Which way it failed: the tracer's kind, or `Os` for the pseudo-terminal.
    pub fn kind(&self) -> TraceErrorKind {
        match self {
            TraceRunError::Trace(e) => e.kind(),
            TraceRunError::Pty(_) => TraceErrorKind::Os,
        }
    }
}

/// How to trace a command once.
#[derive(Debug, Clone)]
pub struct TraceRunOptions {
    /// The run's environment beyond what it keeps of the caller's (the same as a graded run
    /// keeps: `PATH`, `HOME`, `TMPDIR`, the locale, `TZ`, `TERM`, `MULTITASK_*`, `GRADE*`).
    pub env: Vec<(OsString, OsString)>,
    /// Every process of the run is killed once it has run this long.
    pub timeout: Duration,
    /// Stdout a pseudo-terminal (the default) or a pipe.
    pub stdout: StdoutKind,
    /// Shake the schedule with this seed (holds bounded as a grading's are at `time_scale`).
    pub shake: Option<u64>,
    /// The time scale the run is given (it bounds the holds).
    pub time_scale: f64,
}

impl Default for TraceRunOptions {
    fn default() -> Self {
        TraceRunOptions {
            env: Vec::new(),
            timeout: Duration::from_secs(30),
            stdout: StdoutKind::Pty,
            shake: None,
            time_scale: 1.0,
        }
    }
}

/// Runs `program` with `args` once, traced, in a session of its own, stdin empty, stderr a
/// pipe; kills every process of it once the timeout passed. Returns when every task of the run
/// is gone, so nothing of it is left running.
///
/// Errors: the tracer's, e.g. `Refused` when this system does not let us trace, `NotFound` for
/// a program that does not exist; [`TraceRunError::Pty`] when no pseudo-terminal can be had.
pub fn trace_command(
    program: &OsStr,
    args: &[OsString],
    opts: &TraceRunOptions,
) -> Result<TracedRun, TraceRunError> {
    let mut cmd = Command::new(program);
    crate::run::set_env(&mut cmd, &opts.env);
    cmd.args(args).stdin(Stdio::null()).stderr(Stdio::piped());
    let pty_master = match opts.stdout {
        StdoutKind::Pty => {
            let (master, slave) =
                crate::run::open_pair().map_err(|(_, e)| TraceRunError::Pty(io::Error::from(e)))?;
            cmd.stdout(Stdio::from(slave));
            Some(master)
        }
        StdoutKind::Pipe => {
            cmd.stdout(Stdio::piped());
            None
        }
    };
    // SAFETY: the closure runs between fork and exec and only calls setsid and marks the
    // descriptors above 2 close-on-exec (raw syscalls), async-signal-safe, allocating nothing.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() == -1 {
                return Err(io::Error::last_os_error());
            }
            // What our caller or we had open (a shell's `exec 7>>FILE`) never reaches it.
            fence::inherit_only_stdio()
        });
    }
    let mut trace_opts = TraceOptions::new(Instant::now());
    trace_opts.shake = opts
        .shake
        .and_then(|seed| Plan::new(1.0, Some(seed), opts.time_scale).shake(1));
    let mut run = tracer::spawn(cmd, &trace_opts)?;
    let stdout = match pty_master {
        Some(master) => reader(Some(File::from(master))),
        None => reader(run.take_stdout()),
    };
    let stderr = reader(run.take_stderr());
    let timed_out = Arc::new(AtomicBool::new(false));
    let (done, watch) = mpsc::channel::<()>();
    let killer = run.killer();
    let flag = Arc::clone(&timed_out);
    let timeout = opts.timeout;
    // Dropping `done` ends the watchdog without a kill; the timeout passing kills the run.
    let watchdog = std::thread::spawn(move || {
        if let Err(RecvTimeoutError::Timeout) = watch.recv_timeout(timeout) {
            flag.store(true, Ordering::Release);
            killer.kill();
        }
    });
    let trace = run.wait();
    drop(done);
    let _ = watchdog.join();
    let trace = trace?;
    Ok(TracedRun {
        trace,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
        timed_out: timed_out.load(Ordering::Acquire),
    })
}

/// Reads a pipe (or a pseudo-terminal's master) to its end on a thread of its own, keeping the
/// first [`KEEP_MAX`] bytes. A master's read fails with EIO once no slave is open: its end.
fn reader<R: Read + Send + 'static>(pipe: Option<R>) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let Some(mut pipe) = pipe else { return kept };
        let mut chunk = [0u8; 8192];
        loop {
            match pipe.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => {
                    let room = KEEP_MAX.saturating_sub(kept.len()).min(n);
                    kept.extend_from_slice(&chunk[..room]);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        kept
    })
}
