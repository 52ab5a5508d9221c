//! `Barrier`: Python's `multiprocessing.Barrier`.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use crate::error::{Error, ErrorKind, Result};
use crate::futex;
use crate::os::current_pid;
use crate::shm::{Shared, ZeroedAtomics};
use crate::synchronize::owned::{OwnedWord, Took};

/// A waiter looks again this often (a release always wakes every waiter).
const SLICE: Duration = Duration::from_millis(50);

#[repr(C)]
#[derive(Debug)]
struct State {
    /// Guards the fields below but `epoch` (a holder that dies is taken over: every change
    /// under it is a few single stores, whole at each step that matters).
    guard: OwnedWord,
    parties: AtomicU32,
    /// Arrived in this round.
    count: AtomicU32,
    /// Rounds released so far.
    generation: AtomicU32,
    /// Nonzero while broken.
    broken: AtomicU32,
    /// The round a `reset` broke, plus one (0: none).
    reset_round: AtomicU32,
    /// Bumped at every release, break and reset: the futex word waiters sleep on.
    epoch: AtomicU32,
}

// SAFETY: atomics only; a barrier's fields are set in `new` before anyone else sees them.
unsafe impl ZeroedAtomics for State {}

/// A barrier between processes, like `multiprocessing.Barrier(parties)`: each `wait` blocks
/// until `parties` processes (or threads) are waiting, then all go on together and the
/// barrier is ready for the next round.
///
/// `wait` returns the arrival index, 0 for the first to arrive and `parties - 1` for the last,
/// as Python's does. A waiter that times out breaks the barrier: it and everyone waiting get
/// [`ErrorKind::BrokenBarrier`] (Python's `BrokenBarrierError`), and so does every later `wait`
/// until [`reset`](Barrier::reset). As in Python, a party that dies before it arrives keeps the
/// others waiting: give a timeout where that may happen.
///
/// ```
/// use multitask::{Barrier, Process};
/// let barrier = Barrier::new(2)?;
/// let mut p = Process::new(|| barrier.wait(None).map(|_| ()));
/// p.start()?;
/// let index = barrier.wait(None)?; // both have arrived
/// assert!(index < 2);
/// p.join()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Barrier {
    state: Shared<State>,
    /// Run by the last to arrive, before the others are let go (the same function in every
    /// fork: a fork keeps the program's addresses).
    action: Option<fn()>,
}

