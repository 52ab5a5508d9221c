//! Confidence on likely checks: how often a check held, with a 95% Wilson score interval (Wilson,
//! "Probable inference, the law of succession, and statistical inference", JASA 1927). A likely
//! check fails only when the whole interval lies below its threshold, passes when it lies at or
//! above it, and is undecided otherwise: too few runs to tell, never a failure.

/// z for a two-sided 95% interval.
const Z: f64 = 1.959_963_984_540_054;
/// The most extra runs ever suggested: past this the rate sits on the threshold itself.
const MORE_MAX: usize = 100_000;

/// The 95% Wilson interval `(low, high)` of a rate seen `held` times in `runs` (both 0 and 1
/// when there were no runs).
pub(crate) fn wilson(held: usize, runs: usize) -> (f64, f64) {
    if runs == 0 {
        return (0.0, 1.0);
    }
    let n = runs as f64;
    let p = held.min(runs) as f64 / n;
    let z2 = Z * Z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// A likely check's verdict over its judged runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Verdict {
    /// The interval lies at or above the threshold.
    Held,
    /// The interval lies below the threshold.
    Failed,
    /// The interval holds the threshold: about `more` runs more (at the rate seen) would decide.
    Undecided { more: usize },
}

/// Judges `held` of `runs` against `threshold`.
pub(crate) fn decide(held: usize, runs: usize, threshold: f64) -> Verdict {
    let (low, high) = wilson(held, runs);
    if high < threshold {
        return Verdict::Failed;
    }
    if low >= threshold - 1e-12 {
        return Verdict::Held;
    }
    let rate = if runs == 0 {
        0.5
    } else {
        held as f64 / runs as f64
    };
    Verdict::Undecided {
        more: more_runs(rate, runs, threshold),
    }
}

/// How many more runs, at `rate`, until the interval leaves `threshold` (doubling, then halving).
fn more_runs(rate: f64, runs: usize, threshold: f64) -> usize {
    let decided = |extra: usize| {
        let n = runs + extra;
        let held = (rate * n as f64).round() as usize;
        let (low, high) = wilson(held, n);
        high < threshold || low >= threshold
    };
    let mut hi = 1;
    while !decided(hi) {
        if hi >= MORE_MAX {
            return MORE_MAX;
        }
        hi *= 2;
    }
    let mut lo = hi / 2;
    while lo + 1 < hi {
        let mid = (lo + hi) / 2;
        if decided(mid) { hi = mid } else { lo = mid }
    }
    hi
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_known_values() {
        // 0 of 10: [0, 0.2775]; 5 of 10: [0.2366, 0.7634].
        let (l, h) = wilson(0, 10);
        assert!(l.abs() < 1e-9 && (h - 0.2775).abs() < 1e-3, "{l} {h}");
        let (l, h) = wilson(5, 10);
        assert!(
            (l - 0.2366).abs() < 1e-3 && (h - 0.7634).abs() < 1e-3,
            "{l} {h}"
        );
        assert_eq!(wilson(0, 0), (0.0, 1.0));
    }

    #[test]
    fn few_runs_are_undecided_and_enough_decide() {
        // Never in 5 runs is not yet below 10%: undecided, about 30 more needed.
        match decide(0, 5, 0.1) {
            Verdict::Undecided { more } => {
                assert!((25..=40).contains(&more), "{more}");
                assert_eq!(decide(0, 5 + more, 0.1), Verdict::Failed);
            }
            v => panic!("{v:?}"),
        }
        assert_eq!(decide(0, 40, 0.1), Verdict::Failed);
        assert_eq!(decide(5, 5, 0.2), Verdict::Held);
        assert_eq!(decide(3, 10, 0.05), Verdict::Held);
        // A correct port at exactly its threshold is never failed, however many runs.
        assert!(matches!(decide(10, 100, 0.1), Verdict::Undecided { .. }));
    }
}
