//! Where everything goes before anything is drawn: which lane each line is on, where its text
//! fits, and so how tall each lane must be (a crowded lane gets more rows of text).

use std::time::Duration;

use tracer::{End, Task};

use super::Timeline;
use super::glyphs::{columns, signal_name, visible};
use super::lanes::{Lane, lane_of};
use super::layout::{LANE_H, LaneText, Placed, ROW_H};
use super::scale::Scale;

/// Marks drawn at most.
pub(super) const MAX_MARKS: usize = 5000;

/// One lane's place on the picture.
#[derive(Debug, Clone, Copy)]
pub(super) struct LaneBox {
    pub(super) top: f64,
    pub(super) height: f64,
    /// The y of the lane's line.
    pub(super) center: f64,
}

impl LaneBox {
    /// The baseline of a row of text: even rows above the line, odd rows below.
    pub(super) fn row_y(&self, row: usize) -> f64 {
        let level = (row / 2) as f64 * ROW_H;
        if row.is_multiple_of(2) {
            self.center - 13.0 - level
        } else {
            self.center + 20.0 + level
        }
    }
}

/// Where each lane, line and end label goes.
#[derive(Debug)]
pub(super) struct Geometry {
    pub(super) lanes: Vec<LaneBox>,
    /// Per line of the timeline: its lane and where its text goes, if it is drawn.
    pub(super) lines: Vec<Option<(usize, Option<Placed>)>>,
    /// Per lane: where its end label goes.
    pub(super) ends: Vec<Option<Placed>>,
    /// Lines not drawn: past [`MAX_MARKS`], or of a task without a lane.
    pub(super) skipped: usize,
}

impl Geometry {
    /// The height of all lanes together.
    pub(super) fn height(&self) -> f64 {
        self.lanes.last().map(|l| l.top + l.height).unwrap_or(0.0)
            - self.lanes.first().map(|l| l.top).unwrap_or(0.0)
    }
}

/// How a task ended: a short label, the same in words, and its color.
pub(super) fn end_words(task: &Task) -> (String, String, &'static str) {
    let lang = i18n::Lang::current();
    let say = |id: &str| i18n::tr(lang, id);
    match task.end {
        Some(End::Exited(c)) => (
            i18n::tr!(lang, "picture-exit", status = c),
            i18n::tr!(lang, "picture-exited", status = c),
            if c == 0 { "#4e9a06" } else { "#cc0000" },
        ),
        // Not always a fault: a Queue's reader is terminated by design.
        Some(End::Signaled(s)) => (
            signal_name(s),
            i18n::tr!(lang, "picture-killed", signal = signal_name(s)),
            "#ce5c00",
        ),
        Some(End::Replaced) => (
            say("picture-replaced"),
            say("picture-replaced-why"),
            "#555753",
        ),
        None => (String::new(), say("picture-ended"), "#888a85"),
    }
}

/// Lays out `t`'s lanes from `top` down.
pub(super) fn place(t: &Timeline<'_>, lanes: &[Lane<'_>], scale: &Scale, top: f64) -> Geometry {
    enum Item {
        Line(usize),
        End,
    }
    let mut per_lane: Vec<Vec<(Duration, Item)>> = (0..lanes.len()).map(|_| Vec::new()).collect();
    let mut lines = vec![None; t.lines.len()];
    let mut skipped = t.lines.len().saturating_sub(MAX_MARKS);
    for (n, l) in t.lines.iter().enumerate().take(MAX_MARKS) {
        match lane_of(lanes, l.tid, l.at) {
            Some(i) => per_lane[i].push((l.at, Item::Line(n))),
            None => skipped += 1,
        }
    }
    let mut ends = vec![None; lanes.len()];
    let mut boxes = Vec::with_capacity(lanes.len());
    let mut y = top;
    for (i, items) in per_lane.iter_mut().enumerate() {
        let task = lanes[i].task;
        if let Some(at) = task.ended_at {
            items.push((at, Item::End));
        }
        items.sort_by_key(|(at, item)| (*at, matches!(item, Item::End)));
        let mut text = LaneText::default();
        let mut rows = 0;
        for (at, item) in items.iter() {
            let x = scale.x(*at);
            let placed = match item {
                Item::Line(n) => {
                    let p = text.place(x, columns(&visible(&t.lines[*n].text)));
                    lines[*n] = Some((i, p));
                    p
                }
                Item::End => {
                    let label = end_words(task).0;
                    let p = (!label.is_empty())
                        .then(|| text.place(x, label.len()))
                        .flatten();
                    ends[i] = p;
                    p
                }
            };
            rows = rows.max(placed.map(|p| p.row + 1).unwrap_or(0));
        }
        // Rows past the first two make room: odd ones below the line, even ones above.
        let above = rows.saturating_sub(1) / 2;
        let below = rows.saturating_sub(2) / 2;
        let height = LANE_H + (above + below) as f64 * ROW_H;
        boxes.push(LaneBox {
            top: y,
            height,
            center: y + 28.0 + above as f64 * ROW_H,
        });
        y += height;
    }
    Geometry {
        lanes: boxes,
        lines,
        ends,
        skipped,
    }
}
