//! The parent's side of a pool: forks the workers, sends batches, takes replies, watches the
//! workers and replaces a dead one. The bookkeeping it acts on is `Book`'s.

use std::cell::RefCell;
use std::time::{Duration, Instant};

use ipc_channel::TryRecvError;
use ipc_channel::ipc::{self, IpcReceiver, IpcSender};
use nix::sys::signal::Signal;

use super::book::Book;
use super::messages::{FromWorker, ToWorker};
use super::worker::{self, MAX_WORKERS, Running};
use crate::child::{Child, spawn_child};
use crate::error::{Error, ErrorKind, Result};
use crate::shm::Shared;

/// How often a waiting parent checks that its workers are alive.
const HEALTH_CHECK: Duration = Duration::from_millis(50);

struct Worker {
    child: Child,
    slot: usize,
}

pub(super) struct Engine {
    tasks_tx: IpcSender<ToWorker>,
    tasks_rx: IpcReceiver<ToWorker>,
    results_tx: IpcSender<FromWorker>,
    results_rx: IpcReceiver<FromWorker>,
    running: Shared<Running>,
    size: usize,
    workers: RefCell<Vec<Worker>>,
    pub(super) book: RefCell<Book>,
}

impl Engine {
    /// `size` workers, forked now.
    pub(super) fn new(size: usize) -> Result<Engine> {
        if size == 0 || size > MAX_WORKERS {
            return Err(Error::new(
                ErrorKind::State,
                format!("a pool needs 1 to {MAX_WORKERS} processes, not {size}"),
            ));
        }
        let (tasks_tx, tasks_rx) = ipc::channel().map_err(|e| Error::channel("pool create", e))?;
        let (results_tx, results_rx) =
            ipc::channel().map_err(|e| Error::channel("pool create", e))?;
        let engine = Engine {
            tasks_tx,
            tasks_rx,
            results_tx,
            results_rx,
            running: Shared::new()?,
            size,
            workers: RefCell::new(Vec::new()),
            book: RefCell::new(Book::new()),
        };
        for slot in 0..size {
            let worker = engine.spawn_worker(slot)?;
            engine.workers.borrow_mut().push(worker);
        }
        Ok(engine)
    }

    pub(super) fn size(&self) -> usize {
        self.size
    }

    pub(super) fn worker_pids(&self) -> Vec<i32> {
        self.workers
            .borrow()
            .iter()
            .map(|w| w.child.pid.as_raw())
            .collect()
    }

    fn spawn_worker(&self, slot: usize) -> Result<Worker> {
        let child = spawn_child(|| {
            worker::work(&self.tasks_rx, &self.results_tx, &self.running.slots[slot]);
            None
        })?;
        Ok(Worker { child, slot })
    }

    /// Queues a task and sends what should go now.
    pub(super) fn submit(&self, call: usize, func: usize, args: Vec<u8>) -> Result<u64> {
        let id = self.book.borrow_mut().submit(call, func, args)?;
        if self.book.borrow().wants_dispatch(self.size) {
            self.collect_ready()?;
            self.dispatch()?;
        }
        Ok(id)
    }

    /// Waits until every submitted task is answered.
    pub(super) fn drain(&self) -> Result<()> {
        while !self.book.borrow().idle() {
            self.pump(None)?;
        }
        Ok(())
    }

    /// Asks every worker to stop after its tasks, and waits for them.
    pub(super) fn stop_workers(&self) -> Result<()> {
        if !self.book.borrow_mut().finish(false) {
            return Ok(());
        }
        let workers = std::mem::take(&mut *self.workers.borrow_mut());
        for _ in &workers {
            self.tasks_tx
                .send(ToWorker::Stop)
                .map_err(|e| Error::channel("pool stop", e))?;
        }
        for worker in &workers {
            worker.child.wait(None)?;
        }
        Ok(())
    }

    /// Stops the workers at once (SIGTERM, SIGKILL a second later), abandoning their tasks.
    pub(super) fn terminate(&self) -> Result<()> {
        if !self.book.borrow_mut().finish(true) {
            return Ok(());
        }
        let workers = std::mem::take(&mut *self.workers.borrow_mut());
        for worker in &workers {
            worker.child.signal(Signal::SIGTERM)?;
        }
        for worker in &workers {
            if worker.child.wait(Some(Duration::from_secs(1)))?.is_none() {
                worker.child.signal(Signal::SIGKILL)?;
                worker.child.wait(None)?;
            }
        }
        Ok(())
    }

    /// Sends backlog tasks, in batches, while few messages are out.
    fn dispatch(&self) -> Result<()> {
        loop {
            let Some(batch) = self.book.borrow_mut().next_batch() else {
                return Ok(());
            };
            self.tasks_tx
                .send(ToWorker::Tasks(batch))
                .map_err(|e| Error::channel("pool send a task", e))?;
        }
    }

    /// Takes every result that has already arrived, without waiting.
    fn collect_ready(&self) -> Result<()> {
        loop {
            match self.results_rx.try_recv() {
                Ok(message) => self.book.borrow_mut().record(message),
                Err(TryRecvError::Empty) => return Ok(()),
                Err(TryRecvError::IpcError(e)) => return Err(Error::channel("pool receive", e)),
            }
        }
    }

    /// Waits for results up to `deadline` (one health-check interval at most), checks the
    /// workers, and refills the pipeline.
    fn pump(&self, deadline: Option<Instant>) -> Result<()> {
        let slice = match deadline {
            Some(d) => d
                .saturating_duration_since(Instant::now())
                .min(HEALTH_CHECK),
            None => HEALTH_CHECK,
        };
        match self.results_rx.try_recv_timeout(slice) {
            Ok(message) => {
                self.book.borrow_mut().record(message);
                self.collect_ready()?;
            }
            Err(TryRecvError::Empty) => self.check_workers()?,
            Err(TryRecvError::IpcError(e)) => return Err(Error::channel("pool receive", e)),
        }
        self.dispatch()
    }

    /// Reaps dead workers, fails the task each was running, and forks a replacement.
    fn check_workers(&self) -> Result<()> {
        let mut dead = Vec::new();
        for (i, worker) in self.workers.borrow().iter().enumerate() {
            if let Some(how) = worker.child.try_wait()? {
                dead.push((i, worker.child.pid.as_raw(), worker.slot, how));
            }
        }
        if dead.is_empty() {
            return Ok(());
        }
        // Results a worker sent before it died are in the channel: take them first.
        self.collect_ready()?;
        for (index, pid, slot, how) in dead.into_iter().rev() {
            let held = self.running.slots[slot].take();
            self.workers.borrow_mut().remove(index);
            self.book.borrow_mut().worker_died(pid, how, held);
            let replacement = self.spawn_worker(slot)?;
            self.workers.borrow_mut().push(replacement);
        }
        Ok(())
    }

    /// Waits for task `id`'s answer until `deadline` (forever when `None`).
    pub(super) fn wait_for(&self, id: u64, deadline: Option<Instant>) -> Result<Vec<u8>> {
        loop {
            if let Some(result) = self.book.borrow_mut().take_result(id) {
                return result;
            }
            if self.book.borrow().is_finished() {
                return Err(Error::new(
                    ErrorKind::State,
                    format!("the pool was terminated before task {id} finished"),
                ));
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return Err(Error::new(
                    ErrorKind::Timeout,
                    format!("task {id} has not finished"),
                ));
            }
            self.pump(deadline)?;
        }
    }
}
