//! Python's `os.getpid()`, `os.getppid()` and `multiprocessing.cpu_count()`. The bottom of the
//! crate: it imports no other module of it.

use std::sync::Once;
use std::sync::atomic::{AtomicI32, Ordering};

use nix::unistd::{getpid, getppid};

/// This process's pid, once asked (a `Queue` asks at every put): getpid is a system call. A
/// fork handler clears it in every child, whoever forks.
static PID: AtomicI32 = AtomicI32::new(0);

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

extern "C" fn forget_pid() {
    PID.store(0, Ordering::Relaxed);
}

/// The calling thread's kernel id: unique among the tasks alive on the machine, so it names a
/// thread of a process. Kept per thread, and asked again in a forked child, whose thread has
/// a new id (gettid is a system call).
pub(crate) fn thread_id() -> u32 {
    use std::cell::Cell;
    thread_local! {
        static CACHED: Cell<(i32, u32)> = const { Cell::new((0, 0)) };
    }
    let pid = current_pid();
    CACHED.with(|cell| {
        let (for_pid, tid) = cell.get();
        if for_pid == pid {
            return tid;
        }
        // SAFETY: gettid takes no arguments and cannot fail.
        let tid = unsafe { libc::gettid() } as u32;
        cell.set((pid, tid));
        tid
    })
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
