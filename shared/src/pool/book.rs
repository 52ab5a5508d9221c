//! A pool's bookkeeping as plain data, with no process or channel in it: which tasks wait,
//! how they are batched, which are out and with which batch, the first answer for each, and
//! what goes out again when a worker dies.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::Duration;

use super::messages::{FromWorker, Held, Task};
use crate::child::Ended;
use crate::error::{Error, ErrorKind, Result};

/// Task messages sent but not yet answered, at most: with this few in flight neither socket
/// buffer fills, so the parent never blocks on a send while a worker blocks on its reply.
const IN_FLIGHT_MESSAGES: usize = 64;
/// The most tasks one message carries.
const MAX_BATCH: usize = 256;
/// How much work one message should carry: tasks are batched only when they are this short,
/// so a long task never waits behind another in a batch while a worker idles.
const BATCH_WORK: Duration = Duration::from_micros(500);

#[derive(Debug)]
pub(super) struct Book {
    next_id: u64,
    /// Tasks not yet sent.
    backlog: VecDeque<Task>,
    /// Tasks sent and not yet answered, with the first id of their batch, kept to send again
    /// if their worker dies before it starts them.
    in_flight: HashMap<u64, (Task, u64)>,
    /// Batches sent and not fully answered: first id -> tasks still unanswered.
    batches: HashMap<u64, usize>,
    /// Recent task run time, in microseconds (None before the first reply).
    task_micros: Option<f64>,
    /// Tasks whose caller still holds the handle; results of others are dropped on arrival.
    wanted: HashSet<u64>,
    done: HashMap<u64, Result<Vec<u8>>>,
    closed: bool,
    finished: bool,
}

