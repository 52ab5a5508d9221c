//! `Process`: Python's `multiprocessing.Process`, a target run in a forked child. Its name,
//! `kill` and `sentinel` are in `python`.

mod python;

use std::cell::{OnceCell, RefCell};
use std::fmt;
use std::time::Duration;

use nix::sys::signal::Signal;

use crate::child::{Child, Report, spawn_child};
use crate::children::{self, Ended};
use crate::current::{ChildIdentity, ChildNumber};
use crate::error::{Error, ErrorKind, Result};

/// What a process target may return: nothing, or a `Result` whose error fails the child.
///
/// ```
/// use multitask::TargetOutput;
/// assert_eq!(().failure(), None);
/// assert_eq!(Err::<(), _>("no").failure(), Some("no".to_string()));
/// ```
pub trait TargetOutput {
    /// `None` for success, or the failure's message.
    fn failure(self) -> Option<String>;
}

impl TargetOutput for () {
    fn failure(self) -> Option<String> {
        None
    }
}

impl<E: fmt::Display> TargetOutput for std::result::Result<(), E> {
    fn failure(self) -> Option<String> {
        self.err().map(|e| e.to_string())
    }
}

type Target<'a> = Box<dyn FnOnce() -> Option<String> + 'a>;

enum State {
    New,
    Running(Child),
    Ended {
        pid: i32,
        how: Ended,
        report: Option<Report>,
    },
}

/// A child process running `target`, like `multiprocessing.Process(target=..., args=...)`.
///
/// The child is a fork of this process, so the target may borrow from the caller's stack (a
/// `Queue`, say): it runs in the child's own copy. Arguments need no pickling for the same
/// reason. A panic in the child becomes an error from [`join`](Process::join).
///
/// ```
/// use multitask::Process;
/// let name = String::from("test");
/// let mut p = Process::new(|| println!("Run child process {name}..."));
/// p.start()?;
/// p.join()?;
/// assert_eq!(p.exitcode(), Some(0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Process<'a> {
    target: Option<Target<'a>>,
    state: RefCell<State>,
    terminated: bool,
    daemon: bool,
    /// Who the child will be (its number, its name), taken when it was made, as Python's;
    /// handed to the child at `start`.
    identity: Option<ChildIdentity>,
    /// Its number, kept for its name after `start`.
    number: ChildNumber,
    /// Its name, made when first asked for (or given by `set_name`).
    name: OnceCell<String>,
}

impl fmt::Debug for Process<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Process")
            .field("name", &self.name())
            .field("pid", &self.pid())
            .field("exitcode", &self.exitcode())
            .finish()
    }
}

/// How long `terminate` lets SIGTERM work before it sends SIGKILL.
const TERMINATE_GRACE: Duration = Duration::from_secs(1);

impl<'a> Process<'a> {
    /// A process that will run `target` once started.
    ///
    /// ```
    /// let p = multitask::Process::new(|| ());
    /// assert_eq!(p.pid(), None);
    /// ```
    pub fn new<F, T>(target: F) -> Self
    where
        F: FnOnce() -> T + 'a,
        T: TargetOutput,
    {
        let identity = crate::current::next_child();
        Process {
            target: Some(Box::new(move || target().failure())),
            state: RefCell::new(State::New),
            terminated: false,
            daemon: false,
            number: identity.number(),
            name: OnceCell::new(),
            identity: Some(identity),
        }
    }

