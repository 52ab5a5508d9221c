//! `Semaphore` and `BoundedSemaphore`: Python's `multiprocessing.Semaphore` and
//! `multiprocessing.BoundedSemaphore`.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use crate::error::{Error, ErrorKind, Result};
use crate::futex;
use crate::shm::{Shared, ZeroedAtomics};

/// A sleeper looks again this often (a release always wakes one; this only bounds a lost one).
const SLICE: Duration = Duration::from_millis(50);

#[repr(C)]
#[derive(Debug)]
struct Count {
    value: AtomicU32,
    sleepers: AtomicU32,
    spinner: futex::Spinner,
    /// One more than the most `value` may reach, 0 for no bound.
    bound: AtomicU32,
}

// SAFETY: atomics only; all zero is a semaphore at 0 with no bound.
unsafe impl ZeroedAtomics for Count {}

/// A counting semaphore between processes, like `multiprocessing.Semaphore(value)`: `acquire`
/// takes one unit, waiting while there is none; `release` gives one back, from any process.
///
/// A unit has no owner, so a process that dies holding one does not give it back (nor does
/// Python's): give a timeout where that may happen.
///
/// ```
/// use multitask::{Process, Semaphore};
/// let slots = Semaphore::new(2)?;
/// let mut children: Vec<Process> = (0..3)
///     .map(|_| Process::new(|| {
///         let _slot = slots.acquire(); // at most two children in here at once
///     }))
///     .collect();
/// for p in &mut children { p.start()?; }
/// for p in &children { p.join()?; }
/// assert_eq!(slots.get_value(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Semaphore {
    count: Shared<Count>,
}

/// A unit taken from a [`Semaphore`]; given back when dropped.
///
/// ```
/// let sem = multitask::Semaphore::new(1)?;
/// {
///     let _unit = sem.acquire();
///     assert_eq!(sem.get_value(), 0);
/// }
/// assert_eq!(sem.get_value(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
#[must_use = "the unit is given back at once if the guard is not kept"]
pub struct SemaphoreGuard<'a> {
    semaphore: Option<&'a Semaphore>,
}

impl Semaphore {
    /// A semaphore holding `value` units.
    ///
    /// ```
    /// assert_eq!(multitask::Semaphore::new(3)?.get_value(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(value: u32) -> Result<Self> {
        let count = Shared::<Count>::new()?;
        count.value.store(value, Ordering::Release);
        Ok(Semaphore { count })
    }

    /// Python's `sem.get_value()`: the units left now.
    ///
    /// ```
    /// let sem = multitask::Semaphore::new(1)?;
    /// let _unit = sem.acquire();
    /// assert_eq!(sem.get_value(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_value(&self) -> u32 {
        self.count.value.load(Ordering::Acquire)
    }

    /// Python's `sem.acquire()`: takes a unit, waiting as long as it takes.
    ///
    /// ```
    /// let sem = multitask::Semaphore::new(1)?;
    /// drop(sem.acquire());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn acquire(&self) -> SemaphoreGuard<'_> {
        while !self.take(None) {}
        self.guard()
    }

    /// Python's `sem.acquire(timeout=t)`: `None` (Python's `False`) when `timeout` passed
    /// first; `Duration::MAX` waits for ever.
    ///
    /// ```
    /// let sem = multitask::Semaphore::new(0)?;
    /// assert!(sem.acquire_timeout(std::time::Duration::from_millis(5)).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn acquire_timeout(&self, timeout: Duration) -> Option<SemaphoreGuard<'_>> {
        self.take(crate::deadline::after(timeout))
            .then(|| self.guard())
    }

    /// Python's `sem.acquire(False)`.
    ///
    /// ```
    /// let sem = multitask::Semaphore::new(1)?;
    /// let _unit = sem.try_acquire().unwrap();
    /// assert!(sem.try_acquire().is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn try_acquire(&self) -> Option<SemaphoreGuard<'_>> {
        self.try_take().then(|| self.guard())
    }

    fn guard(&self) -> SemaphoreGuard<'_> {
        SemaphoreGuard {
            semaphore: Some(self),
        }
    }

    fn try_take(&self) -> bool {
        let value = &self.count.value;
        let mut seen = value.load(Ordering::Relaxed);
        while seen > 0 {
            match value.compare_exchange_weak(seen, seen - 1, Ordering::Acquire, Ordering::Relaxed)
            {
                Ok(_) => return true,
                Err(now) => seen = now,
            }
        }
        false
    }

    fn take(&self, deadline: Option<Instant>) -> bool {
        if self.count.spinner.spin(|| self.try_take()) {
            return true;
        }
        loop {
            if self.try_take() {
                return true;
            }
            let Some(slice) = crate::deadline::next_slice(deadline, SLICE) else {
                return false;
            };
            self.count.sleepers.fetch_add(1, Ordering::SeqCst);
            futex::wait(&self.count.value, 0, slice);
            self.count.sleepers.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// Python's `sem.release()`, from any process: gives a unit back (one held through
    /// [`SemaphoreGuard::keep`], or a new one: an unbounded semaphore may grow). A `State`
    /// error only for a [`BoundedSemaphore`] already full.
    ///
    /// ```
    /// let sem = multitask::Semaphore::new(0)?;
    /// sem.release()?;
    /// assert_eq!(sem.get_value(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn release(&self) -> Result<()> {
        let bound = self.count.bound.load(Ordering::Relaxed);
        let value = &self.count.value;
        let mut seen = value.load(Ordering::Relaxed);
        loop {
            if bound != 0 && seen >= bound - 1 {
                return Err(Error::new(
                    ErrorKind::State,
                    "semaphore or lock released too many times",
                ));
            }
            match value.compare_exchange_weak(seen, seen + 1, Ordering::SeqCst, Ordering::Relaxed) {
                Ok(_) => break,
                Err(now) => seen = now,
            }
        }
        if self.count.sleepers.load(Ordering::SeqCst) > 0 {
            futex::wake(value, 1);
        }
        Ok(())
    }
}

