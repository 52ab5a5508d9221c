//! `JoinableQueue` and `SimpleQueue`: Python's `multiprocessing.JoinableQueue` and
//! `multiprocessing.SimpleQueue`, both a [`Queue`] with a shared count beside it.

use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorKind, Result};
use crate::futex;
use crate::queue::Queue;
use crate::shm::{Shared, ZeroedAtomics};

/// A joiner looks again this often (the last `task_done` always wakes every joiner).
const SLICE: Duration = Duration::from_millis(50);

#[repr(C)]
#[derive(Debug)]
struct Count {
    /// Items put and not yet marked done (or, for a `SimpleQueue`, not yet taken): the futex
    /// word joiners sleep on.
    items: AtomicU32,
    sleepers: AtomicU32,
}

// SAFETY: atomics only; all zero is an empty count.
unsafe impl ZeroedAtomics for Count {}

/// A queue that counts unfinished tasks, like `multiprocessing.JoinableQueue()`: every `put`
/// adds one, every `task_done` takes one off, and `join` waits until none is left.
///
/// As in Python, a consumer that dies between `get` and `task_done` leaves its task
/// unfinished for ever, and `join` waits for it while any other process holding the queue
/// lives; once none does, `join` answers `Disconnected` instead of waiting for ever.
///
/// ```
/// use multitask::{JoinableQueue, Process};
/// let tasks = JoinableQueue::new()?;
/// let mut worker = Process::new(|| -> multitask::Result<()> {
///     for _ in 0..3 {
///         let n: u32 = tasks.get()?;
///         println!("done {n}");
///         tasks.task_done()?;
///     }
///     Ok(())
/// });
/// worker.start()?;
/// for n in 0..3 {
///     tasks.put(n)?;
/// }
/// tasks.join()?; // every task done
/// worker.join()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct JoinableQueue<T> {
    queue: Queue<T>,
    count: Shared<Count>,
}

impl<T> fmt::Debug for JoinableQueue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinableQueue")
            .field("unfinished", &self.count.items.load(Ordering::Relaxed))
            .finish()
    }
}

impl<T: Serialize + DeserializeOwned> JoinableQueue<T> {
    /// An empty queue with no unfinished task. Create it before forking.
    ///
    /// ```
    /// let q: multitask::JoinableQueue<u8> = multitask::JoinableQueue::new()?;
    /// q.join()?; // nothing unfinished: returns at once
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new() -> Result<Self> {
        Ok(JoinableQueue {
            queue: Queue::new()?,
            count: Shared::new()?,
        })
    }

