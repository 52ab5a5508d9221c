//! The pids of the processes that have put on a queue, in a page shared by all its forks, so a
//! reader can tell "nothing yet" from "nothing ever again" without counting file descriptors
//! (every fork holds a copy of every end, so the channel alone never reports a dead writer).

use std::fs;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

use crate::error::Result;
use crate::os::current_pid;
use crate::shm::{Shared, ZeroedAtomics};

const SLOTS: usize = 127;

/// The shared page's layout.
#[repr(C)]
struct Table {
    /// More writers than slots: liveness is unknown, so never report "all gone".
    overflow: AtomicBool,
    pids: [AtomicI32; SLOTS],
}

// SAFETY: only atomics; all zero is "no overflow, all slots free".
unsafe impl ZeroedAtomics for Table {}

pub(crate) struct Writers {
    table: Shared<Table>,
    /// The pid that registered through this copy of the handle (a fork starts with the parent's).
    registered_as: AtomicI32,
}

impl Writers {
    pub(crate) fn new() -> Result<Self> {
        Ok(Writers {
            table: Shared::new()?,
            registered_as: AtomicI32::new(0),
        })
    }

    fn table(&self) -> &Table {
        &self.table
    }

    /// Records this process as a writer, once per process.
    pub(crate) fn register_me(&self) {
        let me = current_pid();
        if self.registered_as.load(Ordering::Relaxed) == me {
            return;
        }
        self.registered_as.store(me, Ordering::Relaxed);
        let table = self.table();
        if table.pids.iter().any(|p| p.load(Ordering::Acquire) == me) {
            return;
        }
        for slot in &table.pids {
            let current = slot.load(Ordering::Acquire);
            let reusable = current == 0 || !is_alive(current);
            if reusable
                && slot
                    .compare_exchange(current, me, Ordering::AcqRel, Ordering::Acquire)
                    .is_ok()
            {
                return;
            }
        }
        table.overflow.store(true, Ordering::Release);
    }

    /// True when some process has put on the queue and every such process has exited.
    pub(crate) fn all_gone(&self) -> bool {
        let table = self.table();
        if table.overflow.load(Ordering::Acquire) {
            return false;
        }
        let mut any = false;
        for slot in &table.pids {
            let pid = slot.load(Ordering::Acquire);
            if pid != 0 {
                any = true;
                if is_alive(pid) {
                    return false;
                }
            }
        }
        any
    }
}

/// Alive and not a zombie: an exited writer stays a zombie until its parent reaps it.
pub(crate) fn is_alive(pid: i32) -> bool {
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => match stat.rsplit_once(") ") {
            Some((_, rest)) => !rest.starts_with('Z') && !rest.starts_with('X'),
            None => true,
        },
        Err(_) => false,
    }
}
