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
    let pair = openpty(None, None).map_err(|e| RunError::os("cannot open a pseudo-terminal", e))?;
    for fd in [&pair.master, &pair.slave] {
        fcntl(fd.as_fd(), FcntlArg::F_SETFD(FdFlag::FD_CLOEXEC))
            .map_err(|e| RunError::os("cannot set up the pseudo-terminal", e))?;
    }
    let mut t = tcgetattr(pair.slave.as_fd())
        .map_err(|e| RunError::os("cannot read the pseudo-terminal's settings", e))?;
    t.output_flags.remove(OutputFlags::OPOST);
    tcsetattr(pair.slave.as_fd(), SetArg::TCSANOW, &t)
        .map_err(|e| RunError::os("cannot set the pseudo-terminal's settings", e))?;
    Ok(Pty {
        master: pair.master,
        slave: pair.slave,
    })
}