impl Book {
    pub(super) fn new() -> Book {
        Book {
            next_id: 1,
            backlog: VecDeque::new(),
            in_flight: HashMap::new(),
            batches: HashMap::new(),
            task_micros: None,
            wanted: HashSet::new(),
            done: HashMap::new(),
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
        self.wanted.insert(id);
        self.backlog.push_back(Task {
            id,
            call,
            func,
            args,
        });
        Ok(id)
    }

    /// Whether to send at once: while `workers` may be idle, or once a full batch waits
    /// (otherwise the rest goes out at the next call into the pool, saving two system calls a
    /// task).
    pub(super) fn wants_dispatch(&self, workers: usize) -> bool {
        self.batches.len() < workers * 2 || self.backlog.len() >= self.batch_size()
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

    /// The next batch to send, of consecutive ids, recorded as in flight; `None` when the
    /// backlog is empty or enough messages are out.
    pub(super) fn next_batch(&mut self) -> Option<Vec<Task>> {
        if self.batches.len() >= IN_FLIGHT_MESSAGES {
            return None;
        }
        let size = self.batch_size();
        let first = self.backlog.pop_front()?;
        let batch_id = first.id;
        let mut batch = vec![first];
        while batch.len() < size
            && self
                .backlog
                .front()
                .is_some_and(|t| Some(t.id) == batch.last().map(|l| l.id + 1))
        {
            if let Some(task) = self.backlog.pop_front() {
                batch.push(task);
            }
        }
        for task in &batch {
            self.in_flight.insert(task.id, (task.clone(), batch_id));
        }
        self.batches.insert(batch_id, batch.len());
        Some(batch)
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
            self.settle(id, || {
                reply.result.map_err(|message| {
                    Error::new(
                        ErrorKind::ChildPanicked,
                        format!("task {id} panicked: {message}"),
                    )
                    .with_pid(pid)
                })
            });
        }
    }

    /// A worker ended (`how`) holding `held`: its current task fails, the rest of its batch
    /// still unanswered goes again, to the front of the line.
    pub(super) fn worker_died(&mut self, pid: i32, how: Ended, held: Held) {
        let current = held.current;
        if current != 0 {
            self.settle(current, || {
                Err(Error::new(
                    ErrorKind::WorkerDied,
                    format!("worker {pid} {how} while running task {current}"),
                )
                .with_pid(pid))
            });
        }
        if held.first != 0 {
            for id in (held.first..=held.last).rev() {
                if let Some(task) = self.take_in_flight(id) {
                    self.backlog.push_front(task);
                }
            }
        }
    }

    /// Marks task `id` answered, the first answer wins (a result and the worker's death may
    /// both arrive for the same task).
    fn settle(&mut self, id: u64, answer: impl FnOnce() -> Result<Vec<u8>>) {
        if self.take_in_flight(id).is_some() && self.wanted.contains(&id) {
            self.done.insert(id, answer());
        }
    }

    /// Removes an answered (or re-queued) task from the books, and its batch once all answered.
    fn take_in_flight(&mut self, id: u64) -> Option<Task> {
        let (task, batch) = self.in_flight.remove(&id)?;
        if let Some(left) = self.batches.get_mut(&batch) {
            *left -= 1;
            if *left == 0 {
                self.batches.remove(&batch);
            }
        }
        Some(task)
    }

    /// Task `id`'s answer, once, if it has come.
    pub(super) fn take_result(&mut self, id: u64) -> Option<Result<Vec<u8>>> {
        let result = self.done.remove(&id)?;
        self.wanted.remove(&id);
        Some(result)
    }

    /// Nobody will ask for task `id`'s answer any more.
    pub(super) fn forget(&mut self, id: u64) {
        self.wanted.remove(&id);
        self.done.remove(&id);
    }

    /// Nothing waits to be sent or answered.
    pub(super) fn idle(&self) -> bool {
        self.in_flight.is_empty() && self.backlog.is_empty()
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
mod tests {
    use super::*;
    use crate::pool::messages::Reply;

    fn reply(id: u64, micros: u64, value: u8) -> Reply {
        Reply {
            id,
            micros,
            result: Ok(vec![value]),
        }
    }

    fn answer(book: &mut Book, pid: i32, replies: Vec<Reply>) {
        book.record(FromWorker { pid, replies });
    }

    #[test]
    fn one_task_a_message_until_tasks_prove_short_then_batches_of_consecutive_ids() {
        let mut book = Book::new();
        let ids: Vec<u64> = (0..10)
            .map(|_| book.submit(1, 2, vec![]).unwrap())
            .collect();
        assert_eq!(ids, (1..=10).collect::<Vec<_>>());
        let first = book.next_batch().unwrap();
        assert_eq!(first.len(), 1);
        answer(&mut book, 7, vec![reply(1, 10, 0)]);
        // 10 µs a task: 50 tasks make BATCH_WORK, so the other nine go in one message.
        let batch = book.next_batch().unwrap();
        assert_eq!(
            batch.iter().map(|t| t.id).collect::<Vec<_>>(),
            (2..=10).collect::<Vec<_>>()
        );
        assert!(book.next_batch().is_none());
    }

    #[test]
    fn no_more_than_the_in_flight_limit_of_messages_goes_out() {
        let mut book = Book::new();
        for _ in 0..IN_FLIGHT_MESSAGES + 5 {
            book.submit(1, 2, vec![]).unwrap();
        }
        let sent = std::iter::from_fn(|| book.next_batch()).count();
        assert_eq!(sent, IN_FLIGHT_MESSAGES);
        answer(&mut book, 7, vec![reply(1, 1_000_000, 0)]);
        assert!(book.next_batch().is_some());
    }

    #[test]
    fn the_first_answer_wins_and_unwanted_answers_are_dropped() {
        let mut book = Book::new();
        let a = book.submit(1, 2, vec![]).unwrap();
        let b = book.submit(1, 2, vec![]).unwrap();
        book.next_batch().unwrap();
        book.next_batch().unwrap();
        book.forget(b);
        answer(&mut book, 7, vec![reply(a, 5, 42), reply(b, 5, 43)]);
        let held = Held {
            current: a,
            first: a,
            last: a,
        };
        book.worker_died(7, Ended::Signaled(9), held);
        assert_eq!(book.take_result(a).unwrap().unwrap(), vec![42]);
        assert!(book.take_result(a).is_none());
        assert!(book.take_result(b).is_none());
        assert!(book.idle());
    }

    #[test]
    fn a_dead_workers_current_task_fails_and_the_rest_of_its_batch_goes_again_first() {
        let mut book = Book::new();
        for _ in 0..5 {
            book.submit(1, 2, vec![]).unwrap();
        }
        book.next_batch().unwrap();
        answer(&mut book, 7, vec![reply(1, 1, 0)]);
        let batch = book.next_batch().unwrap();
        assert_eq!(batch.len(), 4);
        answer(&mut book, 7, vec![reply(2, 1, 0)]);
        let held = Held {
            current: 3,
            first: 2,
            last: 5,
        };
        book.worker_died(7, Ended::Signaled(9), held);
        let err = book.take_result(3).unwrap().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::WorkerDied);
        assert_eq!(err.pid(), Some(7));
        assert_eq!(
            err.message(),
            "worker 7 killed by SIGKILL while running task 3"
        );
        let again = book.next_batch().unwrap();
        assert_eq!(again.iter().map(|t| t.id).collect::<Vec<_>>(), vec![4, 5]);
        assert_eq!(book.take_result(2).unwrap().unwrap(), vec![0]);
    }

    #[test]
    fn a_panic_is_the_tasks_error_and_closing_refuses_new_tasks() {
        let mut book = Book::new();
        let id = book.submit(1, 2, vec![]).unwrap();
        book.next_batch().unwrap();
        let failed = Reply {
            id,
            micros: 1,
            result: Err("boom".to_string()),
        };
        answer(&mut book, 8, vec![failed]);
        let err = book.take_result(id).unwrap().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ChildPanicked);
        assert_eq!(err.message(), "task 1 panicked: boom");
        book.close();
        assert_eq!(
            book.submit(1, 2, vec![]).unwrap_err().kind(),
            ErrorKind::State
        );
        assert!(book.finish(true));
        assert!(!book.finish(true));
    }
}
