//! The arrows between lanes: who created each task, and each hand-off an `order ... per`
//! check pairs.

use std::fmt::Write as _;

use tracer::TaskKind;

use super::draw::Canvas;
use super::lanes::lane_of;
use super::layout::fmt_time;
use crate::render::markup::xml_escape;

impl Canvas<'_, '_> {
    /// An arrow from each creator's lane to the lane of the task it created, at that time.
    pub(super) fn creations(&self, out: &mut String) {
        out.push_str("<g class=\"creations\">\n");
        for (i, l) in self.lanes.iter().enumerate() {
            let t = l.task;
            let Some(j) = t
                .creator
                .and_then(|c| lane_of(self.lanes, c, t.created_at))
                .filter(|&j| j != i)
            else {
                continue;
            };
            let x = self.scale.x(t.created_at);
            let (y1, y2) = (self.center(j), self.center(i));
            let y2 = if y2 > y1 { y2 - 6.0 } else { y2 + 6.0 };
            let (class, color, dash, what) = match t.kind {
                TaskKind::Process => ("process", "#3465a4", "", "creates process"),
                TaskKind::Thread => (
                    "thread",
                    "#75507b",
                    " stroke-dasharray=\"3 2\"",
                    "creates thread",
                ),
            };
            let _ = writeln!(
                out,
                "<line class=\"create\" x1=\"{x:.1}\" y1=\"{y1}\" x2=\"{x:.1}\" y2=\"{y2}\" stroke=\"{color}\" stroke-width=\"1.5\"{dash} marker-end=\"url(#arrow-{class})\"><title>{} {} {} at {}</title></line>",
                self.lanes[j].id,
                what,
                t.tid,
                fmt_time(t.created_at)
            );
        }
        out.push_str("</g>\n");
    }

    /// An arrow from line to line for each hand-off between two lanes.
    pub(super) fn links(&self, out: &mut String) {
        out.push_str("<g class=\"links\">\n");
        let lines = &self.t.lines;
        for k in &self.t.links {
            let (Some(a), Some(b)) = (lines.get(k.from), lines.get(k.to)) else {
                continue;
            };
            let (Some(la), Some(lb)) = (
                lane_of(self.lanes, a.tid, a.at),
                lane_of(self.lanes, b.tid, b.at),
            ) else {
                continue;
            };
            if la == lb {
                continue;
            }
            let (xa, ya, xb, yb) = (
                self.scale.x(a.at),
                self.center(la),
                self.scale.x(b.at),
                self.center(lb),
            );
            let mid = (xa + xb) / 2.0 + 12.0;
            let _ = writeln!(
                out,
                "<path class=\"link\" d=\"M{xa:.1},{ya} C{mid:.1},{ya} {mid:.1},{yb} {:.1},{yb}\" fill=\"none\" stroke=\"#4e9a06\" stroke-opacity=\"0.7\" stroke-width=\"1.1\" stroke-dasharray=\"5 3\" marker-end=\"url(#arrow-link)\"><title>{}</title></path>",
                xb - 5.0,
                xml_escape(&i18n::tr!(
                    i18n::Lang::current(),
                    "picture-link-title",
                    label = k.label.as_str(),
                    first = format!("{:?}", a.text),
                    then = format!("{:?}", b.text)
                ))
            );
        }
        out.push_str("</g>\n");
    }
}
