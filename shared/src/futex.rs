//! Futex words in memory that other processes map (a queue's ring, the locks of
//! `synchronize`): sleep while a word holds a value, and wake its sleepers.

use std::sync::atomic::AtomicU32;
use std::time::Duration;

/// Sleeps while `word` holds `expected`, at most `timeout`; true when the whole `timeout`
/// passed (the kernel said ETIMEDOUT). A shared futex, not a private one: the word is in memory
/// other processes map. EINTR, EAGAIN (the word changed) and a wake all return false, sending
/// the caller round its loop again.
pub(crate) fn wait(word: &AtomicU32, expected: u32, timeout: Duration) -> bool {
    let ts = libc::timespec {
        tv_sec: timeout.as_secs().min(i32::MAX as u64) as libc::time_t,
        tv_nsec: timeout.subsec_nanos() as libc::c_long,
    };
    // SAFETY: `word` is a live, aligned u32; the timespec outlives the call.
    let slept = unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAIT,
            expected,
            &ts as *const libc::timespec,
        )
    };
    slept == -1 && nix::errno::Errno::last() == nix::errno::Errno::ETIMEDOUT
}

/// Wakes up to `count` sleepers on `word`.
pub(crate) fn wake(word: &AtomicU32, count: i32) {
    // SAFETY: `word` is a live, aligned u32.
    unsafe { libc::syscall(libc::SYS_futex, word.as_ptr(), libc::FUTEX_WAKE, count) };
}

/// The most a waiter spins before it sleeps (a few microseconds): a partner running on another
/// core usually answers within it, and then neither side makes a system call.
const MAX_SPINS: u32 = 400;
/// The least: a probe, cheap next to a futex wait.
const MIN_SPINS: u32 = 8;

/// How long spinning on one word pays, learnt as it goes and kept beside the word in shared
/// memory. A spin that wins after `k` tries makes the budget at least `4k + 32` (and lets it
/// shrink by an eighth at most); one that loses halves it. Every 16th wait after a run of losses
/// spins the full budget once, so a partner back on a free core is found again. On a machine
/// with a free core the partner answers while we spin, and neither side makes a system call; on
/// a crowded one it is not running, and spinning would only keep it off the core it needs.
#[repr(C)]
#[derive(Debug, Default)]
pub(crate) struct Spinner {
    /// The budget; 0 before the first spin (then `MAX_SPINS`).
    budget: AtomicU32,
    /// Spins lost in a row.
    losses: AtomicU32,
}

impl Spinner {
    /// Spins until `ready` is true, at most the current budget; whether it became true.
    pub(crate) fn spin(&self, mut ready: impl FnMut() -> bool) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        let budget = match self.budget.load(Relaxed) {
            0 => MAX_SPINS,
            b => b,
        };
        let losses = self.losses.load(Relaxed);
        let this_time = if losses % 16 == 15 { MAX_SPINS } else { budget };
        for tries in 0..this_time {
            if ready() {
                let learnt = (4 * tries + 32).max(budget - budget / 8);
                self.budget
                    .store(learnt.clamp(MIN_SPINS, MAX_SPINS), Relaxed);
                if losses != 0 {
                    self.losses.store(0, Relaxed);
                }
                return true;
            }
            std::hint::spin_loop();
        }
        self.budget.store((budget / 2).max(MIN_SPINS), Relaxed);
        self.losses.store(losses.wrapping_add(1), Relaxed);
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::Ordering;

    /// How many times `ready` is asked in one spin that never wins.
    fn tries_of_a_lost_spin(spinner: &Spinner) -> u32 {
        let mut tries = 0;
        assert!(!spinner.spin(|| {
            tries += 1;
            false
        }));
        tries
    }

    #[test]
    fn a_spinner_gives_up_on_a_partner_that_never_comes_and_probes_again() {
        let spinner = Spinner::default();
        assert_eq!(tries_of_a_lost_spin(&spinner), MAX_SPINS);
        let shrinking: Vec<u32> = (0..14).map(|_| tries_of_a_lost_spin(&spinner)).collect();
        assert_eq!(shrinking.last(), Some(&MIN_SPINS));
        assert!(shrinking.windows(2).all(|w| w[1] <= w[0]));
        // The 16th loss in a row: one full probe.
        assert_eq!(tries_of_a_lost_spin(&spinner), MAX_SPINS);
        // A win within the small budget, at the fifth look (4 tries spun): the budget becomes
        // room for 4 times as many, and more.
        let mut looks = 0;
        assert!(spinner.spin(|| {
            looks += 1;
            looks == 5
        }));
        assert_eq!(tries_of_a_lost_spin(&spinner), 4 * 4 + 32);
    }

    #[test]
    fn a_wait_on_an_unchanged_word_times_out_and_a_changed_word_returns_at_once() {
        let word = AtomicU32::new(5);
        assert!(wait(&word, 5, Duration::from_millis(2)));
        word.store(6, Ordering::SeqCst);
        assert!(!wait(&word, 5, Duration::from_secs(60)));
    }
}
