//! When a grading may stop before its last run: a guaranteed check failed twice (no later run
//! can make it pass, and two runs agree on why), or, with `--confidence`, PCT's bound
//! reached it and no likely check is undecided any more.

use super::options::GradeOptions;
use crate::outcome::RunOutcome;
use crate::run::shaking::Scheduler;
use crate::spec::Spec;
use crate::spec::params::Params;
use crate::verdict::judge::judge;
use crate::verdict::report::CheckStatus;

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

/// With `--confidence C`: PCT's bound over the runs so far reached `C` (when runs are shaken
/// by PCT), no likely check is undecided any more, and at least two runs were made (one of them
/// to learn `k`).
pub(crate) fn confident(
    opts: &GradeOptions,
    spec: &Spec,
    params: &Params,
    outcomes: &[RunOutcome],
) -> bool {
    let Some(c) = opts.confidence else {
        return false;
    };
    let pct_asked = opts.trace && opts.shake > 0.0 && opts.scheduler == Scheduler::Pct;
    let covered = !pct_asked
        || crate::verdict::coverage::Coverage::of(outcomes)
            .is_some_and(|cov| cov.at_least_once >= c);
    outcomes.len() >= 2
        && covered
        && judge(spec, params, outcomes)
            .checks
            .iter()
            .all(|c| c.status != CheckStatus::Undecided)
}
