//! Timeouts as deadlines. A timeout too long to add to the clock (`Duration::MAX`, as a caller
//! writes "wait forever") saturates to no deadline at all, as std's `mpsc`, crossbeam and tokio
//! do, instead of panicking with "overflow when adding duration to instant".

use std::time::{Duration, Instant};

/// The instant `timeout` from now, or `None` (never) when that is past what the clock holds.
pub(crate) fn after(timeout: Duration) -> Option<Instant> {
    Instant::now().checked_add(timeout)
}

/// What is left until `deadline` (zero once passed); a long time when there is none.
pub(crate) fn left(deadline: Option<Instant>) -> Duration {
    match deadline {
        Some(d) => d.saturating_duration_since(Instant::now()),
        None => Duration::from_secs(3600),
    }
}

/// True once `deadline` has passed (never when there is none).
pub(crate) fn passed(deadline: Option<Instant>) -> bool {
    deadline.is_some_and(|d| Instant::now() >= d)
}

/// How long to sleep next: `None` when the deadline has passed, else the time left capped at
/// `slice` (forever is a run of slices).
pub(crate) fn next_slice(deadline: Option<Instant>, slice: Duration) -> Option<Duration> {
    match deadline {
        None => Some(slice),
        Some(d) => match d.checked_duration_since(Instant::now()) {
            Some(left) if !left.is_zero() => Some(left.min(slice)),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timeout_past_the_clock_means_no_deadline() {
        assert_eq!(after(Duration::MAX), None);
        assert!(!passed(after(Duration::MAX)));
        assert!(after(Duration::from_secs(1)).is_some());
        assert!(passed(after(Duration::ZERO)));
        assert_eq!(left(Some(Instant::now())), Duration::ZERO);
    }

    #[test]
    fn forever_saturates_and_a_past_deadline_has_no_slice_left() {
        assert_eq!(after(Duration::MAX), None);
        let slice = Duration::from_millis(50);
        assert_eq!(next_slice(None, slice), Some(slice));
        assert_eq!(next_slice(after(Duration::ZERO), slice), None);
        let left = next_slice(after(Duration::from_secs(1)), Duration::from_secs(5));
        assert!(left.is_some_and(|l| l <= Duration::from_secs(1)));
    }
}
