//! `Lock`: Python's `multiprocessing.Lock`.

use std::time::Duration;

use crate::error::{Error, ErrorKind, Result};
use crate::os::current_pid;
use crate::shm::{Shared, ZeroedAtomics};
use crate::synchronize::owned::{OwnedWord, Took};

// SAFETY: one atomic word; zero is free.
unsafe impl ZeroedAtomics for OwnedWord {}

/// A lock between processes, like `multiprocessing.Lock()`: one holder at a time, not
/// recursive (a second `acquire` in the holding process waits, as in Python).
///
/// Make it before starting the processes that share it. `acquire` returns a guard that
/// releases when dropped: the `with lock:` of Python. As in Python, a `Lock` may also be
/// released by a process other than the one that took it: [`LockGuard::keep`] leaves it held,
/// [`Lock::release`] lets it go from anywhere.
///
/// Where Python differs: a process that dies holding a Python lock blocks every other process
/// for ever. Here the next `acquire` notices within 50 ms that the holder is gone and takes the
/// lock over, and its guard says so ([`LockGuard::holder_died`]): what the lock guarded may be
/// half changed, as after a robust mutex's `EOWNERDEAD`. (A holder's pid reused by a new
/// process within those 50 ms would still pass for alive.)
///
/// ```
/// use multitask::{Lock, Process};
/// let lock = Lock::new()?;
/// let mut p = Process::new(|| {
///     let _held = lock.acquire(); // with lock:
///     println!("child has the lock");
/// });
/// p.start()?;
/// {
///     let _held = lock.acquire();
///     println!("parent has the lock");
/// }
/// p.join()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Lock {
    word: Shared<OwnedWord>,
}

/// A held [`Lock`]; released when dropped (the end of Python's `with lock:` block).
///
/// ```
/// let lock = multitask::Lock::new()?;
/// {
///     let _held = lock.acquire();
///     assert!(lock.try_acquire().is_none());
/// }
/// assert!(lock.try_acquire().is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
#[must_use = "the lock is released at once if the guard is not kept"]
pub struct LockGuard<'a> {
    lock: Option<&'a Lock>,
    holder_died: Option<i32>,
}

fn my_pid() -> u32 {
    current_pid() as u32
}

impl Lock {
    /// A free lock in memory every later fork shares; `Os` error when the mapping fails.
    ///
    /// ```
    /// let lock = multitask::Lock::new()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new() -> Result<Self> {
        Ok(Lock {
            word: Shared::new()?,
        })
    }

    /// Python's `lock.acquire()`: waits as long as it takes.
    ///
    /// ```
    /// let lock = multitask::Lock::new()?;
    /// let held = lock.acquire();
    /// assert!(lock.try_acquire().is_none());
    /// drop(held);
    /// assert!(lock.try_acquire().is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn acquire(&self) -> LockGuard<'_> {
        loop {
            // Without a deadline a take never gives up: this runs once.
            if let Some(guard) = self.take(None) {
                return guard;
            }
        }
    }

    /// Python's `lock.acquire(timeout=t)`: `None` (Python's `False`) when `timeout` passed
    /// first. `Duration::MAX` waits for ever.
    ///
    /// ```
    /// use std::time::Duration;
    /// let lock = multitask::Lock::new()?;
    /// let _held = lock.acquire();
    /// assert!(lock.acquire_timeout(Duration::from_millis(5)).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn acquire_timeout(&self, timeout: Duration) -> Option<LockGuard<'_>> {
        self.take(crate::deadline::after(timeout))
    }

    /// Python's `lock.acquire(False)`: the lock if it is free now.
    ///
    /// ```
    /// let lock = multitask::Lock::new()?;
    /// assert!(lock.try_acquire().is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn try_acquire(&self) -> Option<LockGuard<'_>> {
        // `then`, not `then_some`: a guard made for nothing would release the lock on drop.
        self.word.try_take(my_pid()).then(|| LockGuard {
            lock: Some(self),
            holder_died: None,
        })
    }

    fn take(&self, deadline: Option<std::time::Instant>) -> Option<LockGuard<'_>> {
        let holder_died = match self.word.take(my_pid(), deadline) {
            Took::Free => None,
            Took::FromDead(pid) => Some(pid as i32),
            Took::TimedOut => return None,
        };
        Some(LockGuard {
            lock: Some(self),
            holder_died,
        })
    }

    /// Python's `lock.release()`, from any process: lets go of a lock held through
    /// [`LockGuard::keep`]. A `State` error when it is not held (Python's `ValueError`).
    ///
    /// ```
    /// use multitask::{Lock, Process};
    /// let lock = Lock::new()?;
    /// lock.acquire().keep(); // held past this line
    /// let mut p = Process::new(|| lock.release()); // released by another process
    /// p.start()?;
    /// p.join()?;
    /// assert!(lock.try_acquire().is_some());
    /// assert!(Lock::new()?.release().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn release(&self) -> Result<()> {
        if self.word.give() == 0 {
            return Err(Error::new(ErrorKind::State, "release of an unlocked lock"));
        }
        Ok(())
    }
}

impl LockGuard<'_> {
    /// Python's `lock.release()`: the same as dropping the guard.
    ///
    /// ```
    /// let lock = multitask::Lock::new()?;
    /// lock.acquire().release();
    /// assert!(lock.try_acquire().is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn release(self) {}

    /// Leaves the lock held after the guard is gone, for [`Lock::release`] to let go, in this
    /// process or another (Python's `acquire()` without `with`).
    ///
    /// ```
    /// let lock = multitask::Lock::new()?;
    /// lock.acquire().keep();
    /// assert!(lock.try_acquire().is_none());
    /// lock.release()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn keep(mut self) {
        self.lock = None;
    }

    /// The pid of a holder that died holding the lock, which this acquire took over; `None`
    /// when the lock was let go normally.
    ///
    /// ```
    /// let lock = multitask::Lock::new()?;
    /// assert_eq!(lock.acquire().holder_died(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn holder_died(&self) -> Option<i32> {
        self.holder_died
    }
}

impl Drop for LockGuard<'_> {
    fn drop(&mut self) {
        if let Some(lock) = self.lock {
            lock.word.give();
        }
    }
}
