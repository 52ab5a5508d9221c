//! Python's `multiprocessing.synchronize`: locks, semaphores, events, conditions and barriers
//! that work between processes. Each lives in an anonymous shared mapping, so it is shared by
//! the process that makes it and every process forked after that; a waiter spins a moment, then
//! sleeps on a futex in that mapping (no system call while the other side is quick).

mod barrier;
mod condition;
mod event;
mod lock;
mod owned;
mod rlock;
mod semaphore;

pub use barrier::Barrier;
pub use condition::{Condition, ConditionGuard};
pub use event::Event;
pub use lock::{Lock, LockGuard};
pub use rlock::{RLock, RLockGuard};
pub use semaphore::{BoundedSemaphore, Semaphore, SemaphoreGuard};
