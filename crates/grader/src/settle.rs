//! When a grading may stop before its last run: a guaranteed check failed twice (no later run
//! can make it pass, and two runs agree on why), or PCT's bound reached `--confidence`.

use crate::outcome::RunOutcome;

/// Whether the verdict is settled: which guaranteed checks have failed so far, and whether one
/// of them has failed twice (then no later run can make the grading pass, and two runs agree
/// on why it fails).
#[derive(Debug, Default)]
pub(crate) struct Settled {
    failed_once: std::collections::BTreeSet<String>,
    pub(crate) twice: bool,
}

impl Settled {
    /// Counts one run's verdict: the guaranteed checks it failed; true when it failed none.
    pub(crate) fn add(&mut self, failed: &[String]) -> bool {
        for name in failed {
            if !self.failed_once.insert(name.clone()) {
                self.twice = true;
            }
        }
        failed.is_empty()
    }
}

/// With `--confidence C`: PCT's bound over the runs so far reached `C` (and at least two runs
/// were made, one of them to learn `k`).
pub(crate) fn confident(confidence: Option<f64>, outcomes: &[RunOutcome]) -> bool {
    let Some(c) = confidence else {
        return false;
    };
    outcomes.len() >= 2
        && crate::coverage::Coverage::of(outcomes).is_some_and(|cov| cov.at_least_once >= c)
}
