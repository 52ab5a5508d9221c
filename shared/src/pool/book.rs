//! A pool's bookkeeping as plain data, with no process or socket in it: which tasks wait, how
//! they are batched and to which worker (lane) each batch goes, what is out with each worker in
//! tasks and bytes, the first answer for each task, and what goes out again when a worker dies.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::Duration;

use super::messages::{FromWorker, Outcome, Task};
use crate::children::Ended;
use crate::error::{Error, ErrorKind, Result};

/// Argument bytes out with one worker, at most (a first task always goes, however big): what
/// bounds the memory a pool ties up in sockets and send buffers, whatever the message count.
const LANE_BYTES: usize = 1 << 20;
/// The most tasks one message carries.
const MAX_BATCH: usize = 256;
/// How much work one message should carry: tasks are batched only when they are this short,
/// so a long task never waits behind another in a batch while a worker idles.
const BATCH_WORK: Duration = Duration::from_micros(500);
/// Batches of short tasks one worker holds at most: one it runs, one ready behind it. Long
/// tasks go only to an idle worker, so none waits behind another while a worker idles.
const LANE_BATCHES: usize = 2;

/// What is out with one worker.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Lane {
    tasks: usize,
    bytes: usize,
}

#[derive(Debug)]
pub(super) struct Book {
    next_id: u64,
    /// Tasks not yet sent.
    backlog: VecDeque<Task>,
    /// Tasks sent and not yet answered, with their lane, kept to send again if their worker
    /// dies before it starts them.
    sent: HashMap<u64, (Task, usize)>,
    lanes: Vec<Lane>,
    /// Recent task run time, in microseconds (None before the first reply).
    task_micros: Option<f64>,
    /// Tasks whose answer someone still wants (a handle, a callback), and how many of them;
    /// answers of others are dropped on arrival.
    wanted: HashMap<u64, u32>,
    /// Answers, with the order they arrived in.
    done: HashMap<u64, (u64, Result<Vec<u8>>)>,
    /// The same answers' ids by arrival, for `imap_unordered` to find the first of its own
    /// without looking at every one of its tasks.
    arrived: BTreeMap<u64, u64>,
    arrivals: u64,
    closed: bool,
    finished: bool,
}

impl Book {
    /// The books of a pool of `workers` workers.
    pub(super) fn new(workers: usize) -> Book {
        Book {
            next_id: 1,
            backlog: VecDeque::new(),
            sent: HashMap::new(),
            lanes: vec![Lane::default(); workers],
            task_micros: None,
            wanted: HashMap::new(),
            done: HashMap::new(),
            arrived: BTreeMap::new(),
            arrivals: 0,
            closed: false,
            finished: false,
        }
    }

    /// Queues a task (its trampoline, function and encoded argument) and gives its id.
    pub(super) fn submit(&mut self, call: usize, func: usize, args: Vec<u8>) -> Result<u64> {
        if self.closed {
            return Err(Error::new(ErrorKind::State, "the pool is closed"));
        }
        let id = self.next_id;
        self.next_id += 1;
        self.wanted.insert(id, 1);
        self.backlog.push_back(Task {
            id,
            call,
            func,
            args,
        });
        Ok(id)
    }

    /// Whether to send at once: while a worker idles, or once a full batch waits (otherwise the
    /// rest goes out at the next call into the pool, saving system calls).
    pub(super) fn wants_dispatch(&self) -> bool {
        self.backlog.len() >= self.batch_size() || self.lanes.iter().any(|l| l.tasks == 0)
    }

    /// How many tasks one message carries: enough for BATCH_WORK of recent task time.
    fn batch_size(&self) -> usize {
        match self.task_micros {
            Some(micros) => {
                ((BATCH_WORK.as_micros() as f64 / micros.max(0.01)) as usize).clamp(1, MAX_BATCH)
            }
            None => 1,
        }
    }