    /// Python's `q.put(item)`: one more unfinished task, then as [`Queue::put`].
    ///
    /// ```
    /// let q = multitask::JoinableQueue::new()?;
    /// q.put(1u8)?;
    /// assert_eq!(q.get()?, 1);
    /// q.task_done()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn put(&self, item: T) -> Result<()> {
        self.count.items.fetch_add(1, Ordering::SeqCst);
        self.queue.put(item).inspect_err(|_| self.finished_one())
    }

    /// Python's `q.get()`: as [`Queue::get`].
    ///
    /// ```
    /// let q = multitask::JoinableQueue::new()?;
    /// q.put("a".to_string())?;
    /// assert_eq!(q.get()?, "a");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get(&self) -> Result<T> {
        self.queue.get()
    }

    /// Python's `q.get(timeout=t)`: as [`Queue::get_timeout`].
    ///
    /// ```
    /// let q: multitask::JoinableQueue<u8> = multitask::JoinableQueue::new()?;
    /// assert!(q.get_timeout(std::time::Duration::from_millis(1)).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_timeout(&self, timeout: Duration) -> Result<T> {
        self.queue.get_timeout(timeout)
    }

    /// Python's `q.task_done()`: one task taken with `get` is finished. A `State` error when
    /// called more times than items were put (Python's `ValueError`).
    ///
    /// ```
    /// let q: multitask::JoinableQueue<u8> = multitask::JoinableQueue::new()?;
    /// let err = q.task_done().unwrap_err();
    /// assert_eq!(err.kind(), multitask::ErrorKind::State);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn task_done(&self) -> Result<()> {
        let items = &self.count.items;
        let mut seen = items.load(Ordering::SeqCst);
        loop {
            if seen == 0 {
                return Err(Error::new(
                    ErrorKind::State,
                    "task_done() called too many times",
                ));
            }
            match items.compare_exchange_weak(seen, seen - 1, Ordering::SeqCst, Ordering::SeqCst) {
                Ok(_) => break,
                Err(now) => seen = now,
            }
        }
        if seen == 1 && self.count.sleepers.load(Ordering::SeqCst) > 0 {
            futex::wake(items, i32::MAX);
        }
        Ok(())
    }

    fn finished_one(&self) {
        let _ = self.task_done();
    }

    /// Python's `q.join()`: waits until every item put has been marked done. Fails with
    /// `Disconnected` when tasks are left unfinished and every other process holding the queue
    /// has exited (nobody is left to finish them), where Python's would wait for ever.
    ///
    /// ```
    /// let q = multitask::JoinableQueue::new()?;
    /// q.put(1u8)?;
    /// q.get()?;
    /// q.task_done()?;
    /// q.join()?;
    /// q.put(2u8)?; // never taken, and no other process holds the queue
    /// assert_eq!(q.join().unwrap_err().kind(), multitask::ErrorKind::Disconnected);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn join(&self) -> Result<()> {
        let items = &self.count.items;
        loop {
            let seen = items.load(Ordering::SeqCst);
            if seen == 0 {
                return Ok(());
            }
            if self.queue.others_gone() {
                // Read again once they are gone: the last task_done may land just before its
                // process exits, after the read above.
                let seen = items.load(Ordering::SeqCst);
                if seen == 0 {
                    return Ok(());
                }
                return Err(Error::new(
                    ErrorKind::Disconnected,
                    format!(
                        "{seen} task(s) unfinished and every other process holding the queue \
                         has exited"
                    ),
                ));
            }
            self.count.sleepers.fetch_add(1, Ordering::SeqCst);
            futex::wait(items, seen, SLICE);
            self.count.sleepers.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// The plainest queue, like `multiprocessing.SimpleQueue()`: `put`, `get` and `empty`.
///
/// ```
/// use multitask::{Process, SimpleQueue};
/// let q = SimpleQueue::new()?;
/// let mut p = Process::new(|| q.put(42u64));
/// p.start()?;
/// assert_eq!(q.get()?, 42);
/// p.join()?;
/// assert!(q.empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct SimpleQueue<T> {
    queue: Queue<T>,
    count: Shared<Count>,
}

impl<T> fmt::Debug for SimpleQueue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimpleQueue")
            .field("items", &self.count.items.load(Ordering::Relaxed))
            .finish()
    }
}

impl<T: Serialize + DeserializeOwned> SimpleQueue<T> {
    /// An empty queue. Create it before forking.
    ///
    /// ```
    /// let q: multitask::SimpleQueue<String> = multitask::SimpleQueue::new()?;
    /// assert!(q.empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new() -> Result<Self> {
        Ok(SimpleQueue {
            queue: Queue::new()?,
            count: Shared::new()?,
        })
    }

    /// Python's `q.put(item)`, as [`Queue::put`].
    ///
    /// ```
    /// let q = multitask::SimpleQueue::new()?;
    /// q.put(1i8)?;
    /// assert!(!q.empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn put(&self, item: T) -> Result<()> {
        self.count.items.fetch_add(1, Ordering::SeqCst);
        self.queue
            .put(item)
            .inspect_err(|_| _ = self.count.items.fetch_sub(1, Ordering::SeqCst))
    }

    /// Python's `q.get()`, as [`Queue::get`] (which answers `Disconnected` where Python's
    /// would wait for ever).
    ///
    /// ```
    /// let q = multitask::SimpleQueue::new()?;
    /// q.put('x')?;
    /// assert_eq!(q.get()?, 'x');
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get(&self) -> Result<T> {
        let item = self.queue.get()?;
        self.count.items.fetch_sub(1, Ordering::SeqCst);
        Ok(item)
    }

    /// Python's `q.empty()`: true when no item put is waiting to be taken (a put that has
    /// returned counts at once).
    ///
    /// ```
    /// let q = multitask::SimpleQueue::new()?;
    /// q.put(0u8)?;
    /// q.get()?;
    /// assert!(q.empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn empty(&self) -> bool {
        self.count.items.load(Ordering::SeqCst) == 0
    }
}
