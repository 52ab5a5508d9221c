//! The strip above the lanes: how many spans are open over time, and the peak.

use std::fmt::Write as _;
use std::time::Duration;

use super::Timeline;
use super::layout::{PLOT_X0, PLOT_X1, STRIP_H};
use super::scale::Scale;
use crate::render::markup::xml_escape;

/// How many open spans there are over time, as a step chart above the lanes, with its peak.
pub(super) fn strip(out: &mut String, t: &Timeline<'_>, scale: &Scale, top: f64) {
    let lang = i18n::Lang::current();
    let end = scale.end;
    let mut events: Vec<(Duration, i32)> = Vec::new();
    for s in &t.spans {
        events.push((s.from, 1));
        events.push((s.to.unwrap_or(end), -1));
    }
    // A close and an open at the same time: the close first (a worker's next task).
    events.sort();
    let (mut now, mut peak) = (0i32, 0i32);
    let mut steps = vec![(Duration::ZERO, 0)];
    for (at, d) in events {
        now += d;
        peak = peak.max(now);
        steps.push((at, now));
    }
    let (y0, y1) = (top + STRIP_H - 8.0, top + 6.0);
    let y = |n: i32| y0 - (y0 - y1) * n as f64 / peak.max(1) as f64;
    let mut d = format!("M{PLOT_X0},{y0}");
    let mut last = 0;
    for (k, (at, n)) in steps.iter().enumerate() {
        let x = scale.x(*at);
        // A count that lasts less than a pixel (a worker's next task opening right after its
        // last closed) is not drawn: it would be a needle.
        if steps
            .get(k + 1)
            .is_some_and(|(next, _)| scale.x(*next) - x < 1.0)
        {
            continue;
        }
        let _ = write!(d, " L{x:.1},{:.1} L{x:.1},{:.1}", y(last), y(*n));
        last = *n;
    }
    let _ = write!(d, " L{PLOT_X1},{:.1} L{PLOT_X1},{y0} z", y(last));
    let mut kinds: Vec<&str> = t
        .spans
        .iter()
        .filter_map(|s| s.label.split(' ').next())
        .collect();
    kinds.dedup();
    kinds.sort_unstable();
    kinds.dedup();
    let _ = writeln!(
        out,
        "<g class=\"strip\"><text class=\"role\" x=\"12\" y=\"{}\">{}</text><text class=\"id\" x=\"12\" y=\"{}\">{}</text><path d=\"{d}\" fill=\"#fcaf3e\" fill-opacity=\"0.6\" stroke=\"#ce5c00\" stroke-width=\"1\"><title>{}</title></path><line x1=\"{PLOT_X0}\" y1=\"{y1}\" x2=\"{PLOT_X1}\" y2=\"{y1}\" stroke=\"#ce5c00\" stroke-dasharray=\"2 3\"/></g>",
        top + 16.0,
        xml_escape(&i18n::tr!(
            lang,
            "picture-open-at-once",
            kinds = format!("'{}'", kinds.join("', '"))
        )),
        top + 31.0,
        xml_escape(&i18n::tr!(
            lang,
            "picture-open-at-most",
            peak = peak.to_string()
        )),
        xml_escape(&i18n::tr!(
            lang,
            "picture-open-title",
            peak = peak.to_string()
        ))
    );
}
