//! Which processes hold a queue, in a page shared by all its forks, so a reader can tell
//! "nothing yet" from "nothing ever again" without counting file descriptors (every fork holds a
//! copy of every end, so the channel alone never reports that the writers are gone).
//!
//! A holder is the process that made the queue, every child forked (through this crate) while
//! the queue existed, registered by its parent before either goes on, and any other process at
//! its first put. A `get` gives up only when every holder but itself has exited.

use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Weak};

use procfs::process::ProcState;

use crate::error::Result;
use crate::os::current_pid;
use crate::shm::{Shared, ZeroedAtomics};
use crate::spin::SpinLock;

const SLOTS: usize = 127;

/// The shared page's layout.
#[repr(C)]
struct Table {
    /// More holders than slots: liveness is unknown, so never report "all gone".
    overflow: AtomicBool,
    pids: [AtomicI32; SLOTS],
}

// SAFETY: only atomics; all zero is "no overflow, all slots free".
unsafe impl ZeroedAtomics for Table {}

impl Table {
    fn register(&self, pid: i32) {
        // Present, or gone for good (-pid: it closed the queue, maybe before its parent got to
        // register it after the fork).
        if self
            .pids
            .iter()
            .any(|p| p.load(Ordering::Acquire).abs() == pid)
        {
            return;
        }
        // A free slot first; only when none is left, the slot of a holder that has exited.
        let free = |current: i32| current == 0;
        let dead = |current: i32| current != 0 && !is_alive(current);
        for reusable in [&free as &dyn Fn(i32) -> bool, &dead] {
            for slot in &self.pids {
                let current = slot.load(Ordering::Acquire);
                if reusable(current)
                    && slot
                        .compare_exchange(current, pid, Ordering::AcqRel, Ordering::Acquire)
                        .is_ok()
                {
                    return;
                }
            }
        }
        self.overflow.store(true, Ordering::Release);
    }
}

/// Every queue table this process can see, so a fork can register the child in each. Held
/// across every fork (see `SpinLock`).
static LIVE: SpinLock<Vec<Weak<Shared<Table>>>> = SpinLock::new(Vec::new());

/// Before a fork (the crate's fork handlers, `fork::install_handlers`): LIVE is held across it,
/// and released after it in both processes by `unlock_after_fork`.
#[inline]
pub(crate) fn lock_for_fork() {
    LIVE.lock();
}

#[inline]
pub(crate) fn unlock_after_fork() {
    LIVE.unlock();
}

pub(crate) struct Holders {
    table: Arc<Shared<Table>>,
    /// The pid that registered through this copy of the handle (a fork starts with the parent's).
    registered_as: AtomicI32,
}

impl Holders {
    /// A new table, holding the calling process.
    pub(crate) fn new() -> Result<Self> {
        let table = Arc::new(Shared::<Table>::new()?);
        let me = current_pid();
        table.register(me);
        crate::fork::install_handlers();
        LIVE.with(|live| {
            live.retain(|t| t.strong_count() > 0);
            live.push(Arc::downgrade(&table));
        });
        Ok(Holders {
            table,
            registered_as: AtomicI32::new(me),
        })
    }

    /// Records this process as a holder, once per process (for a child forked some other way).
    pub(crate) fn register_me(&self) {
        let me = current_pid();
        if self.registered_as.load(Ordering::Relaxed) != me {
            self.registered_as.store(me, Ordering::Relaxed);
            self.table.register(me);
        }
    }

    /// This process will use the queue no more (Python's `close`): a get elsewhere no longer
    /// waits for it. Its slot keeps `-pid`, so that its parent's registration of it after the
    /// fork, should that come later, does not count it again.
    pub(crate) fn unregister_me(&self) {
        let me = current_pid();
        self.registered_as.store(me, Ordering::Relaxed);
        if self.table.pids.iter().any(|slot| {
            slot.compare_exchange(me, -me, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
        }) {
            return;
        }
        self.table.register(-me);
    }

    /// True when every holder but this process has exited: nobody is left to put.
    pub(crate) fn all_gone(&self) -> bool {
        if self.table.overflow.load(Ordering::Acquire) {
            return false;
        }
        let me = current_pid();
        self.table.pids.iter().all(|slot| {
            let pid = slot.load(Ordering::Acquire);
            pid == 0 || pid == me || !is_alive(pid)
        })
    }
}

/// Called in the parent right after a fork, before it goes on: the child holds every queue the
/// parent can see.
pub(crate) fn adopt_child(pid: i32) {
    crate::fork::install_handlers();
    let tables: Vec<_> = LIVE.with(|live| live.iter().filter_map(Weak::upgrade).collect());
    for table in tables {
        table.register(pid);
    }
}

/// Alive and not a zombie: an exited process stays a zombie until its parent reaps it. A pid
/// whose /proc entry cannot be read is gone; one whose state cannot be parsed counts as alive
/// (never report "all gone" on a doubt).
pub(crate) fn is_alive(pid: i32) -> bool {
    if pid <= 0 {
        return false;
    }
    match procfs::process::Process::new(pid).and_then(|p| p.stat()) {
        Ok(stat) => !matches!(stat.state(), Ok(ProcState::Zombie | ProcState::Dead)),
        Err(_) => false,
    }
}
