//! A spin lock for the crate's process-wide tables, made to be held across a fork: a
//! `pthread_atfork` handler takes it before every fork and releases it after, in parent and
//! child, so a child forked while another thread held it does not inherit it locked forever
//! (a `Mutex` taken by a thread that the fork did not copy never unlocks). Held only for a few
//! instructions or one non-blocking system call. Inline: a forked child that takes one runs it
//! from the page of its caller's code rather than one more page to map.

use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicBool, Ordering};

pub(crate) struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// SAFETY: `value` is only reached while `locked` is held (see `with`, `lock`, `held`).
unsafe impl<T: Send> Sync for SpinLock<T> {}

impl<T> SpinLock<T> {
    pub(crate) const fn new(value: T) -> Self {
        SpinLock {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    /// Runs `f` on the value, the lock held.
    #[inline]
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        self.lock();
        // SAFETY: we hold the lock, so this is the only reference.
        let result = f(unsafe { &mut *self.value.get() });
        self.unlock();
        result
    }

    /// Takes the lock (for a fork handler: pair it with `unlock`).
    #[inline]
    pub(crate) fn lock(&self) {
        while self
            .locked
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            std::hint::spin_loop();
        }
    }

    /// Releases the lock taken by `lock`.
    #[inline]
    pub(crate) fn unlock(&self) {
        self.locked.store(false, Ordering::Release);
    }

    /// Runs `f` on the value while the caller already holds the lock (a fork's child handler,
    /// between the prepare handler's `lock` and its own `unlock`).
    ///
    /// # Safety
    /// The caller holds the lock and no other reference to the value exists.
    #[inline]
    pub(crate) unsafe fn held<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        // SAFETY: the caller holds the lock (this function's contract).
        f(unsafe { &mut *self.value.get() })
    }
}
