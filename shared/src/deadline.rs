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
}
