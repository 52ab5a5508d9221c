//! Python's `os.getpid()`, `os.getppid()` and `multiprocessing.cpu_count()`. The bottom of the
//! crate: it imports no other module of it but `fork`, for the one set of fork handlers, which
//! clear the pid cache in every child.

use std::sync::atomic::{AtomicI32, AtomicPtr, Ordering};

use nix::unistd::{getpid, getppid};

/// This process's pid, once asked (a `Queue` asks at every put): getpid is a system call. A
/// fork handler clears it in every child, whoever forks.
///
/// Not known is -1, not 0: a static that starts nonzero lands in `.data`, beside the crate's
/// other state a forked child writes (the table of children), rather than in `.bss` on a page
/// of its own: each page a child writes is one more page copied at every start.
static PID: AtomicI32 = AtomicI32::new(PID_UNKNOWN);
const PID_UNKNOWN: i32 = -1;

/// This process's id: Python's `os.getpid()`.
///
/// ```
/// assert_eq!(multitask::current_pid(), std::process::id() as i32);
/// ```
pub fn current_pid() -> i32 {
    let cached = PID.load(Ordering::Relaxed);
    if cached > 0 {
        return cached;
    }
    // Before the first pid is cached: a fork's child must forget it, whoever forks.
    crate::fork::install_handlers();
    let pid = getpid().as_raw();
    PID.store(pid, Ordering::Relaxed);
    pid
}

/// In a forked child (the fork handler's work): the cached pid is the parent's. Only stores to
/// an atomic, which is async-signal-safe as a forked child's first code must be.
#[inline]
pub(crate) fn forget_pid() {
    PID.store(PID_UNKNOWN, Ordering::Relaxed);
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

/// glibc's `char __libc_single_threaded` (glibc 2.32 and later): nonzero while this process
/// has never started a second thread. Looked up by name once (`bind_single_threaded`) rather
/// than linked, so that no glibc version is required; null when there is none.
static SINGLE_THREADED: AtomicPtr<libc::c_char> = AtomicPtr::new(std::ptr::null_mut());

/// Looks `__libc_single_threaded` up, once, before the first fork.
pub(crate) fn bind_single_threaded() {
    // SAFETY: dlsym with RTLD_DEFAULT (a null handle on glibc) and a NUL-terminated name only
    // looks the symbol up.
    let flag = unsafe { libc::dlsym(std::ptr::null_mut(), c"__libc_single_threaded".as_ptr()) };
    SINGLE_THREADED.store(flag.cast(), Ordering::Relaxed);
}

/// True when this process has never started a second thread; false when it has, or when that
/// cannot be told (no glibc, or `bind_single_threaded` not called yet).
pub(crate) fn never_threaded() -> bool {
    let flag = SINGLE_THREADED.load(Ordering::Relaxed);
    // SAFETY: a non-null `flag` is glibc's global, which lives as long as the process. glibc
    // clears it in the thread that creates the first other thread, before creating it: a
    // thread that reads it nonzero is the only one there is, and nobody writes it meanwhile.
    !flag.is_null() && unsafe { flag.read_volatile() } != 0
}

/// `prctl(PR_SET_PDEATHSIG, SIGKILL)`: this process is sent SIGKILL when the thread that forked
/// it ends. True when the kernel took it.
///
/// A child just forked calls it, and on x86_64 it is the bare system call: a forked child maps
/// anew each page of code it runs (a fork copies no mapping of code), and glibc's `prctl` sits
/// on a page of libc that nothing else a child runs touches, so its wrapper cost a page fault
/// (with the pages around it) at every start, more than the system call itself. Elsewhere,
/// glibc's wrapper.
#[inline]
pub(crate) fn set_parent_death_signal() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        let ret: i64;
        // SAFETY: prctl(PR_SET_PDEATHSIG, SIGKILL) reads two integers and no memory (the
        // other arguments are zero); the `syscall` instruction returns in rax and clobbers rcx
        // and r11, as declared, and touches no stack.
        unsafe {
            std::arch::asm!(
                "syscall",
                inlateout("rax") libc::SYS_prctl => ret,
                in("rdi") libc::PR_SET_PDEATHSIG,
                in("rsi") libc::SIGKILL,
                in("rdx") 0,
                in("r10") 0,
                in("r8") 0,
                lateout("rcx") _,
                lateout("r11") _,
                options(nostack),
            );
        }
        ret == 0
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        // SAFETY: prctl with PR_SET_PDEATHSIG takes a signal number and no pointers.
        unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == 0 }
    }
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
