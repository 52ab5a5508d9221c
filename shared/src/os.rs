//! Python's `os` functions the notes use (`fork`, `getpid`, `getppid`), `cpu_count`, and the fork
//! plumbing that `Process` and `Pool` share: flush, fork, reseed, run the child's body, `_exit`.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::fcntl::OFlag;
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, getpid, getppid};

use crate::error::{Error, Result};
use crate::{holders, knobs};

/// This process's id: Python's `os.getpid()`.
///
/// ```
/// assert_eq!(multitask::current_pid(), std::process::id() as i32);
/// ```
pub fn current_pid() -> i32 {
    let cached = PID.load(Ordering::Relaxed);
    if cached != 0 {
        return cached;
    }
    static FORGET_ON_FORK: Once = Once::new();
    FORGET_ON_FORK.call_once(|| {
        // SAFETY: registers a handler that only stores to an atomic, which is async-signal-safe
        // as a forked child's first code must be.
        unsafe { libc::pthread_atfork(None, None, Some(forget_pid)) };
    });
    let pid = getpid().as_raw();
    PID.store(pid, Ordering::Relaxed);
    pid
}

/// This process's pid, once asked (a `Queue` asks at every put): getpid is a system call.
static PID: AtomicI32 = AtomicI32::new(0);

extern "C" fn forget_pid() {
    PID.store(0, Ordering::Relaxed);
}

/// The parent's id: Python's `os.getppid()`.
///
/// ```
/// assert!(multitask::parent_pid() > 0);
/// ```
pub fn parent_pid() -> i32 {
    getppid().as_raw()
}

/// The number of CPUs: Python's `multiprocessing.cpu_count()`, and `Pool`'s default size.
///
/// ```
/// assert!(multitask::cpu_count() >= 1);
/// ```
pub fn cpu_count() -> usize {
    num_cpus::get()
}

/// Python's `os.fork()`: returns twice, 0 in the child and the child's pid in the parent.
///
/// Stdout is flushed first so a pending line is not written twice, and the child reseeds
/// `multitask::random`. Fork only while no other thread runs: the child gets a copy of just the
/// calling thread, and a lock another thread held stays locked forever in the child.
///
/// ```
/// let pid = multitask::fork()?;
/// if pid == 0 {
///     unsafe { libc::_exit(0) }; // the child leaves at once: this is a doctest
/// }
/// assert!(pid > 0);
/// nix::sys::wait::waitpid(nix::unistd::Pid::from_raw(pid), None)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn fork() -> Result<i32> {
    match raw_fork()? {
        ForkResult::Parent { child } => Ok(child.as_raw()),
        ForkResult::Child => Ok(0),
    }
}

fn raw_fork() -> Result<ForkResult> {
    prepare_for_children();
    let ordinal = knobs::next_child_ordinal();
    // Stdout and stderr are locked across the fork, and flushed (a pending line would be
    // written twice): no other thread can be inside them when the child is made, and the child,
    // the same thread as far as the locks know, releases them. Otherwise a child forked while
    // another thread printed would wait forever on its first print.
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    let _ = out.flush();
    let _ = err.flush();
    // SAFETY: the child only runs code of this crate's callers; they are told (docs above) to
    // fork while single-threaded, as Python's os.fork requires too.
    let forked = unsafe { nix::unistd::fork() }.map_err(|e| Error::os("fork", e));
    drop(err);
    drop(out);
    let forked = forked?;
    match forked {
        ForkResult::Child => knobs::reseed_after_fork(ordinal),
        ForkResult::Parent { child } => holders::adopt_child(child.as_raw()),
    }
    Ok(forked)
}

/// Work every child would otherwise repeat: read the knobs, and bind the libc functions a
/// child calls (lazy binding would resolve them again in each child, page fault by page fault).
/// It also completes every `Once` a child may need: one that another thread is still running
/// when a child is forked would never complete in the child.
fn prepare_for_children() {
    static DONE: Once = Once::new();
    DONE.call_once(|| {
        knobs::seed();
        knobs::time_scale();
        current_pid();
        holders::install_fork_handlers();
        let mut signal: libc::c_int = 0;
        // SAFETY: PR_GET_PDEATHSIG writes one c_int through the pointer.
        unsafe { libc::prctl(libc::PR_GET_PDEATHSIG, &mut signal as *mut libc::c_int) };
        let _ = getppid();
    });
}

fn flush_std() {
    // Nothing to do about a failed flush of our own stdout but to carry on.
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
}

/// A forked child running a body, seen from the parent: its pid and the pipe on which it reports
/// why it failed (a panic message or the target's error).
#[derive(Debug)]
pub(crate) struct Child {
    pub(crate) pid: Pid,
    report: File,
}

/// How a child ended, with what it reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ended {
    Exited(i32),
    Signaled(i32),
}

/// The first byte of a child's report says what the rest is.
const PANICKED: u8 = b'P';
const FAILED: u8 = b'E';

