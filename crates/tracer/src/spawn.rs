//! Starting a traced run: the hook is added, the command spawned from a dedicated tracer thread
//! (the tracer of `PTRACE_TRACEME` is the forking *thread*, and only it may make ptrace requests),
//! and the handle returned once the program has exec'd and stopped.

use std::ffi::OsStr;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command};
use std::sync::Arc;
use std::sync::mpsc;

use crate::calls::Streams;
use crate::error::{TraceError, TraceErrorKind};
use crate::filter::Filters;
use crate::hook::{spawn_error, tracee_hook};
use crate::options::TraceOptions;
use crate::proc_info;
use crate::record::Trace;
use crate::running::{Running, Shared};
use crate::sys;
use crate::tracer::Tracer;

/// What the tracer thread hands back once the program runs.
type Started = (i32, Child);

/// Spawns `cmd` traced, following every fork, vfork and clone of it and of its descendants.
///
/// The tracing hook is added to `cmd` after every pre_exec hook already there (a fence's), so it
/// runs last in the child. Returns once the program has exec'd. Never `waitpid` the returned pid:
/// the tracer thread reaps it (see [`Running::main_end`]).
///
/// Errors: `Refused` when this system will not let us trace (run untraced and say so),
/// `NotFound` / `Spawn` when the program cannot be started, `Os` otherwise.
pub fn spawn(mut cmd: Command, opts: &TraceOptions) -> Result<Running, TraceError> {
    // An ordered schedule stops tasks at their sleeps too.
    let ordered = opts.explore.is_some() || opts.shake.is_some_and(|s| s.pct.is_some());
    let filters = Filters::build(opts.watch_refusals, ordered, opts.channels, opts.waits)?;
    // SAFETY: the hook only makes raw system calls (ptrace, prctl, seccomp) on filters compiled
    // before the fork; it allocates nothing and takes no lock.
    unsafe {
        cmd.pre_exec(move || tracee_hook(&filters));
    }
    let shared = Arc::new(Shared::new()?);
    let opts = opts.clone();
    let thread_shared = Arc::clone(&shared);
    let (tx, rx) = mpsc::channel::<Result<Started, TraceError>>();
    let thread = std::thread::Builder::new()
        .name("tracer".to_string())
        .spawn(move || {
            // Set however the thread ends, a panic included.
            struct Done(Arc<Shared>);
            impl Drop for Done {
                fn drop(&mut self) {
                    self.0.set_finished();
                }
            }
            let done = Done(Arc::clone(&thread_shared));
            let result = trace_thread(cmd, opts, thread_shared, tx);
            drop(done);
            result
        })
        .map_err(|e| {
            TraceError::with_source(TraceErrorKind::Os, "cannot start the tracer thread", e)
        })?;
    match rx.recv() {
        Ok(Ok((pid, mut child))) => Ok(Running {
            pid,
            shared,
            thread: Some(thread),
            stdin: child.stdin.take(),
            stdout: child.stdout.take(),
            stderr: child.stderr.take(),
        }),
        Ok(Err(e)) => {
            let _ = thread.join();
            Err(e)
        }
        Err(_) => match thread.join() {
            Ok(Err(e)) => Err(e),
            _ => Err(TraceError::new(
                TraceErrorKind::Os,
                "the tracer thread died at start",
            )),
        },
    }
}

