//! Thin wrappers of the system calls the runner makes that neither std nor nix wraps.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use nix::errno::Errno;
use nix::sys::signal::killpg;
use nix::unistd::Pid;

use super::config::RunError;

/// Makes this process the adopter of its descendants' orphans (`PR_SET_CHILD_SUBREAPER`).
///
/// Idempotent; `run_once` calls it itself. Errors: [`RunErrorKind::Os`](super::RunErrorKind)
/// with the errno as the cause.
pub(crate) fn become_subreaper() -> Result<(), RunError> {
    static DONE: AtomicBool = AtomicBool::new(false);
    if DONE.load(Ordering::Acquire) {
        return Ok(());
    }
    let one: libc::c_ulong = 1;
    // SAFETY: PR_SET_CHILD_SUBREAPER takes a plain integer and touches no memory of ours.
    let rc = unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, one, 0, 0, 0) };
    if rc == -1 {
        return Err(RunError::os("os-subreaper", io::Error::last_os_error()));
    }
    DONE.store(true, Ordering::Release);
    Ok(())
}

/// True when no process is in process group `pgid` (signal 0 only checks).
pub(super) fn group_is_empty(pgid: i32) -> bool {
    killpg(Pid::from_raw(pgid), None) == Err(Errno::ESRCH)
}

/// `pidfd_open(2)`: a file descriptor that names process `pid` until it is closed.
pub(super) fn pidfd_open(pid: i32) -> Result<OwnedFd, Errno> {
    // SAFETY: pidfd_open takes two integers and returns a new fd (close-on-exec) or -1.
    let rc = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    if rc < 0 {
        return Err(Errno::last());
    }
    // SAFETY: the kernel just returned this fd to us and nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(rc as RawFd) })
}

/// `pidfd_send_signal(2)`: signal `sig` to the process `fd` names.
pub(super) fn pidfd_send_signal(fd: &OwnedFd, sig: libc::c_int) -> Result<(), Errno> {
    // SAFETY: a valid pidfd, a signal number, a null siginfo (allowed) and flags 0.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_pidfd_send_signal,
            fd.as_raw_fd(),
            sig,
            std::ptr::null::<libc::siginfo_t>(),
            0,
        )
    };
    if rc < 0 {
        return Err(Errno::last());
    }
    Ok(())
}

/// Waits for any of `fds` to be ready or `wait` to pass; EINTR is a normal early return.
pub(super) fn ppoll(fds: &mut [libc::pollfd], wait: Duration) -> Result<(), Errno> {
    let ts = libc::timespec {
        tv_sec: wait.as_secs().min(i64::MAX as u64) as libc::time_t,
        tv_nsec: wait.subsec_nanos() as libc::c_long,
    };
    // SAFETY: `fds` is a valid slice of pollfd for its length, `ts` lives across the call and the
    // signal mask pointer may be null.
    let rc = unsafe {
        libc::ppoll(
            fds.as_mut_ptr(),
            fds.len() as libc::nfds_t,
            &ts,
            std::ptr::null(),
        )
    };
    if rc < 0 {
        let e = Errno::last();
        if e != Errno::EINTR {
            return Err(e);
        }
    }
    Ok(())
}