impl Barrier {
    /// A barrier for `parties` (at least 1) in memory every later fork shares; `State` error
    /// for 0 parties (Python's `ValueError`).
    ///
    /// ```
    /// assert_eq!(multitask::Barrier::new(3)?.parties(), 3);
    /// assert!(multitask::Barrier::new(0).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(parties: u32) -> Result<Self> {
        if parties == 0 {
            return Err(Error::new(
                ErrorKind::State,
                "a barrier needs at least one party",
            ));
        }
        let state = Shared::<State>::new()?;
        state.parties.store(parties, Ordering::Release);
        Ok(Barrier {
            state,
            action: None,
        })
    }

    /// Python's `Barrier(parties, action)`: `action` is run by the last party to arrive in
    /// each round, before any is let go. An action that panics breaks the barrier: that
    /// `wait` and every other get `BrokenBarrier`, as Python's raise `BrokenBarrierError`.
    ///
    /// ```
    /// use multitask::{Barrier, Process};
    /// fn all_here() {
    ///     println!("all here");
    /// }
    /// let barrier = Barrier::with_action(2, all_here)?;
    /// let mut p = Process::new(|| barrier.wait(None).map(|_| ()));
    /// p.start()?;
    /// barrier.wait(None)?; // "all here" is printed once, by whichever came last
    /// p.join()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_action(parties: u32, action: fn()) -> Result<Self> {
        Ok(Barrier {
            action: Some(action),
            ..Barrier::new(parties)?
        })
    }

    /// Python's `barrier.parties`.
    ///
    /// ```
    /// assert_eq!(multitask::Barrier::new(2)?.parties(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parties(&self) -> u32 {
        self.state.parties.load(Ordering::Acquire)
    }

    /// Python's `barrier.n_waiting`: how many wait in the current round.
    ///
    /// ```
    /// assert_eq!(multitask::Barrier::new(2)?.n_waiting(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn n_waiting(&self) -> u32 {
        self.state.count.load(Ordering::Acquire)
    }

    /// Python's `barrier.broken`.
    ///
    /// ```
    /// let b = multitask::Barrier::new(2)?;
    /// b.abort();
    /// assert!(b.broken());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn broken(&self) -> bool {
        self.state.broken.load(Ordering::Acquire) != 0
    }

    fn locked<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        let state: &State = &self.state;
        // Never a timeout; a dead holder's half-made change is at worst a broken barrier.
        if let Took::FromDead(_) = state.guard.take(current_pid() as u32, None) {
            state.broken.store(1, Ordering::Release);
        }
        let result = f(state);
        state.guard.give();
        result
    }

    fn wake_all(state: &State) {
        state.epoch.fetch_add(1, Ordering::SeqCst);
        futex::wake(&state.epoch, i32::MAX);
    }

    /// Python's `barrier.wait(timeout)`: waits until all parties wait, at most `timeout`
    /// (`None`: as long as it takes); the arrival index. `BrokenBarrier` when the barrier is or
    /// gets broken, or this wait timed out (which breaks it).
    ///
    /// ```
    /// use std::time::Duration;
    /// use multitask::{Barrier, ErrorKind};
    /// let b = Barrier::new(2)?;
    /// let err = b.wait(Some(Duration::from_millis(5))).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::BrokenBarrier);
    /// assert!(b.broken());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn wait(&self, timeout: Option<Duration>) -> Result<u32> {
        let deadline = timeout.and_then(crate::deadline::after);
        let arrived = self.locked(|s| {
            if s.broken.load(Ordering::Acquire) != 0 {
                return Err(broken_error());
            }
            let index = s.count.fetch_add(1, Ordering::AcqRel);
            let round = s.generation.load(Ordering::Acquire);
            if index + 1 == s.parties.load(Ordering::Acquire) {
                if let Some(action) = self.action
                    && std::panic::catch_unwind(action).is_err()
                {
                    s.broken.store(1, Ordering::Release);
                    Self::wake_all(s);
                    return Err(Error::new(
                        ErrorKind::BrokenBarrier,
                        "the barrier's action panicked",
                    ));
                }
                s.count.store(0, Ordering::Release);
                s.generation.fetch_add(1, Ordering::AcqRel);
                Self::wake_all(s);
            }
            Ok((index, round, s.epoch.load(Ordering::SeqCst)))
        })?;
        let (index, round, mut epoch) = arrived;
        loop {
            if let Some(outcome) = self.settled(round) {
                return outcome.map(|()| index);
            }
            let Some(slice) = crate::deadline::next_slice(deadline, SLICE) else {
                return self.time_out(round, index);
            };
            futex::wait(&self.state.epoch, epoch, slice);
            epoch = self.state.epoch.load(Ordering::SeqCst);
        }
    }

    /// How `round` ended, if it has: released (`Ok`), reset or broken (`Err`).
    fn settled(&self, round: u32) -> Option<Result<()>> {
        let s = &self.state;
        if s.generation.load(Ordering::Acquire) != round {
            if s.reset_round.load(Ordering::Acquire) == round.wrapping_add(1) {
                return Some(Err(broken_error()));
            }
            return Some(Ok(()));
        }
        if s.broken.load(Ordering::Acquire) != 0 {
            return Some(Err(broken_error()));
        }
        None
    }

    fn time_out(&self, round: u32, index: u32) -> Result<u32> {
        self.locked(|s| {
            if s.generation.load(Ordering::Acquire) == round {
                s.broken.store(1, Ordering::Release);
                Self::wake_all(s);
            }
        });
        // Released just before the break: that round is done.
        self.settled(round)
            .unwrap_or(Err(broken_error()))
            .map(|()| index)
    }

    /// Python's `barrier.abort()`: breaks the barrier; every waiter and every later `wait`
    /// gets `BrokenBarrier` until [`reset`](Barrier::reset).
    ///
    /// ```
    /// let b = multitask::Barrier::new(2)?;
    /// b.abort();
    /// assert!(b.wait(None).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn abort(&self) {
        self.locked(|s| {
            s.broken.store(1, Ordering::Release);
            Self::wake_all(s);
        });
    }

    /// Python's `barrier.reset()`: back to empty and whole; whoever waits in the current
    /// round gets `BrokenBarrier`.
    ///
    /// ```
    /// let b = multitask::Barrier::new(1)?;
    /// b.abort();
    /// b.reset();
    /// assert_eq!(b.wait(None)?, 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reset(&self) {
        self.locked(|s| {
            let round = s.generation.load(Ordering::Acquire);
            if s.count.load(Ordering::Acquire) > 0 {
                s.reset_round
                    .store(round.wrapping_add(1), Ordering::Release);
            }
            s.count.store(0, Ordering::Release);
            s.generation.store(round.wrapping_add(1), Ordering::Release);
            s.broken.store(0, Ordering::Release);
            Self::wake_all(s);
        });
    }
}

fn broken_error() -> Error {
    Error::new(ErrorKind::BrokenBarrier, "the barrier is broken")
}
