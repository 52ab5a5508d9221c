//! One run of a command, traced, with no spec: what `grade trace` draws.

use std::ffi::{OsStr, OsString};
use std::io::{self, Read};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tracer::{Trace, TraceError, TraceOptions};

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

/// Runs `program` with `args` once, traced, in a session of its own, with `env` added to the
/// environment, stdin empty, stdout and stderr pipes; kills every process of it once `timeout`
/// passed. Returns when every task of the run is gone, so nothing of it is left running.
///
/// Errors: the tracer's, e.g. `Refused` when this system does not let us trace, `NotFound` for
/// a program that does not exist.
pub fn trace_command(
    program: &OsStr,
    args: &[OsString],
    env: &[(OsString, OsString)],
    timeout: Duration,
) -> Result<TracedRun, TraceError> {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: the closure runs between fork and exec and only calls setsid, which is
    // async-signal-safe and allocates nothing.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() == -1 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let opts = TraceOptions::new(Instant::now());
    let mut run = tracer::spawn(cmd, &opts)?;
    let stdout = reader(run.take_stdout());
    let stderr = reader(run.take_stderr());
    let timed_out = Arc::new(AtomicBool::new(false));
    let (done, watch) = mpsc::channel::<()>();
    let killer = run.killer();
    let flag = Arc::clone(&timed_out);
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

/// Reads a pipe to its end on a thread of its own, keeping the first [`KEEP_MAX`] bytes.
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
