//! The handle of a traced run: its main pid, its stdio, a way to kill it from any thread, the
//! main process's end, and the trace once every task is gone.

use std::collections::HashMap;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::process::{ChildStderr, ChildStdin, ChildStdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::error::{TraceError, TraceErrorKind};
use crate::record::{End, Trace};
use crate::sys;

/// State shared between the tracer thread and the handles.
#[derive(Debug)]
pub(crate) struct Shared {
    /// A pidfd for every live process of the run, by pid.
    processes: Mutex<HashMap<i32, OwnedFd>>,
    /// Set once a kill was asked: processes created after it are killed at birth.
    killing: AtomicBool,
    /// The main process's end, once reaped.
    main_end: Mutex<Option<End>>,
    main_ended: Condvar,
    /// An eventfd made readable once `main_end` is set: a caller's poll loop can wait on it.
    main_ended_fd: OwnedFd,
    /// Set when the tracer thread is done (every tracee gone, or the tracer failed).
    finished: Mutex<bool>,
    finished_cv: Condvar,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere cannot leave these maps half-updated: each update is one insert or remove.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    pub(crate) fn new() -> Result<Shared, TraceError> {
        // SAFETY: eventfd takes an initial value and flags; it returns a new descriptor or -1.
        let fd = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) };
        if fd == -1 {
            return Err(TraceError::with_source(
                TraceErrorKind::Os,
                "cannot make an eventfd",
                std::io::Error::last_os_error(),
            ));
        }
        Ok(Shared {
            processes: Mutex::default(),
            killing: AtomicBool::new(false),
            main_end: Mutex::new(None),
            main_ended: Condvar::new(),
            // SAFETY: the kernel just gave us this descriptor; nothing else owns it.
            main_ended_fd: unsafe { OwnedFd::from_raw_fd(fd) },
            finished: Mutex::new(false),
            finished_cv: Condvar::new(),
        })
    }

    pub(crate) fn add_process(&self, pid: i32, pidfd: OwnedFd) {
        if self.killing.load(Ordering::Acquire) {
            let _ = sys::pidfd_kill(&pidfd);
        }
        lock(&self.processes).insert(pid, pidfd);
    }

    pub(crate) fn remove_process(&self, pid: i32) {
        lock(&self.processes).remove(&pid);
    }

    pub(crate) fn kill_all(&self) {
        self.killing.store(true, Ordering::Release);
        for fd in lock(&self.processes).values() {
            let _ = sys::pidfd_kill(fd);
        }
    }

    pub(crate) fn set_main_end(&self, end: End) {
        // The descriptor first: whoever sees the end (under the lock) must find it readable.
        let mut slot = lock(&self.main_end);
        let one: u64 = 1;
        // SAFETY: writes the 8 bytes of `one` to our eventfd; a full counter (never, at 1 per
        // run) would only fail with EAGAIN.
        unsafe {
            libc::write(
                self.main_ended_fd.as_raw_fd(),
                (&one as *const u64).cast(),
                std::mem::size_of::<u64>(),
            )
        };
        *slot = Some(end);
        drop(slot);
        self.main_ended.notify_all();
    }

    pub(crate) fn set_finished(&self) {
        *lock(&self.finished) = true;
        self.finished_cv.notify_all();
    }

    fn wait_finished(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut done = lock(&self.finished);
        while !*done {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            done = match self.finished_cv.wait_timeout(done, deadline - now) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        *done
    }

    fn live_processes(&self) -> Vec<i32> {
        let mut pids: Vec<i32> = lock(&self.processes).keys().copied().collect();
        pids.sort_unstable();
        pids
    }

    fn main_end(&self) -> Option<End> {
        *lock(&self.main_end)
    }

    fn wait_main_end(&self, timeout: Duration) -> Option<End> {
        let deadline = Instant::now() + timeout;
        let mut end = lock(&self.main_end);
        while end.is_none() {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            end = match self.main_ended.wait_timeout(end, deadline - now) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        *end
    }
}

/// Kills every live process of a run from any thread (SIGKILL through a pidfd per process, so a
/// recycled pid is never hit). Processes the run creates afterwards are killed at birth.
#[derive(Debug, Clone)]
pub struct Killer(pub(crate) Arc<Shared>);

impl Killer {
    /// SIGKILLs every live process of the run now.
    pub fn kill(&self) {
        self.0.kill_all();
    }
}

/// A run being traced. Dropping it without [`Running::wait`] kills the run and waits for the
/// tracer, so nothing of it outlives the handle.
#[derive(Debug)]
pub struct Running {
    pub(crate) pid: i32,
    pub(crate) shared: Arc<Shared>,
    pub(crate) thread: Option<JoinHandle<Result<Trace, TraceError>>>,
    pub(crate) stdin: Option<ChildStdin>,
    pub(crate) stdout: Option<ChildStdout>,
    pub(crate) stderr: Option<ChildStderr>,
}

impl Running {
    /// The main process's pid.
    pub fn pid(&self) -> i32 {
        self.pid
    }

    /// The write end of the program's stdin, if the command asked for a pipe.
    pub fn take_stdin(&mut self) -> Option<ChildStdin> {
        self.stdin.take()
    }

    /// The read end of the program's stdout, if the command asked for a pipe.
    pub fn take_stdout(&mut self) -> Option<ChildStdout> {
        self.stdout.take()
    }

    /// The read end of the program's stderr, if the command asked for a pipe.
    pub fn take_stderr(&mut self) -> Option<ChildStderr> {
        self.stderr.take()
    }

    /// A handle that kills the run from another thread.
    pub fn killer(&self) -> Killer {
        Killer(Arc::clone(&self.shared))
    }

    /// SIGKILLs every live process of the run.
    pub fn kill(&self) {
        self.shared.kill_all();
    }

    /// How the main process ended, if it was reaped already (the tracer thread reaps it: never
    /// `waitpid` it yourself).
    pub fn main_end(&self) -> Option<End> {
        self.shared.main_end()
    }

    /// A descriptor that polls readable (POLLIN) once [`Running::main_end`] is known: for a
    /// caller that waits on its output pipes and the main process's end at once.
    pub fn main_end_fd(&self) -> BorrowedFd<'_> {
        self.shared.main_ended_fd.as_fd()
    }

    /// The pids of the run's processes still alive (not yet reaped), sorted.
    pub fn live_processes(&self) -> Vec<i32> {
        self.shared.live_processes()
    }

    /// Waits up to `timeout` for the main process's end.
    pub fn wait_main_end(&self, timeout: Duration) -> Option<End> {
        self.shared.wait_main_end(timeout)
    }

    /// Whether every task of the run is gone (then [`Running::wait`] returns at once).
    pub fn is_finished(&self) -> bool {
        *lock(&self.shared.finished) || self.thread.as_ref().is_none_or(|t| t.is_finished())
    }

    /// Waits up to `timeout` for every task of the run to be gone; true when they are (then
    /// [`Running::wait`] returns at once).
    pub fn wait_finished(&self, timeout: Duration) -> bool {
        self.shared.wait_finished(timeout) || self.is_finished()
    }

    /// Waits until every task of the run is gone and returns the trace.
    ///
    /// Errors of kind `Os` when the tracer failed mid-run (it kills the run first).
    pub fn wait(mut self) -> Result<Trace, TraceError> {
        self.join()
    }

    fn join(&mut self) -> Result<Trace, TraceError> {
        let Some(thread) = self.thread.take() else {
            return Err(TraceError::new(
                TraceErrorKind::Os,
                "the trace was already taken",
            ));
        };
        match thread.join() {
            Ok(result) => result,
            Err(_) => Err(TraceError::new(
                TraceErrorKind::Os,
                "the tracer thread panicked",
            )),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if self.thread.is_some() {
            self.shared.kill_all();
            let _ = self.join();
        }
    }
}
