//! Python's `multiprocessing.current_process()` and `parent_process()`: this process's name
//! and pid, and its parent's, as the children this crate starts inherit them.

use crate::os::current_pid;
use crate::spin::SpinLock;

/// A process seen by name and pid: what Python's `current_process()` and `parent_process()`
/// return (a `BaseProcess`), reduced to what they tell about a process that is not ours to
/// start or join.
///
/// ```
/// let me = multitask::current_process();
/// assert_eq!(me.name(), "MainProcess");
/// assert_eq!(me.pid(), multitask::current_pid());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessInfo {
    name: String,
    pid: i32,
}

impl ProcessInfo {
    /// Python's `.name`: `"MainProcess"` for the first process; in a child, its `Process`'s
    /// [`name`](crate::Process::name) (by default `"Process-N"` for the Nth process made, and
    /// `"Process-N:M"` for the Mth made by that one, as Python names them).
    ///
    /// ```
    /// use multitask::{Process, current_process};
    /// let mut p = Process::new(|| assert_eq!(current_process().name(), "Process-1"));
    /// p.start()?;
    /// p.join()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Python's `.pid`.
    ///
    /// ```
    /// assert!(multitask::current_process().pid() > 0);
    /// ```
    pub fn pid(&self) -> i32 {
        self.pid
    }

    /// Python's `.ident`: the same as `pid`.
    ///
    /// ```
    /// let me = multitask::current_process();
    /// assert_eq!(me.ident(), me.pid());
    /// ```
    pub fn ident(&self) -> i32 {
        self.pid
    }
}

/// Who this process is, as its maker told it at the fork: Python's `_identity`, `name`,
/// `_parent_name` and `_parent_pid`, and its `_counter` of processes made.
struct Identity {
    /// "" for the first process, "2" for the second `Process` it made, "2:1" for the first
    /// that one made.
    ident: String,
    /// The name; empty for the first process ("MainProcess").
    name: String,
    parent: Option<ProcessInfo>,
    /// Processes made here so far (`Process::new`, pool workers).
    made: u64,
}

static IDENTITY: SpinLock<Identity> = SpinLock::new(Identity {
    ident: String::new(),
    name: String::new(),
    parent: None,
    made: 0,
});

fn name_of(id: &Identity) -> String {
    if id.name.is_empty() {
        "MainProcess".to_string()
    } else {
        id.name.clone()
    }
}

/// Python's `multiprocessing.current_process()`: this process's name and pid.
///
/// In a child started by [`Process`](crate::Process) the name is its `Process`'s, and a
/// [`Pool`](crate::Pool)'s worker is `ForkPoolWorker-N`, as in Python; a child of
/// [`fork`](crate::fork) keeps its parent's name with its own pid, as after Python's
/// `os.fork()`.
///
/// ```
/// use multitask::{Process, current_pid, current_process};
/// let mut p = Process::new(|| {
///     let me = current_process();
///     assert_eq!(me.pid(), current_pid());
///     assert_ne!(me.name(), "MainProcess");
/// });
/// p.start()?;
/// p.join()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn current_process() -> ProcessInfo {
    ProcessInfo {
        name: IDENTITY.with(|id| name_of(id)),
        pid: current_pid(),
    }
}

/// Python's `multiprocessing.parent_process()`: the process that started this one (its name
/// and pid), or `None` in the first process.
///
/// ```
/// use multitask::{Process, current_pid, parent_process};
/// assert_eq!(parent_process(), None);
/// let main = current_pid();
/// let mut p = Process::new(|| {
///     let parent = parent_process().expect("a child has a parent");
///     assert_eq!((parent.name(), parent.pid()), ("MainProcess", main));
/// });
/// p.start()?;
/// p.join()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parent_process() -> Option<ProcessInfo> {
    IDENTITY.with(|id| id.parent.clone())
}

/// The identity of the next process made here ("3", or "2:3" in the process "2"): what
/// `Process::new` and a pool's new worker number themselves by, as Python's do.
pub(crate) fn next_identity() -> String {
    IDENTITY.with(|id| {
        id.made += 1;
        if id.ident.is_empty() {
            id.made.to_string()
        } else {
            format!("{}:{}", id.ident, id.made)
        }
    })
}

/// Makes this freshly forked child the process `ident` named `name`, made by `parent` (taken
/// in the parent before the fork). The child has one thread: the lock, if another thread of
/// the parent held it at the fork, is nobody's now.
pub(crate) fn enter_child(ident: &str, name: String, parent: ProcessInfo) {
    IDENTITY.unlock();
    IDENTITY.with(|id| {
        let fresh = Identity {
            ident: ident.to_string(),
            name,
            parent: Some(parent),
            made: 0,
        };
        // The old value may be mid-change by a thread the fork did not copy: leave it be.
        std::mem::forget(std::mem::replace(id, fresh));
    });
}
