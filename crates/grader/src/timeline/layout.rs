//! Geometry: the picture's measures, and where a line's text fits beside its mark without
//! covering another's.

use std::time::Duration;

/// The picture's width in pixels.
pub(super) const WIDTH: f64 = 1200.0;
/// Where the plot begins (the lane labels are left of it) and ends.
pub(super) const PLOT_X0: f64 = 230.0;
pub(super) const PLOT_X1: f64 = WIDTH - 24.0;
/// One lane's height, with a row of text above its line and one below.
pub(super) const LANE_H: f64 = 52.0;
/// The strip counting open spans, when there are any.
pub(super) const STRIP_H: f64 = 40.0;
/// The time axis under the lanes.
pub(super) const AXIS_H: f64 = 34.0;
/// The width of one character of the marks' monospace font (11 px).
pub(super) const CHAR_W: f64 = 6.7;
/// How far right of its mark a text may be pushed to fit.
const SHIFT_MAX: f64 = 40.0;
/// Text shorter than this many characters is not worth showing cut.
const MIN_CHARS: usize = 8;

/// A time as the axis and titles write it: `0.25 s`, `12 ms`, `1.5 s`.
pub(super) fn fmt_time(t: Duration) -> String {
    let s = t.as_secs_f64();
    if s == 0.0 {
        "0".into()
    } else if s < 0.01 {
        format!("{:.1} ms", s * 1000.0)
    } else if s < 1.0 {
        format!("{:.0} ms", s * 1000.0)
    } else {
        format!("{:.2} s", s)
    }
}

/// Rows of text a lane can have: even rows above its line, odd rows below, the first two
/// nearest it; the others make the lane taller, only when a crowded lane needs them.
pub(super) const ROWS: usize = 6;
/// The height of one row of text.
pub(super) const ROW_H: f64 = 14.0;

/// Where one text goes: its start x, its row, and how many of its columns fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Placed {
    pub(super) x: f64,
    pub(super) row: usize,
    pub(super) chars: usize,
}

/// The texts placed on one lane so far: how far right each row is taken.
#[derive(Debug, Clone)]
pub(super) struct LaneText {
    taken: [f64; ROWS],
}

impl Default for LaneText {
    fn default() -> Self {
        LaneText {
            taken: [PLOT_X0; ROWS],
        }
    }
}

impl LaneText {
    /// Places a text of `chars` columns for a mark at `x`, marks taken left to right: right of
    /// the mark (or a little further) in the nearest rows, else left of it, else in the outer
    /// rows, else cut to what fits right of it; `None` when not even a few characters fit (the
    /// text is then in the mark's title only).
    pub(super) fn place(&mut self, x: f64, chars: usize) -> Option<Placed> {
        let w = chars as f64 * CHAR_W;
        let gap = 6.0;
        let near = [0, 1];
        let outer = 2..ROWS;
        let tries = near
            .iter()
            .map(|&r| (r, true))
            .chain(near.iter().map(|&r| (r, false)))
            .chain(outer.clone().map(|r| (r, true)))
            .chain(outer.map(|r| (r, false)));
        for (row, rightward) in tries {
            // Right of the mark, pushed a little further right when the row's last text ends
            // just past the mark (a line right after another on the same lane).
            let (start, end) = if rightward {
                let start = (x + gap).max(self.taken[row] + gap);
                (start, start + w)
            } else {
                (x - gap - w, x - gap)
            };
            let close = start - x <= SHIFT_MAX;
            if close && start >= self.taken[row] + gap && end <= PLOT_X1 + 20.0 {
                self.taken[row] = end;
                return Some(Placed {
                    x: start,
                    row,
                    chars,
                });
            }
        }
        for row in 0..ROWS {
            let start = x + gap;
            let room = ((WIDTH - 4.0 - start) / CHAR_W).floor();
            if start >= self.taken[row] + gap && room >= MIN_CHARS as f64 {
                let fit = (room as usize).min(chars);
                self.taken[row] = start + fit as f64 * CHAR_W;
                return Some(Placed {
                    x: start,
                    row,
                    chars: fit,
                });
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_never_overlap_in_a_row() {
        let mut lane = LaneText::default();
        let a = lane.place(300.0, 20).expect("room");
        let b = lane.place(310.0, 20).expect("the second row");
        assert_eq!((a.row, b.row), (0, 1));
        // Both near rows taken past 320: a third text close by goes to an outer row.
        assert_eq!(lane.place(320.0, 20).map(|p| p.row), Some(2));
        for _ in 3..ROWS {
            assert!(lane.place(330.0, 20).is_some());
        }
        // Every row taken: no room, not even cut.
        assert_eq!(lane.place(340.0, 20), None);
        // Far right: it ends left of its mark rather than running off the picture.
        let c = lane.place(PLOT_X1, 30).expect("left of the mark");
        assert!(c.x + 30.0 * CHAR_W <= PLOT_X1, "{c:?}");
    }

    #[test]
    fn times_read_in_their_unit() {
        assert_eq!(fmt_time(Duration::from_millis(250)), "250 ms");
        assert_eq!(fmt_time(Duration::from_micros(1500)), "1.5 ms");
        assert_eq!(fmt_time(Duration::from_millis(1500)), "1.50 s");
    }
}
