//! A forked child seen from its parent, shared by `Process` and `Pool`: spawn one that runs a
//! body and leaves with `_exit`, wait for it (on its pidfd: no polling), signal it, read what it
//! reported. Reaping goes through the table of children (`children`), which also keeps how it
//! ended.

use std::cell::OnceCell;
use std::io::Write;
use std::os::fd::{AsFd, BorrowedFd};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::signal::{Signal, kill};
use nix::unistd::{ForkResult, Pid, getpid, getppid};

use crate::children::{self, Ended};
use crate::deadline;
use crate::error::{Error, Result};
use crate::fork::raw_fork;
use crate::os::{current_pid, thread_id};
use crate::pidfd::PidFd;
pub(crate) use crate::reports::Report;
use crate::reports::ReportSlot;

/// A forked child running a body, seen from the parent: its pid and the slot in which it
/// reports why it failed (a panic message or the target's error).
#[derive(Debug)]
pub(crate) struct Child {
    pub(crate) pid: Pid,
    report: ReportSlot,
    /// Readable once the child has ended (`None` on kernels without pidfd): opened when first
    /// asked for (a timed wait, a pool's poll, `sentinel`), not at every start.
    exit_fd: OnceCell<Option<PidFd>>,
    /// Who the child was told it is: kept, so that it is freed with this handle, once the child
    /// has usually ended, rather than right after the fork, while every page the parent writes
    /// (the allocator's among them) is copied.
    _identity: crate::current::ChildIdentity,
}

/// Forks a child that runs `body` and leaves with `_exit`: status 0 when the body returns
/// `None`, 1 with a report when it returns `Some(message)` or panics. The child dies with its
/// parent (SIGKILL on parent death, the race with an early parent exit closed). A `daemon` is
/// terminated when this process exits normally; any other child is waited for then.
pub(crate) fn spawn_child<F>(
    daemon: bool,
    identity: Option<crate::current::ChildIdentity>,
    body: F,
) -> Result<Child>
where
    F: FnOnce() -> Option<String>,
{
    // Python's `_cleanup` at every start (a pool's workers' too): children that ended, joined
    // or not, are reaped, so none is left a zombie.
    children::reap_finished();
    // Everything the parent needs is made before the fork: after it, every page the parent
    // writes while the child runs is copied.
    let (slot_id, report) = children::reserve_report()?;
    let parent = Pid::from_raw(current_pid());
    // The parent-death signal fires when the forking *thread* ends (prctl(2)): only the main
    // thread, which ends with the process, may arm it.
    let forked_by_main_thread = thread_id() as i32 == parent.as_raw();
    // A `Process` took its number when it was made, as Python's does; a pool's worker now.
    let identity = identity.unwrap_or_else(crate::current::next_child);
    let forked = match raw_fork() {
        Ok(forked) => forked,
        Err(e) => {
            children::unreserve(slot_id);
            return Err(e);
        }
    };
    match forked {
        ForkResult::Parent { child } => {
            children::register(child.as_raw(), daemon, slot_id);
            Ok(Child {
                pid: child,
                report,
                exit_fd: OnceCell::new(),
                _identity: identity,
            })
        }
        ForkResult::Child => {
            crate::current::enter_child(identity, parent.as_raw());
            die_with_parent(parent, forked_by_main_thread);
            run_child_body(body, report, parent)
        }
    }
}

/// The crate's fork handler in every child (see `fork::install_handlers`): the pid cache and the
/// parent's children are forgotten, the registry of queues released. Here, beside the rest of a
/// child's code, so that its page is mapped once for all of it.
pub(crate) extern "C" fn after_fork_in_child() {
    crate::os::forget_pid();
    children::forget_in_child();
    crate::holders::unlock_after_fork();
}

#[inline]
fn die_with_parent(parent: Pid, forked_by_main_thread: bool) {
    if !forked_by_main_thread && watch_parent(parent) {
        return;
    }
    let set = crate::os::set_parent_death_signal();
    // The parent may have died between fork and prctl: then nobody will send the signal.
    if !set || getppid() != parent {
        // SAFETY: _exit ends the process without running the parent's atexit handlers.
        unsafe { libc::_exit(1) };
    }
}

