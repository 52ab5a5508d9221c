//! A Linux pidfd: a file descriptor that becomes readable when its process ends, so a timed
//! wait for a child needs no polling (and refers to that very process, never to a later one
//! that reuses its pid).

use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::time::Duration;

#[derive(Debug)]
pub(crate) struct PidFd(OwnedFd);

impl PidFd {
    /// `None` on a kernel without pidfd_open (before 5.3) or when `pid` is gone. A pidfd is
    /// always close-on-exec (pidfd_open takes no such flag: it would be EINVAL).
    pub(crate) fn open(pid: i32) -> Option<PidFd> {
        Self::try_open(pid).ok()
    }

    fn try_open(pid: i32) -> Result<PidFd, nix::errno::Errno> {
        // SAFETY: pidfd_open takes a pid and flags and returns a new fd or -1.
        let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
        if fd < 0 {
            return Err(nix::errno::Errno::last());
        }
        // SAFETY: the kernel just gave us this fd; we are its only owner.
        Ok(PidFd(unsafe { OwnedFd::from_raw_fd(fd as i32) }))
    }

    /// Waits until the process has ended, at most `timeout` (forever when `None`): true when
    /// it has (false on timeout or an interrupted wait).
    pub(crate) fn wait_readable(&self, timeout: Option<Duration>) -> bool {
        let mut pfd = libc::pollfd {
            fd: self.0.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = match timeout {
            Some(t) => t.as_millis().clamp(1, i32::MAX as u128) as i32,
            None => -1,
        };
        // SAFETY: one valid pollfd for the duration of the call.
        unsafe { libc::poll(&mut pfd, 1, ms) > 0 }
    }
}

impl AsFd for PidFd {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.0.as_fd()
    }
}

/// Waits for `pid` to end, at most `timeout`: on its pidfd, or (without one) by looking every
/// couple of milliseconds whether `ended()` says so.
pub(crate) fn wait_for_end(pid: i32, timeout: Duration, mut ended: impl FnMut() -> bool) {
    let deadline = crate::deadline::after(timeout);
    let fd = PidFd::open(pid);
    while !ended() {
        if crate::deadline::passed(deadline) {
            return;
        }
        let left = crate::deadline::left(deadline);
        match &fd {
            Some(fd) => {
                fd.wait_readable(Some(left));
            }
            None => std::thread::sleep(left.min(Duration::from_millis(2))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PidFd;

    #[test]
    fn a_pidfd_opens_wherever_the_kernel_has_them() {
        // Only a kernel without pidfd_open may refuse (ENOSYS); a wrong call (EINVAL) must not
        // pass unnoticed, as waits would then poll instead.
        match PidFd::try_open(std::process::id() as i32) {
            Ok(_) | Err(nix::errno::Errno::ENOSYS) => {}
            Err(e) => panic!("pidfd_open: {e}"),
        }
    }
}