/// Forks a child that runs `body` and leaves with `_exit`: status 0 when the body returns
/// `None`, 1 with a report when it returns `Some(message)` or panics. The child dies with its
/// parent (SIGKILL on parent death, the race with an early parent exit closed).
pub(crate) fn spawn_child<F>(body: F) -> Result<Child>
where
    F: FnOnce() -> Option<String>,
{
    // Non-blocking for the parent's read; the child's one short write fits an empty pipe.
    let (report_read, report_write) = nix::unistd::pipe2(OFlag::O_CLOEXEC | OFlag::O_NONBLOCK)
        .map_err(|e| Error::os("pipe", e))?;
    let parent = getpid();
    match raw_fork()? {
        ForkResult::Parent { child } => {
            drop(report_write);
            Ok(Child {
                pid: child,
                report: File::from(report_read),
            })
        }
        ForkResult::Child => {
            drop(report_read);
            die_with_parent(parent);
            run_child_body(body, report_write)
        }
    }
}

fn die_with_parent(parent: Pid) {
    // SAFETY: prctl with PR_SET_PDEATHSIG takes a signal number and no pointers.
    let set = unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) };
    // The parent may have died between fork and prctl: then nobody will send the signal.
    if set != 0 || getppid() != parent {
        // SAFETY: _exit ends the process without running the parent's atexit handlers.
        unsafe { libc::_exit(1) };
    }
}

fn run_child_body<F>(body: F, report: OwnedFd) -> !
where
    F: FnOnce() -> Option<String>,
{
    let mut report = File::from(report);
    let code = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(None) => 0,
        Ok(Some(message)) => {
            eprintln!("Process {}: {message}", current_pid());
            let _ = report.write_all(&[FAILED]);
            let _ = report.write_all(message.as_bytes());
            1
        }
        Err(payload) => {
            let message = panic_message(payload.as_ref());
            let _ = report.write_all(&[PANICKED]);
            let _ = report.write_all(message.as_bytes());
            1
        }
    };
    flush_std();
    // SAFETY: leaving without unwinding into the parent's frames, which this copy must not run.
    unsafe { libc::_exit(code) }
}

pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-string payload".to_string()
    }
}

impl Child {
    /// Reaps the child if it has ended, without blocking.
    pub(crate) fn try_wait(&self) -> Result<Option<Ended>> {
        match waitpid(self.pid, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::Exited(_, code)) => Ok(Some(Ended::Exited(code))),
            Ok(WaitStatus::Signaled(_, signal, _)) => Ok(Some(Ended::Signaled(signal as i32))),
            Ok(_) => Ok(None),
            Err(e) => Err(Error::os("waitpid", e).with_pid(self.pid.as_raw())),
        }
    }

    /// Waits for the child to end, at most `timeout` (forever when `None`).
    pub(crate) fn wait(&self, timeout: Option<Duration>) -> Result<Option<Ended>> {
        if timeout.is_none() {
            loop {
                match waitpid(self.pid, None) {
                    Ok(WaitStatus::Exited(_, code)) => return Ok(Some(Ended::Exited(code))),
                    Ok(WaitStatus::Signaled(_, sig, _)) => {
                        return Ok(Some(Ended::Signaled(sig as i32)));
                    }
                    Ok(_) | Err(Errno::EINTR) => continue,
                    Err(e) => return Err(Error::os("waitpid", e).with_pid(self.pid.as_raw())),
                }
            }
        }
        let deadline = timeout.map(|t| Instant::now() + t);
        let exit_fd = PidFd::open(self.pid);
        loop {
            if let Some(ended) = self.try_wait()? {
                return Ok(Some(ended));
            }
            let left = match deadline {
                Some(d) => match d.checked_duration_since(Instant::now()) {
                    Some(left) if !left.is_zero() => left,
                    _ => return Ok(None),
                },
                None => Duration::from_secs(3600),
            };
            match &exit_fd {
                Some(fd) => fd.wait_readable(left),
                // Kernels without pidfd: poll the status at a short interval.
                None => std::thread::sleep(left.min(Duration::from_millis(2))),
            }
        }
    }

    /// Sends `signal` to the child; a child that already ended is not an error.
    pub(crate) fn signal(&self, signal: Signal) -> Result<()> {
        match kill(self.pid, signal) {
            Ok(()) | Err(Errno::ESRCH) => Ok(()),
            Err(e) => Err(Error::os("kill", e).with_pid(self.pid.as_raw())),
        }
    }

    /// What the child reported before it ended: `(panicked, message)`.
    pub(crate) fn read_report(&mut self) -> Option<(bool, String)> {
        let mut bytes = Vec::new();
        // Non-blocking: a grandchild may still hold the write end, so read only what is there.
        let _ = self.report.read_to_end(&mut bytes);
        let (&first, rest) = bytes.split_first()?;
        Some((
            first == PANICKED,
            String::from_utf8_lossy(rest).into_owned(),
        ))
    }
}

/// A Linux pidfd: readable when the process ends, so a timed wait needs no polling.
struct PidFd(OwnedFd);

impl PidFd {
    fn open(pid: Pid) -> Option<PidFd> {
        // SAFETY: pidfd_open takes a pid and flags and returns a new fd or -1.
        let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid.as_raw(), 0) };
        if fd < 0 {
            return None;
        }
        // SAFETY: the kernel just gave us this fd; we are its only owner.
        Some(PidFd(unsafe {
            <OwnedFd as std::os::fd::FromRawFd>::from_raw_fd(fd as i32)
        }))
    }

    fn wait_readable(&self, timeout: Duration) {
        let mut pfd = libc::pollfd {
            fd: self.0.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = timeout.as_millis().clamp(1, i32::MAX as u128) as i32;
        // SAFETY: one valid pollfd for the duration of the call.
        unsafe { libc::poll(&mut pfd, 1, ms) };
    }
}