/// For a child forked by a thread other than the parent's main one: a thread of the child
/// that SIGKILLs it once the parent *process* has ended (its pidfd turns readable, or without
/// pidfds its parent pid changes). False when no such thread could be started.
fn watch_parent(parent: Pid) -> bool {
    let parent_fd = PidFd::open(parent.as_raw());
    // Opened after the parent died (and its pid may be another process's by now): leave.
    if getppid() != parent {
        // SAFETY: as in die_with_parent.
        unsafe { libc::_exit(1) };
    }
    let watcher = std::thread::Builder::new()
        .name("parent-watch".into())
        .stack_size(64 << 10)
        .spawn(move || {
            match parent_fd {
                Some(fd) => while !fd.wait_readable(None) {},
                None => {
                    while getppid() == parent {
                        std::thread::sleep(Duration::from_millis(100));
                    }
                }
            }
            let _ = kill(getpid(), Signal::SIGKILL);
        });
    watcher.is_ok()
}

fn run_child_body<F>(body: F, report: ReportSlot, parent: Pid) -> !
where
    F: FnOnce() -> Option<String>,
{
    let outcome = catch_unwind(AssertUnwindSafe(body));
    // A process the body forked with `fork` that came back here is not this child (its parent
    // is): the slot is not its to write. Asked only on the way to a report.
    let mine = || getppid() == parent;
    let code = match outcome {
        Ok(None) => 0,
        Ok(Some(message)) => {
            eprintln!("Process {}: {message}", current_pid());
            if mine() {
                report.write(false, &message);
            }
            1
        }
        Err(payload) => {
            if mine() {
                report.write(true, &panic_message(payload.as_ref()));
            }
            1
        }
    };
    // As Python's child does on its way out: terminate its daemons, join its other children.
    if children::any_unreaped() {
        children::join_at_exit();
    }
    // Nothing to do about a failed flush of our own stdout but to leave. (Stderr has no
    // buffer to flush: each write goes straight out.)
    let _ = crate::fork::stdout().flush();
    // SAFETY: leaving without unwinding into the parent's frames, which this copy must not run.
    unsafe { libc::_exit(code) }
}

/// The text of a panic's payload (`panic!` gives a `&str` or a `String`).
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
        children::try_reap(self.pid.as_raw())
    }

    /// Waits for the child to end, at most `timeout` (forever when `None` or too long for
    /// the clock).
    pub(crate) fn wait(&self, timeout: Option<Duration>) -> Result<Option<Ended>> {
        self.wait_until(timeout.and_then(deadline::after))
    }

    /// Waits for the child to end, until `deadline` (forever when `None`).
    pub(crate) fn wait_until(&self, deadline: Option<Instant>) -> Result<Option<Ended>> {
        if deadline.is_none() {
            return children::wait_for(self.pid.as_raw()).map(Some);
        }
        loop {
            if let Some(ended) = self.try_wait()? {
                return Ok(Some(ended));
            }
            if deadline::passed(deadline) {
                return Ok(None);
            }
            let left = deadline::left(deadline);
            match self.pidfd() {
                Some(fd) => {
                    fd.wait_readable(Some(left));
                }
                // Kernels without pidfd: poll the status at a short interval.
                None => std::thread::sleep(left.min(Duration::from_millis(2))),
            }
        }
    }

    /// The child's pidfd, opened at the first ask.
    fn pidfd(&self) -> Option<&PidFd> {
        self.exit_fd
            .get_or_init(|| {
                // A child reaped already may have left its pid to another process.
                if children::known_end(self.pid.as_raw()).is_some() {
                    return None;
                }
                let fd = PidFd::open(self.pid.as_raw())?;
                // The pid was this child's when opened if the child is still running, or a
                // zombie of ours now (reaped here with its status); not when the kernel reaped
                // it (SIGCHLD ignored: its status is lost, and its pid free for another).
                match children::try_reap(self.pid.as_raw()) {
                    Ok(None | Some(Ended::Exited(_) | Ended::Signaled(_))) => Some(fd),
                    _ => None,
                }
            })
            .as_ref()
    }

    /// The child's pidfd, readable once it has ended; `None` once it was reaped (then there
    /// is nothing to wait for) or on kernels without pidfd.
    pub(crate) fn exit_fd(&self) -> Option<BorrowedFd<'_>> {
        self.pidfd().map(|fd| fd.as_fd())
    }

    /// Sends `signal` to the child; a child that already ended is not an error.
    pub(crate) fn signal(&self, signal: Signal) -> Result<()> {
        match kill(self.pid, signal) {
            Ok(()) | Err(Errno::ESRCH) => Ok(()),
            Err(e) => Err(Error::os("kill", e).with_pid(self.pid.as_raw())),
        }
    }

    /// What the child reported before it ended (`how`), if anything: a child that exited 0
    /// reported nothing.
    pub(crate) fn read_report(&self, how: Ended) -> Option<Report> {
        if how == Ended::Exited(0) {
            return None;
        }
        self.report.read()
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        // Reaped now if it has ended, or by the next reap of the table after it does.
        children::disown(self.pid.as_raw());
    }
}
