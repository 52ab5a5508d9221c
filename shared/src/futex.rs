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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::Ordering;

    #[test]
    fn a_wait_on_an_unchanged_word_times_out_and_a_changed_word_returns_at_once() {
        let word = AtomicU32::new(5);
        assert!(wait(&word, 5, Duration::from_millis(2)));
        word.store(6, Ordering::SeqCst);
        assert!(!wait(&word, 5, Duration::from_secs(60)));
    }
}
