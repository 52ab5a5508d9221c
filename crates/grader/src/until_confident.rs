//! `--confidence C`: when a grading has run enough: PCT's bound reached `C` and no likely check
//! is undecided.

use crate::grade::GradeOptions;
use crate::judge::judge;
use crate::outcome::RunOutcome;
use crate::report::CheckStatus;
use crate::shaking::Scheduler;
use crate::spec::Spec;
use crate::spec::params::Params;

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
        || crate::coverage::Coverage::of(outcomes).is_some_and(|cov| cov.at_least_once >= c);
    outcomes.len() >= 2
        && covered
        && judge(spec, params, outcomes)
            .checks
            .iter()
            .all(|c| c.status != CheckStatus::Undecided)
}
