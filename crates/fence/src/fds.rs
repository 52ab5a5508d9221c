//! Descriptors a run must not inherit: whatever its invoker had open (a shell's `exec 7>>FILE`,
//! the grader's own files and pipes) would let the run read or write outside the fence, since
//! Landlock judges paths when they are opened, not descriptors already open.

use std::io;

/// `CLOSE_RANGE_CLOEXEC` (Linux 5.11), not in every libc crate.
const CLOSE_RANGE_CLOEXEC: libc::c_uint = 1 << 2;

/// Marks every descriptor above 2 close-on-exec, so that only stdin, stdout and stderr reach the
/// program: call it in a `pre_exec` hook. The descriptors stay open until the exec, for the hooks
/// that still need them (a fence's ruleset, a tracer's pipe). Async-signal-safe: raw syscalls
/// only, nothing allocated.
///
/// Errors: the errno of `fcntl` when a kernel without `close_range` cannot mark a descriptor.
pub fn inherit_only_stdio() -> io::Result<()> {
    // SAFETY: close_range with integer arguments; CLOEXEC only flags descriptors.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_close_range,
            3,
            libc::c_uint::MAX,
            CLOSE_RANGE_CLOEXEC,
        )
    };
    if rc == 0 {
        return Ok(());
    }
    // A kernel before 5.11: flag each descriptor below the limit (EBADF: not open).
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into a struct on the stack.
    let highest = if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0 {
        limit.rlim_cur.min(1 << 20) as libc::c_int
    } else {
        1 << 16
    };
    for fd in 3..highest {
        // SAFETY: fcntl on an integer descriptor; EBADF when it is not open.
        if unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) } == -1 {
            let e = io::Error::last_os_error();
            if e.raw_os_error() != Some(libc::EBADF) {
                return Err(e);
            }
        }
    }
    Ok(())
}
