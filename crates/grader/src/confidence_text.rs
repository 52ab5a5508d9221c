//! The text report's tag of a likely check: how often it held, its 95% interval, the threshold,
//! and for an undecided one about how many more runs would decide it.

use crate::report::{CheckReport, CheckStatus};

/// `  [likely: held in H of R unshaken runs (95%: L%-U%), needs T%]`, or the undecided form.
pub(crate) fn likely_tag(c: &CheckReport, runs: usize, threshold: f64) -> String {
    let judged = c.runs_judged(runs);
    let unshaken = if c.runs_shaken > 0 { "unshaken " } else { "" };
    let interval = c.interval.map_or(String::new(), |[low, high]| {
        format!(" (95%: {:.0}%-{:.0}%)", low * 100.0, high * 100.0)
    });
    let needs = (threshold * 100.0).round();
    if c.status == CheckStatus::Undecided {
        let more = c.more_runs.unwrap_or(0);
        return format!(
            "  [likely: undecided after {judged} {unshaken}runs, held in {}{interval}, needs {needs}%: \
             about {more} more needed (--confidence 0.99 runs them)]",
            c.runs_passed
        );
    }
    format!(
        "  [likely: held in {} of {judged} {unshaken}runs{interval}, needs {needs}%]",
        c.runs_passed
    )
}

/// `, 95%: L%-U%` when the check has an interval, else nothing.
pub(crate) fn interval(c: &CheckReport) -> String {
    c.interval.map_or(String::new(), |[low, high]| {
        format!(", 95%: {:.0}%-{:.0}%", low * 100.0, high * 100.0)
    })
}