/// The tracer thread: spawn, wait for the exec stop, hand the child back, then trace to the end.
fn trace_thread(
    mut cmd: Command,
    opts: TraceOptions,
    shared: Arc<Shared>,
    tx: mpsc::Sender<Result<Started, TraceError>>,
) -> Result<Trace, TraceError> {
    let program = cmd.get_program().to_owned();
    let child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            let _ = tx.send(Err(spawn_error(&program, e)));
            return Err(TraceError::new(TraceErrorKind::Spawn, "not started"));
        }
    };
    let pid = child.id() as i32;
    let stopped = first_stop(pid, &cmd, &program);
    // The command may hold our copies of descriptors given to the child (a terminal's slave):
    // the reader of that terminal sees the end of output only once every copy is closed.
    drop(cmd);
    if let Err(e) = stopped {
        let _ = tx.send(Err(e));
        return Err(TraceError::new(TraceErrorKind::Spawn, "not started"));
    }
    // Until the options are set a SIGKILL is the only way to stop the child: no EXITKILL yet.
    if let Err(e) = sys::set_options(pid, sys::OPTIONS) {
        kill_and_reap(pid);
        let _ = tx.send(Err(TraceError::os("cannot set the ptrace options", e)));
        return Err(TraceError::new(TraceErrorKind::Os, "not started"));
    }
    if let Ok(fd) = sys::pidfd_open(pid) {
        shared.add_process(pid, fd);
    }
    let streams = Streams {
        stdout: opts.stdout.or_else(|| proc_info::fd_identity(pid, 1)),
        stderr: opts.stderr.or_else(|| proc_info::fd_identity(pid, 2)),
    };
    let tracer = Tracer::new(opts, streams, Arc::clone(&shared), pid);
    if tx.send(Ok((pid, child))).is_err() {
        // The caller is gone: nothing may outlive it.
        shared.kill_all();
    }
    tracer.run()
}

/// Waits for the SIGTRAP that follows a successful exec. Anything else means the exec failed
/// after our hook ran (its report to std was refused by the filter): the child is killed and
/// reaped, and the failure named.
fn first_stop(pid: i32, cmd: &Command, program: &OsStr) -> Result<(), TraceError> {
    let status =
        sys::wait_one(pid).map_err(|e| TraceError::os("cannot wait for the traced program", e))?;
    if libc::WIFSTOPPED(status) && libc::WSTOPSIG(status) == libc::SIGTRAP {
        return Ok(());
    }
    if libc::WIFSTOPPED(status) {
        kill_and_reap(pid);
    }
    let shown = program.to_string_lossy();
    // The errno execve most likely gave, for the same message a plain spawn would give.
    let errno = match resolve(cmd, program) {
        None => libc::ENOENT,
        Some(path) if nix::unistd::access(&path, nix::unistd::AccessFlags::X_OK).is_err() => {
            libc::EACCES
        }
        // A script whose interpreter is missing: execve says ENOENT.
        Some(path) if is_script(&path) => libc::ENOENT,
        Some(_) => libc::ENOEXEC,
    };
    let kind = if errno == libc::ENOENT {
        TraceErrorKind::NotFound
    } else {
        TraceErrorKind::Spawn
    };
    Err(TraceError::with_source(
        kind,
        format!("cannot start {shown}"),
        std::io::Error::from_raw_os_error(errno),
    ))
}

fn is_script(path: &Path) -> bool {
    let mut head = [0u8; 2];
    std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok()
        && head == *b"#!"
}

/// SIGKILLs a stopped tracee and reaps it.
fn kill_and_reap(pid: i32) {
    // SAFETY: kill takes plain integers; `pid` is our unreaped child, so it cannot be recycled.
    unsafe { libc::kill(pid, libc::SIGKILL) };
    loop {
        match sys::wait_one(pid) {
            Ok(st) if libc::WIFEXITED(st) || libc::WIFSIGNALED(st) => return,
            Ok(_) => {
                let _ = sys::cont(pid, 0);
            }
            Err(_) => return,
        }
    }
}

/// Where execvp would find the program, as far as can be told from outside.
fn resolve(cmd: &Command, program: &OsStr) -> Option<std::path::PathBuf> {
    let path = Path::new(program);
    if program.as_encoded_bytes().contains(&b'/') {
        let base = cmd
            .get_current_dir()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let full = base.join(path);
        return full.is_file().then_some(full);
    }
    let search = cmd
        .get_envs()
        .find(|(k, _)| *k == "PATH")
        .and_then(|(_, v)| v.map(OsStr::to_owned))
        .or_else(|| std::env::var_os("PATH"))?;
    std::env::split_paths(&search)
        .map(|dir| dir.join(path))
        .find(|p| p.is_file())
}
