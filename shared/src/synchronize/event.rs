//! `Event`: Python's `multiprocessing.Event`.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use crate::error::Result;
use crate::futex;
use crate::shm::{Shared, ZeroedAtomics};

/// A sleeper looks again this often (a set always wakes every sleeper; this bounds a lost one).
const SLICE: Duration = Duration::from_millis(50);

#[repr(C)]
#[derive(Debug)]
struct Flag {
    set: AtomicU32,
    sleepers: AtomicU32,
    spinner: futex::Spinner,
}

// SAFETY: atomics only; all zero is a clear flag.
unsafe impl ZeroedAtomics for Flag {}

/// A flag between processes, like `multiprocessing.Event()`: `set` wakes every process in
/// `wait`, `clear` makes them wait again.
///
/// ```
/// use multitask::{Event, Process};
/// let ready = Event::new()?;
/// let mut p = Process::new(|| ready.set());
/// p.start()?;
/// assert!(ready.wait(None)); // as long as it takes
/// p.join()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Event {
    flag: Shared<Flag>,
}

impl Event {
    /// A clear event in memory every later fork shares.
    ///
    /// ```
    /// assert!(!multitask::Event::new()?.is_set());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new() -> Result<Self> {
        Ok(Event {
            flag: Shared::new()?,
        })
    }

    /// Python's `event.is_set()`.
    ///
    /// ```
    /// let e = multitask::Event::new()?;
    /// e.set();
    /// assert!(e.is_set());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_set(&self) -> bool {
        self.flag.set.load(Ordering::Acquire) != 0
    }

    /// Python's `event.set()`: sets the flag and wakes every waiter.
    ///
    /// ```
    /// let e = multitask::Event::new()?;
    /// e.set();
    /// assert!(e.wait(Some(std::time::Duration::ZERO)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set(&self) {
        self.flag.set.store(1, Ordering::SeqCst);
        if self.flag.sleepers.load(Ordering::SeqCst) > 0 {
            futex::wake(&self.flag.set, i32::MAX);
        }
    }

    /// Python's `event.clear()`.
    ///
    /// ```
    /// let e = multitask::Event::new()?;
    /// e.set();
    /// e.clear();
    /// assert!(!e.is_set());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn clear(&self) {
        self.flag.set.store(0, Ordering::SeqCst);
    }

    /// Python's `event.wait(timeout)`: waits until the flag is set, at most `timeout` (`None`:
    /// as long as it takes; `Duration::MAX` too), and returns the flag: false only on timeout.
    ///
    /// ```
    /// let e = multitask::Event::new()?;
    /// assert!(!e.wait(Some(std::time::Duration::from_millis(5))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn wait(&self, timeout: Option<Duration>) -> bool {
        if self.flag.spinner.spin(|| self.is_set()) {
            return true;
        }
        let deadline = timeout.and_then(crate::deadline::after);
        loop {
            if self.is_set() {
                return true;
            }
            let Some(slice) = crate::deadline::next_slice(deadline, SLICE) else {
                return self.is_set();
            };
            self.flag.sleepers.fetch_add(1, Ordering::SeqCst);
            futex::wait(&self.flag.set, 0, slice);
            self.flag.sleepers.fetch_sub(1, Ordering::SeqCst);
        }
    }
}
