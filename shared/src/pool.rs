//! `Pool`: Python's `multiprocessing.Pool`, worker processes forked once and reused.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::marker::PhantomData;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use ipc_channel::TryRecvError;
use ipc_channel::ipc::{self, IpcReceiver, IpcSender};
use nix::sys::signal::Signal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::os::{Child, Ended, current_pid, panic_message, spawn_child};
use crate::process::signal_name;
use crate::shm::{Shared, ZeroedAtomics};

/// Task messages sent but not yet answered, at most: with this few in flight neither socket
/// buffer fills, so the parent never blocks on a send while a worker blocks on its reply.
const IN_FLIGHT_MESSAGES: usize = 64;
/// The most tasks one message carries.
const MAX_BATCH: usize = 256;
/// How much work one message should carry: tasks are batched only when they are this short,
/// so a long task never waits behind another in a batch while a worker idles.
const BATCH_WORK: Duration = Duration::from_micros(500);
/// A worker running a batch reports what it has done at least this often.
const REPORT_EVERY: Duration = Duration::from_millis(1);
/// How often a waiting parent checks that its workers are alive.
const HEALTH_CHECK: Duration = Duration::from_millis(50);
/// The most workers a pool can have (one shared slot each).
const MAX_WORKERS: usize = 256;

/// The task a worker runs: `call` is a monomorphized trampoline that decodes the arguments,
/// calls `func` and encodes the result. Both are addresses in this very program, which the
/// workers share because they are forks of it (Python pickles a function by name instead).
#[derive(Clone, Serialize, Deserialize)]
struct Task {
    id: u64,
    call: usize,
    func: usize,
    args: Vec<u8>,
}

/// Tasks go out in batches of consecutive ids (one task each, unless tasks are short).
#[derive(Serialize, Deserialize)]
enum ToWorker {
    Tasks(Vec<Task>),
    Stop,
}

#[derive(Serialize, Deserialize)]
struct Reply {
    id: u64,
    /// How long the task ran, so the parent can size its batches.
    micros: u64,
    /// The encoded result, or the panic message.
    result: std::result::Result<Vec<u8>, String>,
}

#[derive(Serialize, Deserialize)]
struct FromWorker {
    pid: i32,
    replies: Vec<Reply>,
}

/// What each worker holds (all 0 when idle): the task it runs and the range of ids of its
/// batch, so the parent knows what a dead worker took with it.
#[repr(C)]
struct Slot {
    current: AtomicU64,
    first: AtomicU64,
    last: AtomicU64,
}

#[repr(C)]
struct Running {
    slots: [Slot; MAX_WORKERS],
}
// SAFETY: only atomics; all zero means every worker idle.
unsafe impl ZeroedAtomics for Running {}

struct Worker {
    child: Child,
    slot: usize,
}

#[derive(Default)]
struct Book {
    next_id: u64,
    workers: Vec<Worker>,
    /// Tasks not yet sent.
    backlog: VecDeque<Task>,
    /// Tasks sent and not yet answered, kept to send again if their worker dies before it
    /// starts them.
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

/// A pool of worker processes, like `multiprocessing.Pool(processes)`.
///
/// Workers are forked when the pool is made and reused for every task; a task is a plain `fn`
/// (not a closure: like Python, which pickles a function by name) and its argument and result
/// travel serialized. A worker that dies in a task fails that task's [`AsyncResult::get`] with
/// [`ErrorKind::WorkerDied`] and is replaced.
///
/// ```
/// use multitask::Pool;
/// fn square(x: u64) -> u64 { x * x }
/// let pool = Pool::new(Some(2))?;
/// let r = pool.apply_async(square, 7)?;
/// assert_eq!(r.get()?, 49);
/// pool.close()?;
/// pool.join()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Pool {
    tasks_tx: IpcSender<ToWorker>,
    tasks_rx: IpcReceiver<ToWorker>,
    results_tx: IpcSender<FromWorker>,
    results_rx: IpcReceiver<FromWorker>,
    running: Shared<Running>,
    size: usize,
    book: RefCell<Book>,
}

impl fmt::Debug for Pool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool").field("size", &self.size).finish()
    }
}

/// The pending result of one task, like Python's `AsyncResult`.
///
/// ```
/// fn inc(x: i64) -> i64 { x + 1 }
/// let pool = multitask::Pool::new(Some(1))?;
/// let handle: multitask::AsyncResult<'_, i64> = pool.apply_async(inc, 1)?;
/// assert_eq!(handle.get()?, 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct AsyncResult<'pool, R> {
    pool: &'pool Pool,
    id: u64,
    _result: PhantomData<fn() -> R>,
}

