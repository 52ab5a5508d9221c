//! The word every lock of this module stands on: 0 when free, else the holder's id (a pid for
//! `Lock`, a thread id for `RLock`) with a bit saying someone may sleep on it. Taking it is one
//! compare-and-swap when free; a taker that finds it held spins a moment (a holder on the other
//! core usually lets go by then, and neither side makes a system call), then sleeps on the word
//! as a futex in slices, and after each slice that ended with no change it looks whether the
//! holder still lives: a holder that died holding the word hands it to the next taker, who is
//! told (a robust mutex's `EOWNERDEAD`, without pthread's rule that only the holder unlocks).

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use crate::futex;

/// Set in the word while someone sleeps on it, or might: the releaser then wakes one.
const WAITERS: u32 = 1 << 31;
/// How long a taker sleeps before it looks whether the holder died.
const LIVENESS_CHECK: Duration = Duration::from_millis(50);

/// How a take ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Took {
    /// The word was free, or let go by its holder.
    Free,
    /// Its holder, this id, died holding it: what it guarded may be half changed.
    FromDead(u32),
    /// The deadline passed first.
    TimedOut,
}

/// A lock word in shared memory: all zero is free.
#[repr(C)]
#[derive(Debug, Default)]
pub(crate) struct OwnedWord {
    word: AtomicU32,
    spinner: futex::Spinner,
}

impl OwnedWord {
    /// The holder's id, 0 when free.
    pub(crate) fn holder(&self) -> u32 {
        self.word.load(Ordering::Relaxed) & !WAITERS
    }

    /// Takes the word for `me` (a nonzero id under 2^31) if it is free; never waits.
    pub(crate) fn try_take(&self, me: u32) -> bool {
        self.word
            .compare_exchange(0, me, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
    }

    /// Takes the word for `me`, waiting until `deadline` (`None`: for ever).
    pub(crate) fn take(&self, me: u32, deadline: Option<Instant>) -> Took {
        if self
            .spinner
            .spin(|| self.word.load(Ordering::Relaxed) == 0 && self.try_take(me))
        {
            return Took::Free;
        }
        loop {
            let seen = self.word.load(Ordering::Relaxed);
            if seen == 0 {
                // Others may sleep on it too: take it with the bit, so our release wakes one.
                if self
                    .word
                    .compare_exchange(0, me | WAITERS, Ordering::Acquire, Ordering::Relaxed)
                    .is_ok()
                {
                    return Took::Free;
                }
                continue;
            }
            if seen & WAITERS == 0
                && self
                    .word
                    .compare_exchange(seen, seen | WAITERS, Ordering::Relaxed, Ordering::Relaxed)
                    .is_err()
            {
                continue;
            }
            let Some(slice) = crate::deadline::next_slice(deadline, LIVENESS_CHECK) else {
                return Took::TimedOut;
            };
            if futex::wait(&self.word, seen | WAITERS, slice) {
                let holder = seen & !WAITERS;
                if holder_gone(holder)
                    && self
                        .word
                        .compare_exchange(
                            seen | WAITERS,
                            me | WAITERS,
                            Ordering::Acquire,
                            Ordering::Relaxed,
                        )
                        .is_ok()
                {
                    return Took::FromDead(holder);
                }
            }
        }
    }

    /// Lets the word go, waking one sleeper if there may be one; the id that held it (0: it was
    /// free).
    pub(crate) fn give(&self) -> u32 {
        let was = self.word.swap(0, Ordering::Release);
        if was & WAITERS != 0 {
            futex::wake(&self.word, 1);
        }
        was & !WAITERS
    }
}

/// True when the holder `id` (a pid or a thread id) has ended: no such task (`kill(id, 0)`
/// says ESRCH), or a zombie not yet reaped. When it cannot be told (a `/proc` that hides other
/// users' processes), it counts as alive: taking a lock from a live holder would be far worse
/// than waiting.
fn holder_gone(id: u32) -> bool {
    use procfs::process::{ProcState, Process};
    let Ok(pid) = i32::try_from(id) else {
        return false;
    };
    if nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None)
        == Err(nix::errno::Errno::ESRCH)
    {
        return true;
    }
    Process::new(pid)
        .and_then(|p| p.stat())
        .is_ok_and(|stat| matches!(stat.state(), Ok(ProcState::Zombie | ProcState::Dead)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::os::thread_id;

    #[test]
    fn a_free_word_is_taken_once_and_given_back() {
        let word = OwnedWord::default();
        assert!(word.try_take(7));
        assert!(!word.try_take(8));
        assert_eq!(word.holder(), 7);
        let soon = crate::deadline::after(Duration::from_millis(5));
        assert_eq!(word.take(8, soon), Took::TimedOut);
        assert_eq!(word.give(), 7);
        assert_eq!(word.take(8, None), Took::Free);
        assert_eq!(word.give(), 8);
        assert_eq!(word.give(), 0);
    }

    #[test]
    fn a_live_holder_is_not_gone_and_a_missing_one_is() {
        assert!(!holder_gone(std::process::id()));
        assert!(!holder_gone(thread_id()));
        // Past pid_max (at most 2^22): no task has this id.
        assert!(holder_gone(1 << 30));
    }

    #[test]
    fn the_thread_id_is_this_threads() {
        let here = thread_id();
        let there = std::thread::spawn(thread_id).join().unwrap();
        assert_ne!(here, there);
        assert_eq!(here, thread_id());
    }
}