    /// Python's `p.daemon = True`: a daemon is terminated when this process exits normally,
    /// where any other child is waited for (a child not joined by the end of `main` still
    /// finishes its work). Set it before `start`.
    ///
    /// ```
    /// let mut p = multitask::Process::new(|| ());
    /// p.set_daemon(true)?;
    /// assert!(p.daemon());
    /// p.start()?;
    /// assert!(p.set_daemon(false).is_err()); // too late, as in Python
    /// p.join()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_daemon(&mut self, daemonic: bool) -> Result<()> {
        if self.target.is_none() {
            return Err(Error::new(
                ErrorKind::State,
                "daemon can only be set before start()",
            ));
        }
        self.daemon = daemonic;
        Ok(())
    }

    /// Python's `p.daemon`: whether the process is a daemon (false unless set).
    ///
    /// ```
    /// assert!(!multitask::Process::new(|| ()).daemon());
    /// ```
    pub fn daemon(&self) -> bool {
        self.daemon
    }

    /// Forks the child, which runs the target and exits (status 0, or 1 on error or panic).
    /// Like Python's, it first reaps every child of this process that has ended, joined or not
    /// (see [`active_children`](crate::active_children)).
    ///
    /// ```
    /// let mut p = multitask::Process::new(|| ());
    /// p.start()?;
    /// assert!(p.start().is_err()); // once only, as in Python
    /// p.join()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn start(&mut self) -> Result<()> {
        let target = self
            .target
            .take()
            .ok_or_else(|| Error::new(ErrorKind::State, "process already started"))?;
        let child = spawn_child(self.daemon, self.identity.take(), target)?;
        *self.state.borrow_mut() = State::Running(child);
        Ok(())
    }

    /// The child's pid once started.
    ///
    /// ```
    /// let mut p = multitask::Process::new(|| ());
    /// p.start()?;
    /// assert_ne!(p.pid(), Some(multitask::current_pid()));
    /// p.join()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn pid(&self) -> Option<i32> {
        match &*self.state.borrow() {
            State::New => None,
            State::Running(child) => Some(child.pid.as_raw()),
            State::Ended { pid, .. } => Some(*pid),
        }
    }

    /// Waits for the child to end and reaps it. `Ok` when it exited 0 or was terminated by us;
    /// otherwise an error with the child's panic message, its error, or the signal that killed it.
    /// With `SIGCHLD` ignored the exit status is lost: `Ok` unless the child reported a panic or
    /// an error, as CPython's `join` returns normally then.
    ///
    /// ```
    /// let mut p = multitask::Process::new(|| Err::<(), _>("no input"));
    /// p.start()?;
    /// let err = p.join().unwrap_err();
    /// assert_eq!(err.kind(), multitask::ErrorKind::ChildFailed);
    /// assert_eq!(p.exitcode(), Some(1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn join(&self) -> Result<()> {
        self.wait(None)?;
        self.outcome()
    }

    /// Like [`join`](Process::join) but gives up after `timeout` with a `Timeout` error; the
    /// child keeps running and `join` may be called again.
    ///
    /// ```
    /// use std::time::Duration;
    /// let mut p = multitask::Process::new(|| std::thread::sleep(Duration::from_millis(300)));
    /// p.start()?;
    /// let err = p.join_timeout(Duration::from_millis(10)).unwrap_err();
    /// assert_eq!(err.kind(), multitask::ErrorKind::Timeout);
    /// p.join_timeout(Duration::from_secs(10))?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn join_timeout(&self, timeout: Duration) -> Result<()> {
        if !self.wait(Some(timeout))? {
            let pid = self.pid().unwrap_or(0);
            return Err(Error::new(
                ErrorKind::Timeout,
                format!("still running after {timeout:?}"),
            )
            .with_pid(pid));
        }
        self.outcome()
    }

    /// True while the child runs (reaps it if it has ended).
    ///
    /// ```
    /// let mut p = multitask::Process::new(|| ());
    /// assert!(!p.is_alive());
    /// p.start()?;
    /// p.join()?;
    /// assert!(!p.is_alive());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_alive(&self) -> bool {
        matches!(self.poll(), Ok(true))
    }

    /// Python's `exitcode`: `None` while running or before start, the exit status once ended,
    /// or minus the signal number when a signal ended it (`-15` after `terminate`). Also `None`
    /// when this process ignores `SIGCHLD`: the kernel then reaps children itself and their
    /// status is lost; CPython's `exitcode` stays `None` too (and its `is_alive()` stays true,
    /// where this one sees the child has ended).
    ///
    /// ```
    /// fn boom() { panic!("boom") }
    /// let mut p = multitask::Process::new(boom);
    /// p.start()?;
    /// let _ = p.join();
    /// assert_eq!(p.exitcode(), Some(1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn exitcode(&self) -> Option<i32> {
        let _ = self.poll();
        match &*self.state.borrow() {
            State::Ended { how, .. } => how.exitcode(),
            _ => None,
        }
    }

    /// Stops the child with SIGTERM (SIGKILL if it is still alive a second later) and reaps it,
    /// so no zombie is left.
    ///
    /// ```
    /// fn forever() { loop { std::thread::park() } }
    /// let mut p = multitask::Process::new(forever);
    /// p.start()?;
    /// p.terminate()?;
    /// assert_eq!(p.exitcode(), Some(-15));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn terminate(&mut self) -> Result<()> {
        let running = match &*self.state.borrow() {
            State::Running(child) => {
                child.signal(Signal::SIGTERM)?;
                true
            }
            _ => false,
        };
        if running {
            self.terminated = true;
            if !self.wait(Some(TERMINATE_GRACE))? {
                if let State::Running(child) = &*self.state.borrow() {
                    child.signal(Signal::SIGKILL)?;
                }
                self.wait(None)?;
            }
        }
        Ok(())
    }

    /// True while running; moves to `Ended` when the child has been reaped.
    fn poll(&self) -> Result<bool> {
        let ended = match &*self.state.borrow() {
            State::Running(child) => child.try_wait()?,
            _ => return Ok(false),
        };
        match ended {
            Some(how) => {
                self.finish(how);
                Ok(false)
            }
            None => Ok(true),
        }
    }

    /// Waits for the end; false on timeout.
    fn wait(&self, timeout: Option<Duration>) -> Result<bool> {
        let ended = match &*self.state.borrow() {
            State::New => return Err(Error::new(ErrorKind::State, "process not started")),
            State::Ended { .. } => return Ok(true),
            State::Running(child) => child.wait(timeout)?,
        };
        match ended {
            Some(how) => {
                self.finish(how);
                // Children dropped unjoined that ended meanwhile are reaped here too.
                children::reap_finished();
                Ok(true)
            }
            None => Ok(false),
        }
    }

    fn finish(&self, how: Ended) {
        let mut state = self.state.borrow_mut();
        if let State::Running(child) = &mut *state {
            let pid = child.pid.as_raw();
            let report = child.read_report(how);
            *state = State::Ended { pid, how, report };
        }
    }

    fn outcome(&self) -> Result<()> {
        match &*self.state.borrow() {
            State::Ended { pid, how, report } => {
                let (kind, message) = match (how, report) {
                    (Ended::Exited(0), _) => return Ok(()),
                    // The kernel reaped it (SIGCHLD ignored): Python's join returns normally.
                    (Ended::Unknown, None) => return Ok(()),
                    (Ended::Signaled(_), _) if self.terminated => return Ok(()),
                    (_, Some(report)) if report.panicked => {
                        (ErrorKind::ChildPanicked, report.message.clone())
                    }
                    (_, Some(report)) => (ErrorKind::ChildFailed, report.message.clone()),
                    (Ended::Exited(_), None) => (ErrorKind::ChildFailed, how.to_string()),
                    (Ended::Signaled(_), None) => (ErrorKind::ChildKilled, how.to_string()),
                };
                Err(Error::new(kind, message).with_pid(*pid))
            }
            _ => Err(Error::new(ErrorKind::State, "process has not ended")),
        }
    }
}
