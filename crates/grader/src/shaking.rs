//! Which runs of a grading are shaken, with which seed and how long a hold may last.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tracer::Shake;

/// The longest hold at time scale 1: long enough that an order resting on a sleep of a fraction
/// of a second instead of a join, a queue or a lock comes out wrong. Holds scale with the time
/// scale, as the ports' sleeps do.
const MAX_HOLD_AT_SCALE_1: Duration = Duration::from_secs(1);
/// Holds never go below this: at tiny time scales a process's start alone takes longer.
const MAX_HOLD_FLOOR: Duration = Duration::from_millis(2);
/// Nor above this, whatever the time scale.
const MAX_HOLD_CEILING: Duration = Duration::from_secs(2);

/// The shaking of a grading's runs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plan {
    share: f64,
    base: u64,
    every_run: bool,
    max_hold: Duration,
}

impl Plan {
    /// `share` of the runs shaken (spread evenly, the first run unshaken), seeds drawn at
    /// random; with `seed`, every run shaken, run k with `seed + k - 1`.
    pub(crate) fn new(share: f64, seed: Option<u64>, time_scale: f64) -> Plan {
        let base = seed.unwrap_or_else(|| {
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or_default();
            // Seeds small enough to type back in.
            (nanos ^ u64::from(std::process::id()).rotate_left(32)) % 1_000_000_007
        });
        let max_hold = MAX_HOLD_AT_SCALE_1
            .mul_f64(time_scale.clamp(0.0, 1e6))
            .clamp(MAX_HOLD_FLOOR, MAX_HOLD_CEILING);
        Plan {
            share,
            base,
            every_run: seed.is_some(),
            max_hold,
        }
    }

    /// The shaking of run `k` (from 1), if it is shaken.
    pub(crate) fn shake(&self, k: usize) -> Option<Shake> {
        let shaken = self.every_run || {
            let f = self.share;
            (k as f64 * f).floor() > ((k - 1) as f64 * f).floor()
        };
        shaken.then(|| Shake::new(self.base.wrapping_add(k as u64 - 1), self.max_hold))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_the_runs_spread_and_seeds_replay() {
        let p = Plan::new(0.5, None, 1.0);
        let shaken: Vec<usize> = (1..=10).filter(|&k| p.shake(k).is_some()).collect();
        assert_eq!(shaken, [2, 4, 6, 8, 10]);
        assert!(Plan::new(0.0, None, 1.0).shake(3).is_none());
        let replay = Plan::new(0.5, Some(77), 0.01);
        assert_eq!(replay.shake(1).map(|s| s.seed), Some(77));
        assert_eq!(replay.shake(2).map(|s| s.seed), Some(78));
        assert_eq!(
            replay.shake(1).map(|s| s.max_hold),
            Some(Duration::from_millis(10))
        );
    }
}
