//! A pool worker's loop, and the shared table in which each worker shows what it holds.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use ipc_channel::ipc::{IpcReceiver, IpcSender};

use super::call;
use super::messages::{FromWorker, Held, Reply, ToWorker};
use crate::os::current_pid;
use crate::shm::ZeroedAtomics;

/// The most workers a pool can have (one shared slot each).
pub(super) const MAX_WORKERS: usize = 256;
/// A worker running a batch reports what it has done at least this often.
const REPORT_EVERY: Duration = Duration::from_millis(1);

/// What one worker holds (all 0 when idle), written by the worker, read by the parent once the
/// worker is dead.
#[repr(C)]
pub(super) struct Slot {
    current: AtomicU64,
    first: AtomicU64,
    last: AtomicU64,
}

impl Slot {
    /// What the worker held, clearing the slot for its replacement.
    pub(super) fn take(&self) -> Held {
        Held {
            current: self.current.swap(0, Ordering::SeqCst),
            first: self.first.swap(0, Ordering::SeqCst),
            last: self.last.swap(0, Ordering::SeqCst),
        }
    }
}

/// One slot per worker, in a page the workers share with the parent.
#[repr(C)]
pub(super) struct Running {
    pub(super) slots: [Slot; MAX_WORKERS],
}

// SAFETY: only atomics; all zero means every worker idle.
unsafe impl ZeroedAtomics for Running {}

/// The worker's loop: take a batch, run its tasks, report; until Stop or the pool is gone.
pub(super) fn work(tasks: &IpcReceiver<ToWorker>, results: &IpcSender<FromWorker>, slot: &Slot) {
    let me = current_pid();
    while let Ok(ToWorker::Tasks(batch)) = tasks.recv() {
        let (Some(first), Some(last)) = (batch.first(), batch.last()) else {
            continue;
        };
        slot.first.store(first.id, Ordering::SeqCst);
        slot.last.store(last.id, Ordering::SeqCst);
        let mut replies = Vec::with_capacity(batch.len());
        let mut reported = Instant::now();
        for task in batch {
            slot.current.store(task.id, Ordering::SeqCst);
            let started = Instant::now();
            let result = call::run(&task);
            replies.push(Reply {
                id: task.id,
                micros: started.elapsed().as_micros() as u64,
                result,
            });
            if reported.elapsed() >= REPORT_EVERY {
                reported = Instant::now();
                let replies = std::mem::take(&mut replies);
                if results.send(FromWorker { pid: me, replies }).is_err() {
                    return;
                }
            }
        }
        let sent = replies.is_empty() || results.send(FromWorker { pid: me, replies }).is_ok();
        // Cleared after the send: a worker killed in between is seen as dying in the task,
        // and the parent keeps whichever of the result and the death it sees first.
        slot.take();
        if !sent {
            break;
        }
    }
}
