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
    /// Python's `.name`: `"MainProcess"` for the first process, `"Process-N"` for the Nth
    /// child it started (`"Process-N:M"` for the Mth child of that one), as Python names them.
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

/// Who this process is, as its maker told it at the fork.
struct Identity {
    /// Child ordinals from the first process down: empty for it.
    path: Vec<u64>,
    /// The parent's name and pid; `None` for the first process.
    parent: Option<ProcessInfo>,
    /// Children started so far by this process (Python's `_children_counter`).
    started: u64,
    /// The name its `Process` was given (`set_name`), instead of the one its path makes.
    name: Option<String>,
}

impl Identity {
    fn name(&self) -> String {
        self.name.clone().unwrap_or_else(|| name_of(&self.path))
    }
}

static IDENTITY: SpinLock<Identity> = SpinLock::new(Identity {
    path: Vec::new(),
    parent: None,
    started: 0,
    name: None,
});

fn name_of(path: &[u64]) -> String {
    if path.is_empty() {
        return "MainProcess".to_string();
    }
    let numbers: Vec<String> = path.iter().map(u64::to_string).collect();
    format!("Process-{}", numbers.join(":"))
}

/// Python's `multiprocessing.current_process()`: this process's name and pid.
///
/// In a child started by [`Process`](crate::Process) the name is its `Process`'s (Python's
/// `Process-N` unless [`set_name`](crate::Process::set_name) gave another), and a
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
        name: IDENTITY.with(|id| id.name()),
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

/// What a child about to be forked will be: made in the parent, before the fork.
#[derive(Debug)]
pub(crate) struct ChildIdentity {
    path: Vec<u64>,
    parent: ProcessInfo,
    /// A name given instead of the path's (`Process::set_name`).
    name: Option<String>,
}

impl ChildIdentity {
    /// The name the child will have: Python's `Process-N`, or the one given.
    pub(crate) fn name(&self) -> String {
        self.name.clone().unwrap_or_else(|| name_of(&self.path))
    }

    /// Names the child `name` (Python's `Process(name=...)`).
    pub(crate) fn set_name(&mut self, name: String) {
        self.name = Some(name);
    }
}

/// Counts one more child of this process and says who it will be.
pub(crate) fn next_child() -> ChildIdentity {
    let pid = current_pid();
    IDENTITY.with(|id| {
        id.started += 1;
        let mut path = id.path.clone();
        path.push(id.started);
        ChildIdentity {
            path,
            parent: ProcessInfo {
                name: id.name(),
                pid,
            },
            name: None,
        }
    })
}

/// Makes this freshly forked child the process `child` says. The child has one thread: the
/// lock, if another thread of the parent held it at the fork, is nobody's now.
#[inline]
pub(crate) fn enter_child(child: ChildIdentity) {
    IDENTITY.unlock();
    IDENTITY.with(|id| {
        // The old value may be mid-change by a thread the fork did not copy: leave it be.
        std::mem::forget(std::mem::replace(
            id,
            Identity {
                path: child.path,
                parent: Some(child.parent),
                started: 0,
                name: child.name,
            },
        ));
    });
}
