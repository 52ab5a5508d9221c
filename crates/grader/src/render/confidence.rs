//! The text report's tag of a likely check: how often it held, its 95% interval, the threshold,
//! and for an undecided one about how many more runs would decide it.

use i18n::{Lang, tr};

use crate::verdict::report::{CheckReport, CheckStatus};

/// `  [likely: held in H of R unshaken runs (95%: L%-U%), needs T%]`, or the undecided form,
/// in `lang`.
pub(crate) fn likely_tag(c: &CheckReport, runs: usize, threshold: f64, lang: Lang) -> String {
    let judged = c.runs_judged(runs);
    let unshaken = if c.runs_shaken > 0 { "yes" } else { "no" };
    let interval = c.interval.map_or(String::new(), |[low, high]| {
        let (low, high) = ((low * 100.0).round(), (high * 100.0).round());
        tr!(lang, "report-interval", low = low, high = high)
    });
    let percent = (threshold * 100.0).round();
    if c.status == CheckStatus::Undecided {
        let more = c.more_runs.unwrap_or(0);
        let text = tr!(
            lang,
            "report-likely-undecided",
            judged = judged,
            unshaken = unshaken,
            held = c.runs_passed,
            interval = interval,
            percent = percent,
            more = more
        );
        return format!("  [{text}]");
    }
    let text = tr!(
        lang,
        "report-likely",
        held = c.runs_passed,
        judged = judged,
        unshaken = unshaken,
        interval = interval,
        percent = percent
    );
    format!("  [{text}]")
}