    /// The next batch to send and the lane it goes to, recorded as out with that lane; `None`
    /// when the backlog is empty or no worker may take more.
    pub(super) fn next_batch(&mut self) -> Option<(usize, Vec<u64>)> {
        if self.backlog.is_empty() {
            return None;
        }
        let size = self.batch_size();
        let (lane, _) = self
            .lanes
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                l.tasks == 0 || (size > 1 && l.tasks < LANE_BATCHES * size && l.bytes < LANE_BYTES)
            })
            .min_by_key(|(_, l)| l.tasks)?;
        let mut ids = Vec::new();
        let mut bytes = self.lanes[lane].bytes;
        while ids.len() < size {
            let Some(next) = self.backlog.front() else {
                break;
            };
            if !ids.is_empty() && bytes + next.args.len() > LANE_BYTES {
                break;
            }
            let Some(task) = self.backlog.pop_front() else {
                break;
            };
            bytes += task.args.len();
            ids.push(task.id);
            self.sent.insert(task.id, (task, lane));
        }
        self.lanes[lane].bytes = bytes;
        self.lanes[lane].tasks += ids.len();
        Some((lane, ids))
    }

    /// The tasks of a batch `next_batch` gave.
    pub(super) fn tasks(&self, ids: &[u64]) -> Vec<&Task> {
        ids.iter()
            .filter_map(|id| self.sent.get(id).map(|(task, _)| task))
            .collect()
    }

    /// Records a worker's replies.
    pub(super) fn record(&mut self, message: FromWorker) {
        let pid = message.pid;
        for reply in message.replies {
            let micros = reply.micros as f64;
            self.task_micros = Some(match self.task_micros {
                Some(avg) => 0.8 * avg + 0.2 * micros,
                None => micros,
            });
            let id = reply.id;
            self.settle(id, || match reply.outcome {
                Outcome::Value(bytes) => Ok(bytes),
                Outcome::Failed(failure) => Err(failure.into_error(id, pid)),
            });
        }
    }

    /// The worker of `lane` ended (`how`) running task `current` (0: none): that task fails,
    /// the lane's other tasks still unanswered go again, first in line and in order.
    pub(super) fn worker_died(&mut self, lane: usize, pid: i32, how: Ended, current: u64) {
        if current != 0 {
            self.settle(current, || {
                Err(Error::new(
                    ErrorKind::WorkerDied,
                    format!("worker {pid} {how} while running task {current}"),
                )
                .with_pid(pid))
            });
        }
        let mut again: Vec<u64> = self
            .sent
            .iter()
            .filter(|(_, (_, l))| *l == lane)
            .map(|(id, _)| *id)
            .collect();
        again.sort_unstable_by(|a, b| b.cmp(a));
        for id in again {
            if let Some(task) = self.take_sent(id) {
                self.backlog.push_front(task);
            }
        }
        if let Some(l) = self.lanes.get_mut(lane) {
            *l = Lane::default();
        }
    }

    /// Marks task `id` answered, the first answer wins (a result and the worker's death may
    /// both arrive for the same task).
    fn settle(&mut self, id: u64, answer: impl FnOnce() -> Result<Vec<u8>>) {
        if self.take_sent(id).is_some() && self.wanted.contains_key(&id) {
            self.arrivals += 1;
            self.done.insert(id, (self.arrivals, answer()));
            self.arrived.insert(self.arrivals, id);
        }
    }

    /// Removes an answered (or re-queued) task from the books and from its lane.
    fn take_sent(&mut self, id: u64) -> Option<Task> {
        let (task, lane) = self.sent.remove(&id)?;
        if let Some(l) = self.lanes.get_mut(lane) {
            l.tasks = l.tasks.saturating_sub(1);
            l.bytes = l.bytes.saturating_sub(task.args.len());
        }
        Some(task)
    }

    /// Task `id`'s answer, if it has come: the same every time it is asked (Python's `get`
    /// may be called again), kept while anyone wants it.
    pub(super) fn result(&self, id: u64) -> Option<&Result<Vec<u8>>> {
        self.done.get(&id).map(|(_, result)| result)
    }

    /// Of the tasks `mine` says are the caller's, the one whose answer arrived first, if any
    /// has (looking only at answers that have arrived and are still kept).
    pub(super) fn first_arrived(&self, mine: impl Fn(u64) -> bool) -> Option<u64> {
        self.arrived.values().copied().find(|&id| mine(id))
    }

    /// One more party (a callback) wants task `id`'s answer.
    pub(super) fn want(&mut self, id: u64) {
        *self.wanted.entry(id).or_insert(0) += 1;
    }

    /// One party no longer wants task `id`'s answer; dropped when nobody does.
    pub(super) fn forget(&mut self, id: u64) {
        if let Some(count) = self.wanted.get_mut(&id) {
            *count -= 1;
            if *count > 0 {
                return;
            }
        }
        self.wanted.remove(&id);
        if let Some((seq, _)) = self.done.remove(&id) {
            self.arrived.remove(&seq);
        }
    }

    /// Nothing waits to be sent or answered.
    pub(super) fn idle(&self) -> bool {
        self.sent.is_empty() && self.backlog.is_empty()
    }

    /// No more tasks may be submitted.
    pub(super) fn close(&mut self) {
        self.closed = true;
    }

    pub(super) fn is_closed(&self) -> bool {
        self.closed
    }

    /// The pool is done with its workers; `abandon` drops the tasks not yet sent. False when it
    /// already was.
    pub(super) fn finish(&mut self, abandon: bool) -> bool {
        if self.finished {
            return false;
        }
        self.closed = true;
        self.finished = true;
        if abandon {
            self.backlog.clear();
        }
        true
    }

    pub(super) fn is_finished(&self) -> bool {
        self.finished
    }
}

#[cfg(test)]
#[path = "book_tests.rs"]
mod tests;
