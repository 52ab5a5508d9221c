//! A pool worker's loop, and the shared table in which each worker shows the task it runs.

use std::os::fd::{AsFd, OwnedFd};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::call;
use super::messages::{FromWorker, Reply, Task};
use crate::codec;
use crate::frames::{self, Filled, Inbox};
use crate::os::current_pid;
use crate::shm::ZeroedAtomics;

/// The most workers a pool can have (one shared slot each).
pub(super) const MAX_WORKERS: usize = 256;
/// A worker running a batch reports what it has done at least this often.
const REPORT_EVERY: Duration = Duration::from_millis(1);

/// The task one worker runs (0 when none), written by the worker, read by the parent once the
/// worker is dead: that task failed with it, the rest of its batch had not started.
#[repr(C)]
pub(super) struct Slot {
    current: AtomicU64,
}

impl Slot {
    /// The task the worker ran, clearing the slot for its replacement.
    pub(super) fn take(&self) -> u64 {
        self.current.swap(0, Ordering::SeqCst)
    }
}

/// One slot per worker, in a page the workers share with the parent.
#[repr(C)]
pub(super) struct Running {
    pub(super) slots: [Slot; MAX_WORKERS],
}

// SAFETY: only atomics; all zero means every worker idle.
unsafe impl ZeroedAtomics for Running {}

/// The worker's loop: take a batch, run its tasks, report; until asked to stop (an empty
/// frame), the parent's end is closed, or `max_tasks` are done (Python's `maxtasksperchild`:
/// the rest of the batch goes to the worker that replaces this one).
pub(super) fn work(link: &OwnedFd, slot: &Slot, max_tasks: Option<usize>) {
    let me = current_pid();
    let mut inbox = Inbox::default();
    let mut left = max_tasks.unwrap_or(usize::MAX);
    while left > 0 {
        let batch: Vec<Task> = match inbox.next_frame() {
            Some([]) => return,
            Some(frame) => match codec::decode(frame) {
                Ok(batch) => batch,
                Err(_) => return,
            },
            None => match inbox.fill(link.as_fd(), true) {
                Ok(Filled::Bytes | Filled::Nothing) => continue,
                Ok(Filled::Closed) | Err(_) => return,
            },
        };
        let mut replies = Vec::with_capacity(batch.len());
        let mut reported = Instant::now();
        for task in batch {
            if left == 0 {
                break;
            }
            left -= 1;
            slot.current.store(task.id, Ordering::SeqCst);
            let started = Instant::now();
            let outcome = call::run(&task);
            replies.push(Reply {
                id: task.id,
                micros: started.elapsed().as_micros() as u64,
                outcome,
            });
            if reported.elapsed() >= REPORT_EVERY {
                reported = Instant::now();
                if !send(link, me, std::mem::take(&mut replies)) {
                    return;
                }
            }
        }
        let sent = replies.is_empty() || send(link, me, replies);
        // Cleared after the send: a worker killed in between is seen as dying in the task,
        // and the parent keeps whichever of the result and the death it sees first.
        slot.take();
        if !sent {
            return;
        }
    }
}

/// Sends replies to the parent; false when it cannot (the parent is gone).
fn send(link: &OwnedFd, pid: i32, replies: Vec<Reply>) -> bool {
    let message = FromWorker { pid, replies };
    match codec::encode(&message) {
        Ok(bytes) => frames::send_frame(link.as_fd(), &bytes).is_ok(),
        Err(_) => false,
    }
}
