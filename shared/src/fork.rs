//! Python's `os.fork()`, and the one fork of the crate that `Process`, `Pool` and it share:
//! flush, hold the locks a child needs, fork, reseed the child, register it with every queue.

use std::io::Write;
use std::sync::{Once, OnceLock};

use nix::unistd::{ForkResult, getppid};

use crate::error::{Error, Result};
use crate::os::current_pid;
use crate::{children, holders, knobs};

/// Python's `os.fork()`: returns twice, 0 in the child and the child's pid in the parent.
///
/// Stdout is flushed first so a pending line is not written twice, and the child reseeds
/// `multitask::random`. As in Python, nothing waits for the child: the caller reaps it (or
/// lets it be adopted when it exits first).
///
/// # Why calling it is sound
///
/// A fork copies the whole memory but only the calling thread. Rust lets another thread touch
/// shared data only under a lock or through atomics, so in the child such data is either
/// consistent or behind a lock that nobody will ever release: the worst a forgotten thread can
/// leave the child is a hang at that lock, never undefined behaviour. This function removes
/// the hangs it can:
///
/// - stdout and stderr are locked (and stdout flushed) across the fork, so no other thread is
///   inside them when the child is made, and the child, the same thread as far as those locks
///   know, releases them (in a process that never started another thread, where none can be
///   inside them, stdout is only flushed);
/// - this crate's registry of queues is held across every fork by `pthread_atfork` handlers;
/// - every one-time initialisation a child may need (the knobs, the pid cache, the fork
///   handlers, lazily bound libc functions) is completed before the first fork, since one
///   still running in another thread would never complete in the child;
/// - glibc's `malloc` takes its own locks across `fork`.
///
/// What it cannot remove: a lock of the caller's own, or of another library, held by another
/// thread at the moment of the fork stays locked in the child. So fork while no other thread
/// runs, as Python's `os.fork` asks too.
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

/// This process's stdout, looked up once: a child flushes it on its way out through this
/// handle, without the lookup's code (a forked child maps anew each page of code it runs).
pub(crate) fn stdout() -> &'static std::io::Stdout {
    static STDOUT: OnceLock<std::io::Stdout> = OnceLock::new();
    STDOUT.get_or_init(std::io::stdout)
}

/// The crate's fork, with the safeguards `fork` documents.
pub(crate) fn raw_fork() -> Result<ForkResult> {
    prepare_for_children();
    crate::current::settle_before_fork();
    let ordinal = children::next_fork_ordinal();
    let forked = if crate::os::never_threaded() {
        // No other thread can hold stdout or stderr: flushed (a pending line would be written
        // twice) and left unlocked, so that the parent writes none of their pages while the
        // child runs (each such page is copied).
        let _ = stdout().flush();
        // SAFETY: as below; no other thread exists.
        unsafe { nix::unistd::fork() }
    } else {
        // Locked, and flushed: see `fork`'s docs. (Stderr has no buffer: only its lock.)
        let mut out = stdout().lock();
        let err = std::io::stderr().lock();
        let _ = out.flush();
        // SAFETY: see "Why calling it is sound" on `fork`: the child is a single thread whose
        // shared state is consistent or locked, and the locks this crate relies on are held
        // across.
        let forked = unsafe { nix::unistd::fork() };
        drop(err);
        drop(out);
        forked
    };
    let forked = forked.map_err(|e| Error::os("fork", e))?;
    match forked {
        ForkResult::Child => knobs::reseed_after_fork(ordinal),
        ForkResult::Parent { child } => holders::adopt_child(child.as_raw()),
    }
    Ok(forked)
}

/// Registers the crate's fork handlers, once: the table of children and the registry of queues
/// are held across every fork (whoever forks, through this crate or not), and in the child the
/// pid cache and the parent's children are forgotten. One set for all, so that a child runs
/// one handler, next to the rest of a child's code (`child::after_fork_in_child`): a forked
/// child maps anew each page of code it runs.
pub(crate) fn install_handlers() {
    static HANDLERS: Once = Once::new();
    HANDLERS.call_once(|| {
        // SAFETY: the handlers spin on and store to atomics, and the child's also stores to the
        // table of children (lengths and bitmaps, no allocator): all a forked child of a
        // threaded process may do.
        unsafe {
            libc::pthread_atfork(
                Some(before_fork),
                Some(after_fork_in_parent),
                Some(crate::child::after_fork_in_child),
            )
        };
    });
}

extern "C" fn before_fork() {
    holders::lock_for_fork();
    children::lock_for_fork();
}

extern "C" fn after_fork_in_parent() {
    children::unlock_after_fork();
    holders::unlock_after_fork();
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
        crate::os::bind_single_threaded();
        let _ = stdout();
        children::install_handlers();
        // Also primes what a liveness check reads once (procfs caches the kernel version).
        holders::is_alive(current_pid());
        let mut signal: libc::c_int = 0;
        // SAFETY: PR_GET_PDEATHSIG writes one c_int through the pointer.
        unsafe { libc::prctl(libc::PR_GET_PDEATHSIG, &mut signal as *mut libc::c_int) };
        let _ = getppid();
    });
}