impl SemaphoreGuard<'_> {
    /// Gives the unit back: the same as dropping the guard.
    ///
    /// ```
    /// let sem = multitask::Semaphore::new(1)?;
    /// sem.acquire().release();
    /// assert_eq!(sem.get_value(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn release(self) {}

    /// Keeps the unit after the guard is gone (Python's `acquire()` without `with`), for
    /// [`Semaphore::release`] to give back, in this process or another.
    ///
    /// ```
    /// let sem = multitask::Semaphore::new(1)?;
    /// sem.acquire().keep();
    /// assert_eq!(sem.get_value(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn keep(mut self) {
        self.semaphore = None;
    }
}

impl Drop for SemaphoreGuard<'_> {
    fn drop(&mut self) {
        if let Some(semaphore) = self.semaphore {
            // It took a unit, so there is room for it unless someone else released too many:
            // nothing a drop could report.
            let _ = semaphore.release();
        }
    }
}

/// A semaphore that refuses to grow past its first value, like
/// `multiprocessing.BoundedSemaphore(value)`: a `release` too many is a `State` error (Python's
/// `ValueError`). Everything else is [`Semaphore`]'s, through `Deref`.
///
/// ```
/// let sem = multitask::BoundedSemaphore::new(1)?;
/// sem.acquire().keep();
/// sem.release()?;
/// assert_eq!(sem.release().unwrap_err().kind(), multitask::ErrorKind::State);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct BoundedSemaphore(Semaphore);

impl BoundedSemaphore {
    /// A bounded semaphore holding `value` units, and never more (`value` below `u32::MAX`).
    ///
    /// ```
    /// assert_eq!(multitask::BoundedSemaphore::new(2)?.get_value(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(value: u32) -> Result<Self> {
        let semaphore = Semaphore::new(value)?;
        semaphore
            .count
            .bound
            .store(value.saturating_add(1), Ordering::Release);
        Ok(BoundedSemaphore(semaphore))
    }
}

impl std::ops::Deref for BoundedSemaphore {
    type Target = Semaphore;
    fn deref(&self) -> &Semaphore {
        &self.0
    }
}
