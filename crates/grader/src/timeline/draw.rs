//! Drawing the lanes: each task's life, its open spans, holds and end, and each line as a mark
//! with its text where it fits; the strip counting open spans. (The arrows between lanes are
//! `arrows`'.)

use std::fmt::Write as _;
use std::time::Duration;

use tracer::{HoldPoint, Stream, TaskKind};

use super::Timeline;
use super::glyphs::{cut_columns, visible};
use super::lanes::{Lane, lane_of};
use super::layout::{PLOT_X0, PLOT_X1, Placed, fmt_time};
use super::place::{Geometry, MAX_MARKS, end_words, place};
use super::scale::Scale;
use crate::render::markup::xml_escape;

/// Mark colors of line kinds, in order of first appearance (red is kept for highlights).
pub(super) const KIND_COLORS: &[&str] = &[
    "#3465a4", "#4e9a06", "#8f5902", "#75507b", "#06989a", "#c4a000", "#ad7fa8", "#555753",
];
/// A stdout line of no kind.
pub(super) const UNKINDED_COLOR: &str = "#2e3436";
/// A stderr line (drawn as a square).
pub(super) const STDERR_COLOR: &str = "#f57900";
/// A highlighted line.
const HIGHLIGHT: &str = "#cc0000";

/// The lanes being drawn, and where.
pub(super) struct Canvas<'t, 'a> {
    pub(super) t: &'t Timeline<'a>,
    pub(super) lanes: &'t [Lane<'a>],
    pub(super) scale: &'t Scale,
    top: f64,
    kinds: &'t [String],
    geo: Geometry,
}

