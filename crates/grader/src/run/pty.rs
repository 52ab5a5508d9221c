//! The port's stdout as a pseudo-terminal, as a student sees it at a terminal: the program then
//! flushes its output line by line (Python, C stdio). Output processing is off, so a line ends
//! as written (no `\n` -> `\r\n`).

use std::os::fd::{AsFd, OwnedFd};

use nix::fcntl::{FcntlArg, FdFlag, fcntl};
use nix::pty::openpty;
use nix::sys::termios::{OutputFlags, SetArg, tcgetattr, tcsetattr};

use super::config::RunError;

/// A pseudo-terminal pair: the master we read, the slave that becomes the port's stdout.
pub(super) struct Pty {
    pub(super) master: OwnedFd,
    pub(super) slave: OwnedFd,
}

/// Opens a pseudo-terminal with output processing off, both ends close-on-exec (the slave
/// reaches the port through dup2, which clears the flag on fd 1).
pub(super) fn open() -> Result<Pty, RunError> {
    let (master, slave) = open_pair().map_err(|(what, e)| RunError::os(what, e))?;
    Ok(Pty { master, slave })
}

/// As [`open`], for every caller that runs a port at a terminal (a graded run, `grade trace`):
/// (master, slave), or what failed (a catalogue message's id) and the errno.
pub(crate) fn open_pair() -> Result<(OwnedFd, OwnedFd), (&'static str, nix::Error)> {
    let pair = openpty(None, None).map_err(|e| ("os-open-pty", e))?;
    for fd in [&pair.master, &pair.slave] {
        fcntl(fd.as_fd(), FcntlArg::F_SETFD(FdFlag::FD_CLOEXEC))
            .map_err(|e| ("os-setup-pty", e))?;
    }
    let mut t = tcgetattr(pair.slave.as_fd()).map_err(|e| ("os-read-pty", e))?;
    t.output_flags.remove(OutputFlags::OPOST);
    tcsetattr(pair.slave.as_fd(), SetArg::TCSANOW, &t).map_err(|e| ("os-set-pty", e))?;
    Ok((pair.master, pair.slave))
}
