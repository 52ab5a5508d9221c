//! The rest of Python's `multiprocessing.Process`: `name` (with Python's default
//! "Process-N", "Process-1:N" in a child; what the child's `current_process()` says), `kill`,
//! `sentinel`.

use std::cell::OnceCell;
use std::os::fd::{AsRawFd, RawFd};

use nix::sys::signal::Signal;

use super::{Process, State};
use crate::error::{Error, ErrorKind, Result};

impl Process<'_> {
    /// Python's `name`: "Process-N" by default, N counting the processes made here (in a
    /// child, "Process-1:N" and so on, as Python's), or what [`set_name`](Process::set_name)
    /// gave. Only a label: the child's command line keeps its program's name.
    ///
    /// ```
    /// let p = multitask::Process::new(|| ());
    /// assert!(p.name().starts_with("Process-"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn name(&self) -> &str {
        self.name.get_or_init(|| self.number.name())
    }

    /// Python's `p.name = "..."` (or `Process(name=...)`); set before `start`, it is also
    /// the child's [`current_process`](crate::current_process) name.
    ///
    /// ```
    /// let mut p = multitask::Process::new(|| {
    ///     assert_eq!(multitask::current_process().name(), "worker")
    /// });
    /// p.set_name("worker");
    /// assert_eq!(p.name(), "worker");
    /// p.start()?;
    /// p.join()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_name(&mut self, name: impl Into<String>) {
        let name = name.into();
        if let Some(identity) = &mut self.identity {
            identity.set_name(name.clone());
        }
        self.name = OnceCell::from(name);
    }

    /// Python's `kill()`: SIGKILL, which no child can ignore; then the child is reaped (its
    /// `exitcode` is -9) and `join` returns `Ok`, as after [`terminate`](Process::terminate).
    ///
    /// ```
    /// fn deaf() {
    ///     unsafe { libc::signal(libc::SIGTERM, libc::SIG_IGN) };
    ///     loop { std::thread::park() }
    /// }
    /// let mut p = multitask::Process::new(deaf);
    /// p.start()?;
    /// p.kill()?;
    /// assert_eq!(p.exitcode(), Some(-9));
    /// p.join()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn kill(&mut self) -> Result<()> {
        let running = match &*self.state.borrow() {
            State::Running(child) => {
                child.signal(Signal::SIGKILL)?;
                true
            }
            _ => false,
        };
        if running {
            self.terminated = true;
            self.wait(None)?;
        }
        Ok(())
    }

    /// Python's `sentinel`: a file descriptor that turns readable when the child ends (its
    /// pidfd), to `poll` together with others. Opened at the first ask, and closed when the
    /// child is reaped (by a join, or an `is_alive` or `exitcode` that finds it ended; Python's
    /// stays open until `close()`): poll it, then join. A `State` error before `start`, once
    /// the child was reaped, or on a kernel without pidfds (before 5.3).
    ///
    /// ```
    /// let mut p = multitask::Process::new(|| ());
    /// p.start()?;
    /// let mut fd = libc::pollfd { fd: p.sentinel()?, events: libc::POLLIN, revents: 0 };
    /// // SAFETY: one valid pollfd.
    /// while unsafe { libc::poll(&mut fd, 1, -1) } != 1 {}
    /// p.join()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sentinel(&self) -> Result<RawFd> {
        match &*self.state.borrow() {
            State::Running(child) => child.exit_fd().map(|fd| fd.as_raw_fd()).ok_or_else(|| {
                Error::new(
                    ErrorKind::State,
                    "the process was reaped before its sentinel was asked for, or this kernel \
                     has no pidfd",
                )
            }),
            State::New => Err(Error::new(ErrorKind::State, "process not started")),
            State::Ended { .. } => Err(Error::new(
                ErrorKind::State,
                "the process has ended and was reaped",
            )),
        }
    }
}
