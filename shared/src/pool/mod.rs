//! `Pool`: Python's `multiprocessing.Pool`, worker processes forked once and reused.
//!
//! Inside: the messages between parent and workers (`messages`), the bookkeeping as plain data
//! (`book`), the function-pointer casts that call a task (`call`), a worker's loop (`worker`),
//! the parent's side that drives them (`engine`) and waits for answers (`waits`), callbacks
//! waiting for results (`callbacks`). The public API: this file (the pool's life and single
//! tasks), `builder` (Python's `Pool(...)` arguments), `maps` (the `map` family), `imap` and
//! `async_result`.

mod async_result;
mod book;
mod builder;
mod call;
mod callbacks;
mod engine;
mod imap;
mod maps;
mod messages;
mod waits;
mod worker;

use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::codec;
use crate::error::{Error, ErrorKind, Result};
pub use async_result::AsyncResult;
pub use builder::PoolBuilder;
use engine::Engine;
pub use imap::IMapIterator;

/// A pool of worker processes, like `multiprocessing.Pool(processes)`.
///
/// Workers are forked when the pool is made and reused for every task; a task is a plain `fn`
/// (not a closure: like Python, which pickles a function by name) and its argument and result
/// travel serialized. A worker that dies in a task fails that task's [`AsyncResult::get`] with
/// [`ErrorKind::WorkerDied`] and is replaced; tasks it had received but not started go to
/// another worker. A task that panics fails its `get` with [`ErrorKind::ChildPanicked`]; an
/// argument or result that does not serialize or deserialize, on either side, with
/// [`ErrorKind::Serialize`] or [`ErrorKind::Deserialize`] and serde's own message.
///
/// The pool never waits on a send: tasks wait in the parent until a worker's socket takes
/// them, so arguments and results of any size cross both ways at once; at most about 1 MiB of
/// arguments is out with a worker. The work goes on while this process calls into the pool
/// (`apply_async`, `get`, `join`): Python runs threads for that, this pool runs none. The
/// workers are daemons (see [`Process::set_daemon`](crate::Process::set_daemon)), and only
/// the process that made the pool may use it.
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
    engine: Engine,
}

impl fmt::Debug for Pool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool").field("size", &self.size()).finish()
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
        Pool::builder().processes(processes).build()
    }

    /// Python's `Pool(processes, initializer, initargs, maxtasksperchild)`, one option at a
    /// time: see [`PoolBuilder`].
    ///
    /// ```
    /// let pool = multitask::Pool::builder().processes(Some(2)).maxtasksperchild(10).build()?;
    /// assert_eq!(pool.size(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder() -> PoolBuilder {
        PoolBuilder::default()
    }

    /// The number of worker processes.
    ///
    /// ```
    /// assert_eq!(multitask::Pool::new(Some(3))?.size(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn size(&self) -> usize {
        self.engine.size()
    }

    /// The workers' pids, in slot order.
    ///
    /// ```
    /// let pool = multitask::Pool::new(Some(2))?;
    /// assert_eq!(pool.worker_pids().len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn worker_pids(&self) -> Vec<i32> {
        self.engine.worker_pids()
    }

    /// Runs `func(args)` in a worker and waits for its result (Python's `apply`).
    ///
    /// ```
    /// fn cube(x: i64) -> i64 { x * x * x }
    /// let pool = multitask::Pool::new(Some(1))?;
    /// assert_eq!(pool.apply(cube, 3)?, 27);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply<A, R>(&self, func: fn(A) -> R, args: A) -> Result<R>
    where
        A: Serialize + DeserializeOwned,
        R: Serialize + DeserializeOwned,
    {
        self.apply_async(func, args)?.get()
    }

    /// Runs `func(args)` in a worker (Python's `apply_async(func, args=(...))`). For Python's
    /// `callback` and `error_callback`, see [`AsyncResult::callback`].
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
        let args = codec::encode(&args)?;
        let id = self
            .engine
            .submit(call::trampoline_address::<A, R>(), func as usize, args)?;
        Ok(AsyncResult {
            pool: self,
            ids: vec![id],
            assemble: async_result::one::<R>,
        })
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
        self.engine.check_owner()?;
        self.engine.book.borrow_mut().close();
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
        self.engine.check_owner()?;
        if !self.engine.book.borrow().is_closed() {
            return Err(Error::new(
                ErrorKind::State,
                "join() before close(): the pool would wait forever",
            ));
        }
        self.engine.drain()?;
        self.engine.stop_workers()
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
        self.engine.check_owner()?;
        self.engine.terminate()
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        // The end of a scope closes and joins the pool: every task submitted runs and its
        // callbacks are called (Python's `with Pool()` terminates instead, which drops the
        // tasks still running; an explicit `terminate()` does that here). While a panic
        // unwinds, the workers are stopped at once, as Python's `Pool.__del__` does. A copy of
        // the pool in a forked child (that returns from main, say) leaves its parent's workers
        // alone.
        if self.engine.check_owner().is_err() {
            return;
        }
        if std::thread::panicking() {
            let _ = self.terminate();
            return;
        }
        let _ = self.close();
        if self.join().is_err() {
            let _ = self.terminate();
        }
    }
}
