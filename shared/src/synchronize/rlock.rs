//! `RLock`: Python's `multiprocessing.RLock`.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use crate::error::Result;
use crate::os::thread_id;
use crate::shm::{Shared, ZeroedAtomics};
use crate::synchronize::owned::{OwnedWord, Took};

/// The shared part of an `RLock`: the word, and how many times its holder took it (only the
/// holder touches the count).
#[repr(C)]
#[derive(Debug, Default)]
pub(crate) struct RLockState {
    word: OwnedWord,
    depth: AtomicU32,
}

// SAFETY: atomics only; all zero is free.
unsafe impl ZeroedAtomics for RLockState {}

/// A recursive lock between processes, like `multiprocessing.RLock()`: the thread that holds it
/// may take it again, and it is free once released as many times as taken. Only its holder may
/// release it (through the guard). The holder is a thread of a process (Python's pid and
/// thread id; here the kernel's thread id, unique on the machine).
///
/// A holder that dies, or whose thread ends, holding it: the next `acquire` takes it over
/// within 50 ms, as [`Lock`](crate::Lock) does, and [`RLockGuard::holder_died`] says so.
///
/// ```
/// let lock = multitask::RLock::new()?;
/// let outer = lock.acquire();
/// let inner = lock.acquire(); // the same thread: no deadlock
/// drop(inner);
/// drop(outer);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct RLock {
    state: Shared<RLockState>,
}

/// A held [`RLock`] (one level of it); released when dropped.
///
/// ```
/// let lock = multitask::RLock::new()?;
/// let outer = lock.acquire();
/// drop(lock.acquire()); // one level let go: still held by `outer`
/// drop(outer);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
#[must_use = "the lock is released at once if the guard is not kept"]
pub struct RLockGuard<'a> {
    lock: &'a RLock,
    holder_died: Option<i32>,
    /// Not `Send`: only the holding thread may release.
    _not_send: std::marker::PhantomData<*const ()>,
}

impl RLock {
    /// A free recursive lock in memory every later fork shares; `Os` error when the mapping
    /// fails.
    ///
    /// ```
    /// let lock = multitask::RLock::new()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new() -> Result<Self> {
        Ok(RLock {
            state: Shared::new()?,
        })
    }

    /// Python's `rlock.acquire()`: at once if this thread holds it, else as long as it takes.
    ///
    /// ```
    /// let lock = multitask::RLock::new()?;
    /// let _a = lock.acquire();
    /// let _b = lock.acquire();
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn acquire(&self) -> RLockGuard<'_> {
        loop {
            // Without a deadline a take never gives up: this runs once.
            if let Some(guard) = self.take(None) {
                return guard;
            }
        }
    }

    /// Python's `rlock.acquire(timeout=t)`: `None` when `timeout` passed first.
    ///
    /// ```
    /// use std::time::Duration;
    /// use multitask::{Process, RLock};
    /// let lock = RLock::new()?;
    /// let _held = lock.acquire();
    /// let mut p = Process::new(|| assert!(lock.acquire_timeout(Duration::from_millis(5)).is_none()));
    /// p.start()?;
    /// p.join()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn acquire_timeout(&self, timeout: Duration) -> Option<RLockGuard<'_>> {
        self.take(crate::deadline::after(timeout))
    }

    /// Python's `rlock.acquire(False)`.
    ///
    /// ```
    /// let lock = multitask::RLock::new()?;
    /// assert!(lock.try_acquire().is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn try_acquire(&self) -> Option<RLockGuard<'_>> {
        let me = thread_id();
        if self.state.word.holder() == me || self.state.word.try_take(me) {
            self.state.depth.fetch_add(1, Ordering::Relaxed);
            return Some(self.guard(None));
        }
        None
    }

    fn take(&self, deadline: Option<std::time::Instant>) -> Option<RLockGuard<'_>> {
        let me = thread_id();
        if self.state.word.holder() == me {
            self.state.depth.fetch_add(1, Ordering::Relaxed);
            return Some(self.guard(None));
        }
        let holder_died = match self.state.word.take(me, deadline) {
            Took::Free => None,
            Took::FromDead(tid) => Some(tid as i32),
            Took::TimedOut => return None,
        };
        self.state.depth.store(1, Ordering::Relaxed);
        Some(self.guard(holder_died))
    }

    fn guard(&self, holder_died: Option<i32>) -> RLockGuard<'_> {
        RLockGuard {
            lock: self,
            holder_died,
            _not_send: std::marker::PhantomData,
        }
    }

    /// Lets go of every level this thread holds, for a condition's wait; the depth to restore.
    pub(crate) fn release_all(&self) -> u32 {
        let depth = self.state.depth.swap(0, Ordering::Relaxed);
        self.state.word.give();
        depth
    }

    /// Takes the lock back at `depth` after `release_all`.
    pub(crate) fn restore(&self, depth: u32) -> Option<i32> {
        let died = match self.state.word.take(thread_id(), None) {
            Took::FromDead(tid) => Some(tid as i32),
            _ => None,
        };
        self.state.depth.store(depth, Ordering::Relaxed);
        died
    }
}

impl RLockGuard<'_> {
    /// Python's `rlock.release()` (one level): the same as dropping the guard.
    ///
    /// ```
    /// let lock = multitask::RLock::new()?;
    /// lock.acquire().release();
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn release(self) {}

    /// The thread id of a holder that died holding the lock, which this acquire took over.
    ///
    /// ```
    /// let lock = multitask::RLock::new()?;
    /// assert_eq!(lock.acquire().holder_died(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn holder_died(&self) -> Option<i32> {
        self.holder_died
    }

    pub(crate) fn lock(&self) -> &RLock {
        self.lock
    }
}

impl Drop for RLockGuard<'_> {
    fn drop(&mut self) {
        let state = &self.lock.state;
        // Only the holder has a guard, so the depth is ours to change.
        if state.depth.fetch_sub(1, Ordering::Relaxed) == 1 {
            state.word.give();
        }
    }
}