impl<R> fmt::Debug for AsyncResult<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncResult")
            .field("task", &self.id)
            .finish()
    }
}

impl Pool {
    /// A pool of `processes` workers, or one per CPU when `None` (Python's `Pool()`).
    ///
    /// ```
    /// let pool = multitask::Pool::new(None)?;
    /// assert_eq!(pool.size(), multitask::cpu_count());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(processes: Option<usize>) -> Result<Pool> {
        let size = processes.unwrap_or_else(crate::cpu_count);
        if size == 0 || size > MAX_WORKERS {
            return Err(Error::new(
                ErrorKind::State,
                format!("a pool needs 1 to {MAX_WORKERS} processes, not {size}"),
            ));
        }
        let (tasks_tx, tasks_rx) = ipc::channel().map_err(|e| channel_error("create", &e))?;
        let (results_tx, results_rx) = ipc::channel().map_err(|e| channel_error("create", &e))?;
        let pool = Pool {
            tasks_tx,
            tasks_rx,
            results_tx,
            results_rx,
            running: Shared::new()?,
            size,
            book: RefCell::new(Book {
                next_id: 1,
                ..Book::default()
            }),
        };
        for slot in 0..size {
            let worker = pool.spawn_worker(slot)?;
            pool.book.borrow_mut().workers.push(worker);
        }
        Ok(pool)
    }

    /// The number of worker processes.
    ///
    /// ```
    /// assert_eq!(multitask::Pool::new(Some(3))?.size(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn size(&self) -> usize {
        self.size
    }

    /// The workers' pids, in slot order.
    ///
    /// ```
    /// let pool = multitask::Pool::new(Some(2))?;
    /// assert_eq!(pool.worker_pids().len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn worker_pids(&self) -> Vec<i32> {
        self.book
            .borrow()
            .workers
            .iter()
            .map(|w| w.child.pid.as_raw())
            .collect()
    }

    fn spawn_worker(&self, slot: usize) -> Result<Worker> {
        let child = spawn_child(|| {
            self.work(slot);
            None
        })?;
        Ok(Worker { child, slot })
    }

    /// The worker's loop: take a batch, run its tasks, report; until Stop or the pool is gone.
    fn work(&self, slot: usize) {
        let me = current_pid();
        let slot = &self.running.slots[slot];
        while let Ok(ToWorker::Tasks(batch)) = self.tasks_rx.recv() {
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
                // SAFETY: `call` is the address of `trampoline::<A, R>` taken in the parent, of
                // which this process is a fork: the same code at the same address.
                let call: Trampoline =
                    unsafe { std::mem::transmute::<usize, Trampoline>(task.call) };
                let result = match catch_unwind(AssertUnwindSafe(|| call(task.func, &task.args))) {
                    Ok(result) => result,
                    Err(payload) => Err(panic_message(payload.as_ref())),
                };
                replies.push(Reply {
                    id: task.id,
                    micros: started.elapsed().as_micros() as u64,
                    result,
                });
                if reported.elapsed() >= REPORT_EVERY {
                    reported = Instant::now();
                    let replies = std::mem::take(&mut replies);
                    if self
                        .results_tx
                        .send(FromWorker { pid: me, replies })
                        .is_err()
                    {
                        return;
                    }
                }
            }
            let sent = replies.is_empty()
                || self
                    .results_tx
                    .send(FromWorker { pid: me, replies })
                    .is_ok();
            // Cleared after the send: a worker killed in between is seen as dying in the task,
            // and the parent keeps whichever of the result and the death it sees first.
            slot.current.store(0, Ordering::SeqCst);
            slot.first.store(0, Ordering::SeqCst);
            slot.last.store(0, Ordering::SeqCst);
            if !sent {
                break;
            }
        }
    }

    /// Runs `func(args)` in a worker (Python's `apply_async(func, args=(...))`).
    ///
    /// ```
    /// fn greet(name: String) -> String { format!("hi {name}") }
    /// let pool = multitask::Pool::new(Some(1))?;
    /// let r = pool.apply_async(greet, "Bob".to_string())?;
    /// assert_eq!(r.get()?, "hi Bob");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply_async<A, R>(&self, func: fn(A) -> R, args: A) -> Result<AsyncResult<'_, R>>
    where
        A: Serialize + DeserializeOwned,
        R: Serialize + DeserializeOwned,
    {
        let args = postcard::to_allocvec(&args).map_err(|e| {
            Error::new(
                ErrorKind::Serialize,
                format!("a {}: {e}", std::any::type_name::<A>()),
            )
        })?;
        let id = {
            let mut book = self.book.borrow_mut();
            if book.closed {
                return Err(Error::new(ErrorKind::State, "the pool is closed"));
            }
            let id = book.next_id;
            book.next_id += 1;
            book.wanted.insert(id);
            book.backlog.push_back(Task {
                id,
                call: trampoline::<A, R> as Trampoline as usize,
                func: func as usize,
                args,
            });
            id
        };
        // Send at once while workers may be idle; otherwise wait for a full batch (the rest
        // goes out at the next call into the pool), saving two system calls a task.
        let send_now = {
            let book = self.book.borrow();
            book.batches.len() < self.size * 2 || book.backlog.len() >= self.batch_size(&book)
        };
        if send_now {
            self.collect_ready()?;
            self.dispatch()?;
        }
        Ok(AsyncResult {
            pool: self,
            id,
            _result: PhantomData,
        })
    }

    /// Python's `Pool.map`: `func` over every item, in order, `chunksize` items per message.
    ///
    /// ```
    /// fn double(x: u32) -> u32 { 2 * x }
    /// let pool = multitask::Pool::new(Some(2))?;
    /// assert_eq!(pool.map(double, vec![1, 2, 3], 2)?, vec![2, 4, 6]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn map<A, R>(&self, func: fn(A) -> R, items: Vec<A>, chunksize: usize) -> Result<Vec<R>>
    where
        A: Serialize + DeserializeOwned,
        R: Serialize + DeserializeOwned,
    {
        let chunk_fn = func as usize;
        let mut handles = Vec::new();
        let mut items = items.into_iter().peekable();
        while items.peek().is_some() {
            let chunk: Vec<A> = items.by_ref().take(chunksize.max(1)).collect();
            handles.push(self.apply_chunk::<A, R>(chunk_fn, chunk)?);
        }
        let mut out = Vec::new();
        for handle in handles {
            out.extend(handle.get()?);
        }
        Ok(out)
    }

    fn apply_chunk<A, R>(&self, func: usize, chunk: Vec<A>) -> Result<AsyncResult<'_, Vec<R>>>
    where
        A: Serialize + DeserializeOwned,
        R: Serialize + DeserializeOwned,
    {
        let chunk_call: fn((usize, Vec<A>)) -> Vec<R> = run_chunk::<A, R>;
        self.apply_async(chunk_call, (func, chunk))
    }

    /// No more tasks may be submitted (Python's `close()`).
    ///
    /// ```
    /// fn id(x: u8) -> u8 { x }
    /// let pool = multitask::Pool::new(Some(1))?;
    /// pool.close()?;
    /// assert!(pool.apply_async(id, 1).is_err());
    /// pool.join()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn close(&self) -> Result<()> {
        self.book.borrow_mut().closed = true;
        Ok(())
    }

    /// Waits for every submitted task, then for the workers to exit (Python's `join()`, which
    /// also requires `close()` first).
    ///
    /// ```
    /// fn id(x: u8) -> u8 { x }
    /// let pool = multitask::Pool::new(Some(2))?;
    /// for i in 0..5 { pool.apply_async(id, i)?; }
    /// pool.close()?;
    /// pool.join()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn join(&self) -> Result<()> {
        if !self.book.borrow().closed {
            return Err(Error::new(
                ErrorKind::State,
                "join() before close(): the pool would wait forever",
            ));
        }
        while !self.idle() {
            self.pump(None)?;
        }
        self.stop_workers()
    }

    /// Stops the workers at once, abandoning unfinished tasks (Python's `terminate()`).
    ///
    /// ```
    /// fn nap(ms: u64) { std::thread::sleep(std::time::Duration::from_millis(ms)) }
    /// let pool = multitask::Pool::new(Some(1))?;
    /// let r = pool.apply_async(nap, 10_000)?;
    /// pool.terminate()?;
    /// assert!(r.get().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn terminate(&self) -> Result<()> {
        let workers = {
            let mut book = self.book.borrow_mut();
            if book.finished {
                return Ok(());
            }
            book.closed = true;
            book.finished = true;
            book.backlog.clear();
            std::mem::take(&mut book.workers)
        };
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

    fn idle(&self) -> bool {
        let book = self.book.borrow();
        book.in_flight.is_empty() && book.backlog.is_empty()
    }

    fn stop_workers(&self) -> Result<()> {
        let workers = {
            let mut book = self.book.borrow_mut();
            if book.finished {
                return Ok(());
            }
            book.finished = true;
            std::mem::take(&mut book.workers)
        };
        for _ in &workers {
            self.tasks_tx
                .send(ToWorker::Stop)
                .map_err(|e| channel_error("stop", &e))?;
        }
        for worker in &workers {
            worker.child.wait(None)?;
        }
        Ok(())
    }

    /// How many tasks one message carries: enough for BATCH_WORK of recent task time.
    fn batch_size(&self, book: &Book) -> usize {
        match book.task_micros {
            Some(micros) => {
                ((BATCH_WORK.as_micros() as f64 / micros.max(0.01)) as usize).clamp(1, MAX_BATCH)
            }
            None => 1,
        }
    }

    /// Sends backlog tasks, in batches of consecutive ids, while few messages are out.
    fn dispatch(&self) -> Result<()> {
        let mut book = self.book.borrow_mut();
        let size = self.batch_size(&book);
        while book.batches.len() < IN_FLIGHT_MESSAGES {
            let Some(first) = book.backlog.pop_front() else {
                break;
            };
            let mut batch = vec![first];
            while batch.len() < size
                && book
                    .backlog
                    .front()
                    .is_some_and(|t| Some(t.id) == batch.last().map(|l| l.id + 1))
            {
                if let Some(task) = book.backlog.pop_front() {
                    batch.push(task);
                }
            }
            let batch_id = first_id(&batch);
            for task in &batch {
                book.in_flight.insert(task.id, (task.clone(), batch_id));
            }
            book.batches.insert(batch_id, batch.len());
            self.tasks_tx
                .send(ToWorker::Tasks(batch))
                .map_err(|e| channel_error("send a task", &e))?;
        }
        Ok(())
    }

    /// Takes every result that has already arrived, without waiting.
    fn collect_ready(&self) -> Result<()> {
        loop {
            match self.results_rx.try_recv() {
                Ok(reply) => self.record(reply),
                Err(TryRecvError::Empty) => return Ok(()),
                Err(TryRecvError::IpcError(e)) => return Err(channel_error("receive", &e)),
            }
        }
    }

    fn record(&self, message: FromWorker) {
        let mut book = self.book.borrow_mut();
        let pid = message.pid;
        for reply in message.replies {
            let micros = reply.micros as f64;
            book.task_micros = Some(match book.task_micros {
                Some(avg) => 0.8 * avg + 0.2 * micros,
                None => micros,
            });
            let id = reply.id;
            self.settle(&mut book, id, || {
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

    /// Marks task `id` answered, the first answer wins (a result and the worker's death may
    /// both arrive for the same task).
    fn settle(&self, book: &mut Book, id: u64, answer: impl FnOnce() -> Result<Vec<u8>>) {
        if take_in_flight(book, id).is_some() && book.wanted.contains(&id) {
            book.done.insert(id, answer());
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
            Ok(reply) => {
                self.record(reply);
                self.collect_ready()?;
            }
            Err(TryRecvError::Empty) => self.check_workers()?,
            Err(TryRecvError::IpcError(e)) => return Err(channel_error("receive", &e)),
        }
        self.dispatch()
    }

    /// Reaps dead workers, fails the task each was running, and forks a replacement.
    fn check_workers(&self) -> Result<()> {
        let mut dead = Vec::new();
        {
            let book = self.book.borrow();
            for (i, worker) in book.workers.iter().enumerate() {
                if let Some(how) = worker.child.try_wait()? {
                    dead.push((i, worker.child.pid.as_raw(), worker.slot, how));
                }
            }
        }
        if dead.is_empty() {
            return Ok(());
        }
        // Results a worker sent before it died are in the channel: take them first.
        self.collect_ready()?;
        for (index, pid, slot, how) in dead.into_iter().rev() {
            let held = &self.running.slots[slot];
            let current = held.current.swap(0, Ordering::SeqCst);
            let first = held.first.swap(0, Ordering::SeqCst);
            let last = held.last.swap(0, Ordering::SeqCst);
            let cause = match how {
                Ended::Signaled(signal) => format!("killed by {}", signal_name(signal)),
                Ended::Exited(code) => format!("exited with status {code}"),
            };
            {
                let mut book = self.book.borrow_mut();
                book.workers.remove(index);
                if current != 0 {
                    self.settle(&mut book, current, || {
                        Err(Error::new(
                            ErrorKind::WorkerDied,
                            format!("worker {pid} {cause} while running task {current}"),
                        )
                        .with_pid(pid))
                    });
                }
                // The rest of its batch, unanswered: sent again, to the front of the line.
                if first != 0 {
                    for id in (first..=last).rev() {
                        if let Some(task) = take_in_flight(&mut book, id) {
                            book.backlog.push_front(task);
                        }
                    }
                }
            }
            let replacement = self.spawn_worker(slot)?;
            self.book.borrow_mut().workers.push(replacement);
        }
        Ok(())
    }

    fn take_result(&self, id: u64) -> Option<Result<Vec<u8>>> {
        self.book.borrow_mut().done.remove(&id)
    }

    fn wait_for(&self, id: u64, deadline: Option<Instant>) -> Result<Vec<u8>> {
        loop {
            if let Some(result) = self.take_result(id) {
                self.book.borrow_mut().wanted.remove(&id);
                return result;
            }
            if self.book.borrow().finished {
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

impl Drop for Pool {
    fn drop(&mut self) {
        // Like Python's Pool.__del__: workers must not outlive the pool.
        let _ = self.terminate();
    }
}

impl<R: DeserializeOwned> AsyncResult<'_, R> {
    /// Waits for the task's result (Python's `get()`): its value, or why it has none (the task
    /// panicked, its worker died, the pool was terminated).
    ///
    /// ```
    /// fn fail(_: ()) -> u8 { panic!("no") }
    /// let pool = multitask::Pool::new(Some(1))?;
    /// let err = pool.apply_async(fail, ())?.get().unwrap_err();
    /// assert_eq!(err.kind(), multitask::ErrorKind::ChildPanicked);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get(&self) -> Result<R> {
        self.decode(self.pool.wait_for(self.id, None)?)
    }

    /// Like `get`, but fails with `Timeout` after `timeout`; the result is kept for a later call.
    ///
    /// ```
    /// use std::time::Duration;
    /// fn nap(ms: u64) -> u64 { std::thread::sleep(Duration::from_millis(ms)); ms }
    /// let pool = multitask::Pool::new(Some(1))?;
    /// let r = pool.apply_async(nap, 200)?;
    /// assert!(r.get_timeout(Duration::from_millis(1)).is_err());
    /// assert_eq!(r.get_timeout(Duration::from_secs(10))?, 200);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_timeout(&self, timeout: Duration) -> Result<R> {
        self.decode(
            self.pool
                .wait_for(self.id, Some(Instant::now() + timeout))?,
        )
    }

    fn decode(&self, bytes: Vec<u8>) -> Result<R> {
        postcard::from_bytes(&bytes).map_err(|e| {
            Error::new(
                ErrorKind::Deserialize,
                format!("a {}: {e}", std::any::type_name::<R>()),
            )
        })
    }
}

impl<R> Drop for AsyncResult<'_, R> {
    fn drop(&mut self) {
        let mut book = self.pool.book.borrow_mut();
        book.wanted.remove(&self.id);
        book.done.remove(&self.id);
    }
}

fn first_id(batch: &[Task]) -> u64 {
    batch.first().map_or(0, |t| t.id)
}

/// Removes an answered (or re-queued) task from the books, and its batch once all answered.
fn take_in_flight(book: &mut Book, id: u64) -> Option<Task> {
    let (task, batch) = book.in_flight.remove(&id)?;
    if let Some(left) = book.batches.get_mut(&batch) {
        *left -= 1;
        if *left == 0 {
            book.batches.remove(&batch);
        }
    }
    Some(task)
}

type Trampoline = fn(usize, &[u8]) -> std::result::Result<Vec<u8>, String>;

/// Decodes the argument, calls `func` (a `fn(A) -> R`), encodes the result.
fn trampoline<A, R>(func: usize, args: &[u8]) -> std::result::Result<Vec<u8>, String>
where
    A: DeserializeOwned,
    R: Serialize,
{
    // SAFETY: `func` is the address of a `fn(A) -> R` taken in apply_async of the parent this
    // worker was forked from, paired with this very instantiation of the trampoline.
    let func: fn(A) -> R = unsafe { std::mem::transmute::<usize, fn(A) -> R>(func) };
    let args: A = postcard::from_bytes(args)
        .map_err(|e| format!("cannot decode a {}: {e}", std::any::type_name::<A>()))?;
    postcard::to_allocvec(&func(args))
        .map_err(|e| format!("cannot encode a {}: {e}", std::any::type_name::<R>()))
}

fn run_chunk<A, R>((func, chunk): (usize, Vec<A>)) -> Vec<R> {
    // SAFETY: as in trampoline: `func` is a `fn(A) -> R` of this program, sent by map.
    let func: fn(A) -> R = unsafe { std::mem::transmute::<usize, fn(A) -> R>(func) };
    chunk.into_iter().map(func).collect()
}

fn channel_error(what: &str, e: &dyn fmt::Display) -> Error {
    Error::new(ErrorKind::Channel, format!("pool {what}: {e}"))
}
