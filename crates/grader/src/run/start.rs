//! Starting the port: its command (new session, the run's marker, stdout a pipe or a
//! pseudo-terminal), traced when asked and allowed, else plain.

use std::ffi::OsStr;
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::Instant;

use fence::Fence;
use tracer::{TraceErrorKind, TraceOptions};

use super::config::{RUN_ID_ENV, RunConfig, RunError, RunErrorKind};
use super::main_proc::Main;
use crate::outcome::writer::Tracing;
use crate::words::say::say;

/// A started port.
pub(super) struct Started {
    pub(super) main: Main,
    pub(super) stdout: Option<OwnedFd>,
    pub(super) stderr: Option<OwnedFd>,
    pub(super) tracing: Tracing,
}

fn command(
    cfg: &RunConfig,
    marker: &str,
    tty: Option<&OwnedFd>,
    fence: Option<&Fence>,
) -> Result<Command, RunError> {
    let mut cmd = Command::new(&cfg.program);
    let stdout = match tty {
        Some(slave) => Stdio::from(
            slave
                .try_clone()
                .map_err(|e| RunError::os("os-pass-pty", e))?,
        ),
        None => Stdio::piped(),
    };
    // Not grade's environment: what a correct port needs, and the run's own (see `env`).
    super::env::set(&mut cmd, &cfg.env);
    cmd.args(&cfg.args)
        .env(RUN_ID_ENV, marker)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped());
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
    // The fence's hook after setsid; the tracer's, when traced, after the fence's.
    super::fenced::apply(fence, &mut cmd)?;
    Ok(cmd)
}

/// Starts the port: traced if `cfg.trace` and the system lets us (else plain, saying why), its
/// stdout the pseudo-terminal slave `tty` when given (else a pipe).
pub(super) fn start(
    cfg: &RunConfig,
    marker: &str,
    tty: Option<&OwnedFd>,
    start: Instant,
    fence: Option<&Fence>,
) -> Result<Started, RunError> {
    let mut tracing = Tracing::Off;
    if cfg.trace {
        let mut opts = TraceOptions::new(start);
        opts.shake = cfg.shake;
        opts.explore = cfg.explore.clone();
        // A fenced run's refused escapes become notes in the report.
        opts.watch_refusals = fence.is_some();
        // Which task moved which bytes through which pipe or socket (`came_through`).
        opts.channels = true;
        // Who waited for whose end, and who signalled whom (`order`'s `joined`).
        opts.waits = true;
        // What the run's tasks used between two lines (`cpu_time` with `since`).
        opts.cpu_at_lines = cfg.cpu_at_lines;
        // Enough to account for every byte the output limit lets through, and a little more.
        opts.max_total_bytes = cfg.output_limit.saturating_mul(2).saturating_add(1 << 16);
        match tracer::spawn(command(cfg, marker, tty, fence)?, &opts) {
            Ok(mut running) => {
                let stdout = running.take_stdout().map(OwnedFd::from);
                let stderr = running.take_stderr().map(OwnedFd::from);
                return Ok(Started {
                    main: Main::traced(running),
                    stdout,
                    stderr,
                    tracing: Tracing::On,
                });
            }
            Err(e) if e.kind() == TraceErrorKind::Refused => {
                tracing = Tracing::Refused(e.to_string())
            }
            Err(e) => return Err(trace_spawn_error(&cfg.program, e)),
        }
    }
    let mut cmd = command(cfg, marker, tty, fence)?;
    let mut child = cmd.spawn().map_err(|e| RunError::spawn(&cfg.program, e))?;
    // The command holds our copy of the pseudo-terminal's slave: the master sees the end of
    // output only once every copy is closed.
    drop(cmd);
    let stdout = child.stdout.take().map(OwnedFd::from);
    let stderr = child.stderr.take().map(OwnedFd::from);
    Ok(Started {
        main: Main::plain(child)?,
        stdout,
        stderr,
        tracing,
    })
}

/// The tracer could not start the program: the same errors as a plain start.
fn trace_spawn_error(program: &OsStr, e: tracer::TraceError) -> RunError {
    let io = std::error::Error::source(&e)
        .and_then(|s| s.downcast_ref::<io::Error>())
        .and_then(|s| s.raw_os_error())
        .map(io::Error::from_raw_os_error);
    match (e.kind(), io) {
        (TraceErrorKind::NotFound | TraceErrorKind::Spawn, Some(io)) => {
            RunError::spawn(program, io)
        }
        (TraceErrorKind::NotFound, None) => RunError::new(
            RunErrorKind::NotFound,
            say!(
                "run-not-found-why",
                command = program.to_string_lossy().into_owned(),
                error = e.to_string()
            ),
        ),
        (TraceErrorKind::Spawn, None) => RunError::new(RunErrorKind::Spawn, e.to_string()),
        _ => RunError::new(
            RunErrorKind::Os,
            say!("run-cannot-trace", error = e.to_string()),
        ),
    }
}
