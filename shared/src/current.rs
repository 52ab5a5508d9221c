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
    /// In a child just forked, what its maker told it, until it first looks at who it is: the
    /// fields above are still its parent's until then (see `settle`). A start so writes nothing
    /// on the heap, in the parent or the child: a page either writes while the other lives is
    /// copied.
    entered: Option<Entered>,
}

/// What a child is told at the fork.
struct Entered {
    number: ChildNumber,
    parent_pid: i32,
    name: Option<String>,
}

impl Identity {
    /// Makes a child's identity real, from its parent's (still in the fields) and what it was
    /// told; nothing to do once done, or in the first process.
    fn settle(&mut self) {
        let Some(entered) = self.entered.take() else {
            return;
        };
        let depth = entered.number.depth.min(self.path.len());
        // The parent's name: the forking process's own when it made the `Process`, which is
        // the rule (Python refuses to start a `Process` elsewhere).
        let parent_name = match self.name.take() {
            Some(name) if depth == self.path.len() => name,
            _ => name_of(&self.path[..depth]),
        };
        self.parent = Some(ProcessInfo {
            name: parent_name,
            pid: entered.parent_pid,
        });
        self.path.truncate(depth);
        self.path.push(entered.number.ordinal);
        self.name = entered.name;
        self.started = 0;
    }

    fn name(&self) -> String {
        self.name.clone().unwrap_or_else(|| name_of(&self.path))
    }
}

/// This process's identity, made real first (see `Identity::settle`).
fn with_identity<R>(f: impl FnOnce(&mut Identity) -> R) -> R {
    IDENTITY.with(|id| {
        id.settle();
        f(id)
    })
}

static IDENTITY: SpinLock<Identity> = SpinLock::new(Identity {
    path: Vec::new(),
    parent: None,
    started: 0,
    name: None,
    entered: None,
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
        name: with_identity(|id| id.name()),
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
    with_identity(|id| id.parent.clone())
}

/// A child's number: its ordinal among its maker's children, and how deep its maker sits in
/// the family tree (the length of its path), so that its name can be told in its maker and in
/// any later fork of it, whose path begins with its maker's.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChildNumber {
    ordinal: u64,
    depth: usize,
}

impl ChildNumber {
    /// Python's default name for it: `Process-N`, `Process-1:N`, ...
    pub(crate) fn name(self) -> String {
        with_identity(|id| {
            let maker = &id.path[..self.depth.min(id.path.len())];
            let mut path = Vec::with_capacity(maker.len() + 1);
            path.extend_from_slice(maker);
            path.push(self.ordinal);
            name_of(&path)
        })
    }
}

/// What a child about to be forked will be: made in the parent, before the fork. Its path and
/// its parent's name are made in the child, when it first asks (nothing is allocated for them
/// at a start).
#[derive(Debug)]
pub(crate) struct ChildIdentity {
    number: ChildNumber,
    /// A name given instead of the number's (`Process::set_name`).
    name: Option<String>,
}

impl ChildIdentity {
    /// The name the child will have: Python's `Process-N`, or the one given.
    pub(crate) fn name(&self) -> String {
        match &self.name {
            Some(name) => name.clone(),
            None => self.number.name(),
        }
    }

    /// Its number (for its default name).
    pub(crate) fn number(&self) -> ChildNumber {
        self.number
    }

    /// Names the child `name` (Python's `Process(name=...)`).
    pub(crate) fn set_name(&mut self, name: String) {
        self.name = Some(name);
    }
}

/// Counts one more child of this process and says who it will be.
pub(crate) fn next_child() -> ChildIdentity {
    with_identity(|id| {
        id.started += 1;
        ChildIdentity {
            number: ChildNumber {
                ordinal: id.started,
                depth: id.path.len(),
            },
            name: None,
        }
    })
}

/// Makes this freshly forked child the process `child` says, its parent `parent_pid`. The child
/// has one thread: the lock, if another thread of the parent held it at the fork, is nobody's
/// now. Only what it was told is stored (no allocation: see `Identity::entered`); the rest is
/// made at its first look, from its parent's identity, which no thread was changing at the
/// fork: a process settles its own before any fork of the crate (`settle_before_fork`), and
/// later only its count of children changes, which the child does not read.
#[inline]
pub(crate) fn enter_child(child: ChildIdentity, parent_pid: i32) {
    IDENTITY.unlock();
    IDENTITY.with(|id| {
        // What the parent's copy holds is left as it is (the child's copy of its memory):
        // `settle` reads it.
        id.entered = Some(Entered {
            number: child.number,
            parent_pid,
            name: child.name,
        });
    });
}

/// Makes this process's own identity real before it forks (see `enter_child`).
pub(crate) fn settle_before_fork() {
    IDENTITY.with(Identity::settle);
}
