//! `Condition`: Python's `multiprocessing.Condition`.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use crate::error::Result;
use crate::futex;
use crate::shm::{Shared, ZeroedAtomics};
use crate::synchronize::rlock::{RLock, RLockGuard};

#[repr(C)]
#[derive(Debug)]
struct Notices {
    /// Processes in `wait` not yet notified; changed under the lock.
    waiting: AtomicU32,
    /// Notices given and not yet taken, one a waiter: the futex word waiters sleep on.
    tokens: AtomicU32,
}

impl Notices {
    fn take_token(&self) -> bool {
        let mut seen = self.tokens.load(Ordering::SeqCst);
        while seen > 0 {
            match self.tokens.compare_exchange_weak(
                seen,
                seen - 1,
                Ordering::SeqCst,
                Ordering::SeqCst,
            ) {
                Ok(_) => return true,
                Err(now) => seen = now,
            }
        }
        false
    }
}

// SAFETY: atomics only; all zero is no notice and nobody waiting.
unsafe impl ZeroedAtomics for Notices {}

/// A condition variable between processes, like `multiprocessing.Condition()` (on its own
/// `RLock`, Python's default): hold it, `wait` for a notice (the lock is let go while
/// waiting), `notify` waiters while holding it.
///
/// Waiting and notifying are methods of the guard, so "the lock must be held" (Python's
/// `RuntimeError`) cannot happen. `notify(n)` wakes at most `n` of the processes waiting when
/// it is called, as in Python. A waiter that dies while waiting is still counted: the notice
/// meant for it goes to the next waiter instead.
///
/// ```
/// use multitask::{Condition, Process, Value};
/// let cond = Condition::new()?;
/// let items = Value::new(0u32)?;
/// let mut producer = Process::new(|| {
///     let held = cond.acquire();
///     items.set(1);
///     held.notify(1);
/// });
/// producer.start()?;
/// let held = cond.acquire();
/// assert!(held.wait_for(|| items.get() > 0, None));
/// drop(held);
/// producer.join()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Condition {
    lock: RLock,
    notices: Shared<Notices>,
}

/// A held [`Condition`]; lets go of its lock when dropped.
///
/// ```
/// let cond = multitask::Condition::new()?;
/// let held = cond.acquire(); // with cond:
/// held.notify_all();
/// drop(held);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
#[must_use = "the lock is released at once if the guard is not kept"]
pub struct ConditionGuard<'a> {
    condition: &'a Condition,
    held: RLockGuard<'a>,
}

impl Condition {
    /// A condition on a new `RLock`, in memory every later fork shares.
    ///
    /// ```
    /// let cond = multitask::Condition::new()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new() -> Result<Self> {
        Ok(Condition {
            lock: RLock::new()?,
            notices: Shared::new()?,
        })
    }

    /// Python's `with cond:` / `cond.acquire()`: takes the lock (recursively, as an `RLock`).
    ///
    /// ```
    /// let cond = multitask::Condition::new()?;
    /// let held = cond.acquire();
    /// held.notify_all(); // nobody waits: nothing happens
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn acquire(&self) -> ConditionGuard<'_> {
        ConditionGuard {
            condition: self,
            held: self.lock.acquire(),
        }
    }

    /// Python's `cond.acquire(timeout=t)`: `None` when `timeout` passed first.
    ///
    /// ```
    /// let cond = multitask::Condition::new()?;
    /// assert!(cond.acquire_timeout(std::time::Duration::from_millis(5)).is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn acquire_timeout(&self, timeout: Duration) -> Option<ConditionGuard<'_>> {
        self.lock
            .acquire_timeout(timeout)
            .map(|held| ConditionGuard {
                condition: self,
                held,
            })
    }
}

impl ConditionGuard<'_> {
    /// Python's `cond.wait(timeout)`: lets go of the lock (every level this thread holds),
    /// sleeps until notified or `timeout` passed (`None`: as long as it takes), and takes the
    /// lock back before returning. False when the timeout passed.
    ///
    /// ```
    /// let cond = multitask::Condition::new()?;
    /// let held = cond.acquire();
    /// assert!(!held.wait(Some(std::time::Duration::from_millis(5))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn wait(&self, timeout: Option<Duration>) -> bool {
        self.wait_until(timeout.and_then(crate::deadline::after))
    }

    fn wait_until(&self, deadline: Option<Instant>) -> bool {
        let notices = &self.condition.notices;
        // Counted while the lock is held, so a notify under the lock sees this waiter.
        notices.waiting.fetch_add(1, Ordering::SeqCst);
        let lock = self.held.lock();
        let depth = lock.release_all();
        let mut notified = false;
        loop {
            if notices.take_token() {
                notified = true;
                break;
            }
            match crate::deadline::next_slice(deadline, Duration::from_millis(50)) {
                Some(slice) => futex::wait(&notices.tokens, 0, slice),
                None => break,
            };
        }
        lock.restore(depth);
        // Timed out: a notice given meanwhile is ours (it counted us); else we stop counting.
        if !notified {
            notified = notices.take_token();
            if !notified {
                notices.waiting.fetch_sub(1, Ordering::SeqCst);
            }
        }
        notified
    }

    /// Python's `cond.wait_for(predicate, timeout)`: waits until `predicate` is true, looking
    /// at it first and after every notice, at most `timeout` in all; returns its last value.
    ///
    /// ```
    /// let cond = multitask::Condition::new()?;
    /// let held = cond.acquire();
    /// assert!(held.wait_for(|| true, None));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn wait_for(&self, mut predicate: impl FnMut() -> bool, timeout: Option<Duration>) -> bool {
        let deadline = timeout.and_then(crate::deadline::after);
        loop {
            if predicate() {
                return true;
            }
            if !self.wait_until(deadline)
                && crate::deadline::next_slice(deadline, Duration::MAX).is_none()
            {
                return predicate();
            }
        }
    }

    /// Python's `cond.notify(n)`: wakes up to `n` waiters.
    ///
    /// ```
    /// let cond = multitask::Condition::new()?;
    /// cond.acquire().notify(1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn notify(&self, n: u32) {
        let notices = &self.condition.notices;
        let waiting = notices.waiting.load(Ordering::SeqCst);
        let woken = n.min(waiting);
        if woken > 0 {
            notices.waiting.fetch_sub(woken, Ordering::SeqCst);
            notices.tokens.fetch_add(woken, Ordering::SeqCst);
            futex::wake(&notices.tokens, woken.min(i32::MAX as u32) as i32);
        }
    }

    /// Python's `cond.notify_all()`.
    ///
    /// ```
    /// let cond = multitask::Condition::new()?;
    /// cond.acquire().notify_all();
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn notify_all(&self) {
        self.notify(u32::MAX);
    }

    /// Lets go of the lock: the same as dropping the guard.
    ///
    /// ```
    /// let cond = multitask::Condition::new()?;
    /// cond.acquire().release();
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn release(self) {}
}
