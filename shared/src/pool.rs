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

/// Tasks sent but not yet answered, at most: with this few small messages in flight neither
/// socket buffer fills, so the parent never blocks on a send while a worker blocks on its reply.
const IN_FLIGHT: usize = 96;
/// How often a waiting parent checks that its workers are alive.
const HEALTH_CHECK: Duration = Duration::from_millis(50);
/// The most workers a pool can have (one shared slot each).
const MAX_WORKERS: usize = 256;

/// The task a worker runs: `call` is a monomorphized trampoline that decodes the arguments,
/// calls `func` and encodes the result. Both are addresses in this very program, which the
/// workers share because they are forks of it (Python pickles a function by name instead).
#[derive(Serialize, Deserialize)]
enum ToWorker {
    Task {
        id: u64,
        call: usize,
        func: usize,
        args: Vec<u8>,
    },
    Stop,
}

#[derive(Serialize, Deserialize)]
struct FromWorker {
    id: u64,
    pid: i32,
    /// The encoded result, or the panic message.
    result: std::result::Result<Vec<u8>, String>,
}

/// The id of the task each worker is running (0 when idle), so the parent knows which task a
/// dead worker took with it.
#[repr(C)]
struct Running {
    task: [AtomicU64; MAX_WORKERS],
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
    /// Tasks not yet sent, because IN_FLIGHT were out.
    backlog: VecDeque<ToWorker>,
    /// Tasks sent and not yet answered.
    in_flight: HashSet<u64>,
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
/// let pool = Pool::new(Some(2)).unwrap();
/// let r = pool.apply_async(square, 7).unwrap();
/// assert_eq!(r.get().unwrap(), 49);
/// pool.close().unwrap();
/// pool.join().unwrap();
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
/// let pool = multitask::Pool::new(Some(1)).unwrap();
/// let handle: multitask::AsyncResult<'_, i64> = pool.apply_async(inc, 1).unwrap();
/// assert_eq!(handle.get().unwrap(), 2);
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
    /// let pool = multitask::Pool::new(None).unwrap();
    /// assert_eq!(pool.size(), multitask::cpu_count());
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
    /// assert_eq!(multitask::Pool::new(Some(3)).unwrap().size(), 3);
    /// ```
    pub fn size(&self) -> usize {
        self.size
    }

    /// The workers' pids, in slot order.
    ///
    /// ```
    /// let pool = multitask::Pool::new(Some(2)).unwrap();
    /// assert_eq!(pool.worker_pids().len(), 2);
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

    /// The worker's loop: take a task, run it, send its result; until Stop or the pool is gone.
    fn work(&self, slot: usize) {
        let me = current_pid();
        while let Ok(ToWorker::Task {
            id,
            call,
            func,
            args,
        }) = self.tasks_rx.recv()
        {
            self.running.task[slot].store(id, Ordering::SeqCst);
            // SAFETY: `call` is the address of `trampoline::<A, R>` taken in the parent, of
            // which this process is a fork: the same code at the same address.
            let call: Trampoline = unsafe { std::mem::transmute::<usize, Trampoline>(call) };
            let result = match catch_unwind(AssertUnwindSafe(|| call(func, &args))) {
                Ok(result) => result,
                Err(payload) => Err(panic_message(payload.as_ref())),
            };
            let sent = self.results_tx.send(FromWorker {
                id,
                pid: me,
                result,
            });
            // Cleared after the send: a worker killed in between is seen as dying in the task,
            // and the parent keeps whichever of the result and the death it sees first.
            self.running.task[slot].store(0, Ordering::SeqCst);
            if sent.is_err() {
                break;
            }
        }
    }