impl<'t, 'a> Canvas<'t, 'a> {
    pub(super) fn new(
        t: &'t Timeline<'a>,
        lanes: &'t [Lane<'a>],
        scale: &'t Scale,
        top: f64,
        kinds: &'t [String],
    ) -> Self {
        Canvas {
            t,
            lanes,
            scale,
            top,
            kinds,
            geo: place(t, lanes, scale, top),
        }
    }

    /// The height of the lanes.
    pub(super) fn height(&self) -> f64 {
        self.geo.height()
    }

    /// The middle of lane `i`.
    pub(super) fn center(&self, i: usize) -> f64 {
        self.geo.lanes[i].center
    }

    fn lane_end(&self, i: usize) -> Duration {
        self.lanes[i].task.ended_at.unwrap_or(self.scale.end)
    }

    /// Every lane (the arrows between them, `arrows`, go over them and under the marks).
    pub(super) fn lanes(&self, out: &mut String) {
        for i in 0..self.lanes.len() {
            self.lane(out, i);
        }
    }

    /// A lane's background, label, life, open spans, holds and execs.
    fn lane(&self, out: &mut String, i: usize) {
        self.lane_head(out, i);
        self.life(out, i);
        self.open_spans(out, i);
        self.holds(out, i);
        self.execs(out, i);
        out.push_str("</g>\n");
    }

    /// Opens lane `i`'s group: its background (every other lane), its id and role.
    fn lane_head(&self, out: &mut String, i: usize) {
        let l = &self.lanes[i];
        let task = l.task;
        let lane = self.geo.lanes[i];
        let (top, y) = (lane.top, lane.center);
        let _ = writeln!(
            out,
            "<g class=\"lane\" data-tid=\"{}\" data-kind=\"{}\">",
            task.tid,
            match task.kind {
                TaskKind::Process => "process",
                TaskKind::Thread => "thread",
            }
        );
        if i % 2 == 1 {
            let _ = writeln!(
                out,
                "<rect x=\"0\" y=\"{top}\" width=\"{}\" height=\"{}\" fill=\"#f6f6f3\"/>",
                PLOT_X1 + 24.0,
                lane.height
            );
        }
        let role: String = l.role.chars().take(40).collect();
        let _ = writeln!(
            out,
            "<text class=\"id\" x=\"12\" y=\"{}\">{}</text><text class=\"role\" x=\"12\" y=\"{}\">{}<title>{}</title></text>",
            y - 6.0,
            xml_escape(&l.id),
            y + 9.0,
            xml_escape(&role),
            xml_escape(&l.role)
        );
    }

    /// Lane `i`'s task's life: a line from its creation to its end.
    fn life(&self, out: &mut String, i: usize) {
        let task = self.lanes[i].task;
        let y = self.center(i);
        let (x0, x1) = (
            self.scale.x(task.created_at),
            self.scale.x(self.lane_end(i)),
        );
        let (stroke, width) = match task.kind {
            TaskKind::Process => ("#888a85", 3),
            TaskKind::Thread => ("#ad7fa8", 2),
        };
        let _ = writeln!(
            out,
            "<line x1=\"{x0:.1}\" y1=\"{y}\" x2=\"{:.1}\" y2=\"{y}\" stroke=\"{stroke}\" stroke-width=\"{width}\"/>",
            x1.max(x0 + 1.0)
        );
    }

    /// The spans lane `i`'s task had open (a pool's task between its start and end lines).
    fn open_spans(&self, out: &mut String, i: usize) {
        let lang = i18n::Lang::current();
        let tid = self.lanes[i].task.tid;
        let y = self.center(i);
        for s in self.t.spans.iter().filter(|s| s.tid == tid) {
            if lane_of(self.lanes, s.tid, s.from) != Some(i) {
                continue;
            }
            let to = s.to.unwrap_or(self.lane_end(i));
            let (a, b) = (self.scale.x(s.from), self.scale.x(to));
            let _ = writeln!(
                out,
                "<rect class=\"span\" x=\"{a:.1}\" y=\"{}\" width=\"{:.1}\" height=\"16\" rx=\"3\" fill=\"#fcaf3e\" fill-opacity=\"0.45\" stroke=\"#e9b96e\" stroke-width=\"1\"><title>{}</title></rect>",
                y - 8.0,
                (b - a - 1.0).max(1.5),
                xml_escape(&i18n::tr!(
                    lang,
                    "picture-span-title",
                    label = s.label.as_str(),
                    from = fmt_time(s.from),
                    to =
                        s.to.map(fmt_time)
                            .unwrap_or_else(|| i18n::tr(lang, "picture-never-closed"))
                ))
            );
        }
    }

    /// Where the shaking held lane `i`'s task, and how long.
    fn holds(&self, out: &mut String, i: usize) {
        let lang = i18n::Lang::current();
        let tid = self.lanes[i].task.tid;
        let y = self.center(i);
        for h in self.t.trace.holds.iter().filter(|h| h.tid == tid) {
            if lane_of(self.lanes, h.tid, h.at) != Some(i) {
                continue;
            }
            let (a, b) = (self.scale.x(h.at), self.scale.x(h.at + h.duration));
            let at = match h.point {
                HoldPoint::Write => "picture-hold-write",
                HoldPoint::Create => "picture-hold-create",
                HoldPoint::Start => "picture-hold-start",
                HoldPoint::Sleep => "picture-hold-sleep",
                HoldPoint::Exit => "picture-hold-exit",
            };
            let title = i18n::tr!(
                lang,
                "picture-hold-title",
                duration = fmt_time(h.duration),
                at = i18n::tr(lang, at),
                from = fmt_time(h.at)
            );
            let _ = writeln!(
                out,
                "<rect class=\"hold\" x=\"{a:.1}\" y=\"{}\" width=\"{:.1}\" height=\"10\" fill=\"url(#hold)\" stroke=\"#555753\" stroke-width=\"0.5\"><title>{}</title></rect>",
                y - 5.0,
                (b - a).max(2.0),
                xml_escape(&title)
            );
        }
    }

    /// Each exec of lane `i`'s task: a diamond at its time.
    fn execs(&self, out: &mut String, i: usize) {
        let lang = i18n::Lang::current();
        let y = self.center(i);
        for e in &self.lanes[i].task.execs {
            let x = self.scale.x(e.at);
            let _ = writeln!(
                out,
                "<path class=\"exec\" d=\"M{x:.1},{} l5,5 l-5,5 l-5,-5 z\" fill=\"#ffffff\" stroke=\"#2e3436\"><title>{}</title></path>",
                y - 5.0,
                xml_escape(&i18n::tr!(
                    lang,
                    "picture-exec-title",
                    path = e.path.as_str(),
                    argv = e.argv.join(" "),
                    time = fmt_time(e.at)
                ))
            );
        }
    }

    /// Each line's mark on its writer's lane, with its text where it fits and in its title
    /// always; each lane's end, with its status.
    pub(super) fn marks(&self, out: &mut String) {
        out.push_str("<g class=\"marks\">\n");
        for n in 0..self.t.lines.len() {
            if let Some((i, placed)) = self.geo.lines[n] {
                self.mark(out, i, n, placed);
            }
        }
        for i in 0..self.lanes.len() {
            self.end(out, i);
        }
        out.push_str("</g>\n");
        if self.geo.skipped > 0 {
            let _ = writeln!(
                out,
                "<text class=\"sub\" x=\"{PLOT_X0}\" y=\"{}\">{}</text>",
                self.top - 4.0,
                xml_escape(&i18n::tr!(
                    i18n::Lang::current(),
                    "picture-not-drawn",
                    count = self.geo.skipped,
                    max = MAX_MARKS
                ))
            );
        }
    }

    fn mark(&self, out: &mut String, i: usize, n: usize, placed: Option<Placed>) {
        let l = &self.t.lines[n];
        let (x, y) = (self.scale.x(l.at), self.center(i));
        let color = match (&l.kind, l.stream) {
            _ if l.highlighted => HIGHLIGHT,
            (_, Stream::Stderr) => STDERR_COLOR,
            (Some(k), _) => self
                .kinds
                .iter()
                .position(|x| x == k)
                .map(|p| KIND_COLORS[p % KIND_COLORS.len()])
                .unwrap_or(UNKINDED_COLOR),
            (None, _) => UNKINDED_COLOR,
        };
        let task = self.lanes[i].task;
        let lang = i18n::Lang::current();
        let stream = match l.stream {
            Stream::Stdout => "picture-stream-stdout",
            Stream::Stderr => "picture-stream-stderr",
        };
        let said = i18n::tr!(
            lang,
            "picture-mark-title",
            lane = self.lanes[i].id.as_str(),
            pid = task.tgid.to_string(),
            tid = task.tid.to_string(),
            stream = i18n::tr(lang, stream),
            time = fmt_time(l.at)
        );
        let mut title = format!("{}\n{said}", l.text);
        if let Some(k) = &l.kind {
            title.push_str(&i18n::tr!(lang, "picture-mark-kind", kind = k.as_str()));
        }
        if l.highlighted {
            title.push_str(&i18n::tr(lang, "picture-mark-quoted"));
        }
        let _ = write!(
            out,
            "<g class=\"mark{}\" data-tid=\"{}\"><title>{}</title>",
            if l.highlighted { " hl" } else { "" },
            l.tid,
            xml_escape(&title)
        );
        if l.highlighted {
            let _ = write!(
                out,
                "<circle cx=\"{x:.1}\" cy=\"{y}\" r=\"8\" fill=\"none\" stroke=\"{HIGHLIGHT}\" stroke-width=\"1.5\"/>"
            );
        }
        match l.stream {
            Stream::Stdout => {
                let _ = write!(
                    out,
                    "<circle cx=\"{x:.1}\" cy=\"{y}\" r=\"4\" fill=\"{color}\"/>"
                );
            }
            Stream::Stderr => {
                let _ = write!(
                    out,
                    "<rect x=\"{:.1}\" y=\"{}\" width=\"8\" height=\"8\" fill=\"{color}\"/>",
                    x - 4.0,
                    y - 4.0
                );
            }
        }
        if let Some(p) = placed {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{}\">{}</text>",
                p.x,
                self.geo.lanes[i].row_y(p.row),
                xml_escape(&cut_columns(&visible(&l.text), p.chars))
            );
        }
        out.push_str("</g>\n");
    }

    /// The lane's end: a bar at the time it was reaped, and how it ended.
    fn end(&self, out: &mut String, i: usize) {
        let task = self.lanes[i].task;
        let Some(at) = task.ended_at else { return };
        let (x, y) = (self.scale.x(at), self.center(i));
        let (short, long, color) = end_words(task);
        let _ = write!(
            out,
            "<g class=\"end\"><title>{}</title><line x1=\"{x:.1}\" y1=\"{}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"{color}\" stroke-width=\"2.5\"/>",
            xml_escape(&i18n::tr!(
                i18n::Lang::current(),
                "picture-end-title",
                lane = self.lanes[i].id.as_str(),
                how = long,
                time = fmt_time(at)
            )),
            y - 8.0,
            y + 8.0
        );
        if let Some(p) = self.geo.ends[i] {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{}\" fill=\"{color}\">{}</text>",
                p.x,
                self.geo.lanes[i].row_y(p.row),
                xml_escape(&short[..p.chars.min(short.len())])
            );
        }
        out.push_str("</g>\n");
    }
}