    /// Runs `func(args)` in a worker (Python's `apply_async(func, args=(...))`).
    ///
    /// ```
    /// fn greet(name: String) -> String { format!("hi {name}") }
    /// let pool = multitask::Pool::new(Some(1)).unwrap();
    /// let r = pool.apply_async(greet, "Bob".to_string()).unwrap();
    /// assert_eq!(r.get().unwrap(), "hi Bob");
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
            book.backlog.push_back(ToWorker::Task {
                id,
                call: trampoline::<A, R> as Trampoline as usize,
                func: func as usize,
                args,
            });
            id
        };
        self.collect_ready()?;
        self.dispatch()?;
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
    /// let pool = multitask::Pool::new(Some(2)).unwrap();
    /// assert_eq!(pool.map(double, vec![1, 2, 3], 2).unwrap(), vec![2, 4, 6]);
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
    /// let pool = multitask::Pool::new(Some(1)).unwrap();
    /// pool.close().unwrap();
    /// assert!(pool.apply_async(id, 1).is_err());
    /// pool.join().unwrap();
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
    /// let pool = multitask::Pool::new(Some(2)).unwrap();
    /// for i in 0..5 { pool.apply_async(id, i).unwrap(); }
    /// pool.close().unwrap();
    /// pool.join().unwrap();
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
    /// let pool = multitask::Pool::new(Some(1)).unwrap();
    /// let r = pool.apply_async(nap, 10_000).unwrap();
    /// pool.terminate().unwrap();
    /// assert!(r.get().is_err());
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

    /// Sends backlog tasks while fewer than IN_FLIGHT are out.
    fn dispatch(&self) -> Result<()> {
        let mut book = self.book.borrow_mut();
        while book.in_flight.len() < IN_FLIGHT {
            let Some(task) = book.backlog.pop_front() else {
                break;
            };
            if let ToWorker::Task { id, .. } = &task {
                book.in_flight.insert(*id);
            }
            self.tasks_tx
                .send(task)
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

    fn record(&self, reply: FromWorker) {
        let mut book = self.book.borrow_mut();
        self.settle(&mut book, reply.id, || {
            reply.result.map_err(|message| {
                Error::new(
                    ErrorKind::ChildPanicked,
                    format!("task {} panicked: {message}", reply.id),
                )
                .with_pid(reply.pid)
            })
        });
    }

    /// Marks task `id` answered, the first answer wins (a result and the worker's death may
    /// both arrive for the same task).
    fn settle(&self, book: &mut Book, id: u64, answer: impl FnOnce() -> Result<Vec<u8>>) {
        if book.in_flight.remove(&id) && book.wanted.contains(&id) {
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
            let task = self.running.task[slot].swap(0, Ordering::SeqCst);
            let cause = match how {
                Ended::Signaled(signal) => format!("killed by {}", signal_name(signal)),
                Ended::Exited(code) => format!("exited with status {code}"),
            };
            {
                let mut book = self.book.borrow_mut();
                book.workers.remove(index);
                if task != 0 {
                    self.settle(&mut book, task, || {
                        Err(Error::new(
                            ErrorKind::WorkerDied,
                            format!("worker {pid} {cause} while running task {task}"),
                        )
                        .with_pid(pid))
                    });
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
    /// let pool = multitask::Pool::new(Some(1)).unwrap();
    /// let err = pool.apply_async(fail, ()).unwrap().get().unwrap_err();
    /// assert_eq!(err.kind(), multitask::ErrorKind::ChildPanicked);
    /// ```
    pub fn get(&self) -> Result<R> {
        self.decode(self.pool.wait_for(self.id, None)?)
    }

    /// Like `get`, but fails with `Timeout` after `timeout`; the result is kept for a later call.
    ///
    /// ```
    /// use std::time::Duration;
    /// fn nap(ms: u64) -> u64 { std::thread::sleep(Duration::from_millis(ms)); ms }
    /// let pool = multitask::Pool::new(Some(1)).unwrap();
    /// let r = pool.apply_async(nap, 200).unwrap();
    /// assert!(r.get_timeout(Duration::from_millis(1)).is_err());
    /// assert_eq!(r.get_timeout(Duration::from_secs(10)).unwrap(), 200);
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
