//! Where time runs: from 0 to the last event, linear, except that a stretch where nothing at
//! all happens and nothing is open (a program starting, a child process starting) is cut to a
//! narrow break, marked on the picture, so the rest is not crowded into a corner. A stretch
//! while something is open (a task running), or a long one after the first line (perhaps the
//! program's own sleep), is never cut: its length is what it shows.

use std::time::Duration;

use super::layout::{PLOT_X0, PLOT_X1};

/// A quiet stretch longer than this share of the run is cut.
const CUT_OVER: f64 = 0.2;
/// A quiet stretch after the first line is cut only when shorter than this.
const SHORT: Duration = Duration::from_millis(50);
/// What a cut stretch is left with, as a share of the width drawn.
const CUT_TO: f64 = 0.04;
/// Ticks closer than this many pixels are thinned.
const TICK_GAP: f64 = 48.0;

/// Maps times to x.
#[derive(Debug, Clone)]
pub(super) struct Scale {
    /// The time at the plot's right edge.
    pub(super) end: Duration,
    /// The cut stretches, in order: from, to (seconds).
    breaks: Vec<(f64, f64)>,
    /// What each cut stretch is drawn as (seconds of the uncut scale).
    keep: f64,
    /// The length of the scale once cut (seconds).
    shown: f64,
}

impl Scale {
    /// A scale up to the latest of `events` (at least a millisecond), cutting the quiet
    /// stretches between them: before `first_line`, any long one; after it, only short ones
    /// (under [`SHORT`]); and none that overlaps one of `keep_whole`, the times something is
    /// open, whose lengths the picture must show true.
    pub(super) fn new(
        mut events: Vec<Duration>,
        keep_whole: &[(Duration, Duration)],
        first_line: Option<Duration>,
    ) -> Scale {
        events.push(Duration::ZERO);
        events.sort_unstable();
        let end = events
            .last()
            .copied()
            .unwrap_or_default()
            .max(Duration::from_millis(1));
        let total = end.as_secs_f64();
        let mut breaks = Vec::new();
        for w in events.windows(2) {
            let (a, b) = (w[0].as_secs_f64(), w[1].as_secs_f64());
            let open = keep_whole
                .iter()
                .any(|(from, to)| from.as_secs_f64() < b && to.as_secs_f64() > a);
            // Before the first line: the program starting (an interpreter, a shim). After it, a
            // quiet stretch is cut only when it is short (a process starting), never when it
            // may be the program's own sleep.
            let starting = first_line.is_some_and(|f| b <= f.as_secs_f64());
            let cut = if starting {
                b - a > CUT_OVER / 2.0 * total
            } else {
                b - a > CUT_OVER * total && b - a < SHORT.as_secs_f64()
            };
            if cut && !open {
                // A little of each side stays, so a mark at either end is not on the break.
                let pad = 0.01 * total;
                breaks.push((a + pad, b - pad));
            }
        }
        // Each break takes CUT_TO of the width drawn (less when there are many).
        let uncut = total - breaks.iter().map(|(a, b)| b - a).sum::<f64>();
        let share = CUT_TO.min(0.3 / breaks.len().max(1) as f64);
        let shown = uncut / (1.0 - share * breaks.len() as f64);
        let keep = share * shown;
        Scale {
            end,
            breaks,
            keep,
            shown,
        }
    }

    /// Seconds along the cut scale.
    fn shown_at(&self, t: f64) -> f64 {
        let mut cut = 0.0;
        for &(a, b) in &self.breaks {
            if t >= b {
                cut += b - a - self.keep;
            } else if t > a {
                cut += (t - a) * (1.0 - self.keep / (b - a));
            }
        }
        t - cut
    }

    pub(super) fn x(&self, t: Duration) -> f64 {
        let f = (self.shown_at(t.as_secs_f64()) / self.shown).clamp(0.0, 1.0);
        PLOT_X0 + f * (PLOT_X1 - PLOT_X0)
    }

    /// The cut stretches: where each is drawn (x from, x to) and how long it really was.
    pub(super) fn breaks(&self) -> Vec<(f64, f64, Duration)> {
        self.breaks
            .iter()
            .map(|&(a, b)| {
                let d = |s: f64| Duration::from_secs_f64(s.max(0.0));
                (self.x(d(a)), self.x(d(b)), d(b - a))
            })
            .collect()
    }

    /// The axis's step: 1, 2 or 5 times a power of ten, about 10 ticks along the uncut parts.
    fn step(&self) -> f64 {
        let end = self.end.as_secs_f64();
        let uncut = self.shown - self.keep * self.breaks.len() as f64;
        let raw = uncut.max(end * 0.01) / 10.0;
        let mag = 10f64.powf(raw.log10().floor());
        [1.0, 2.0, 5.0, 10.0]
            .iter()
            .map(|m| m * mag)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * mag)
    }

    /// A tick's label, in ms for a run under a second (else s), with as many decimals as the
    /// step needs: `0.5 ms`, `120 ms`, `1.5 s`.
    pub(super) fn label(&self, t: Duration) -> String {
        let (unit, factor) = if self.end < Duration::from_secs(1) {
            ("ms", 1000.0)
        } else {
            ("s", 1.0)
        };
        let step = self.step() * factor;
        let decimals = (-step.log10().floor()).clamp(0.0, 3.0) as usize;
        if t.is_zero() {
            return "0".into();
        }
        format!("{:.*} {unit}", decimals, t.as_secs_f64() * factor)
    }

    /// Tick times for the axis: every step from 0, none inside a cut stretch, none crowding
    /// the one before.
    pub(super) fn ticks(&self) -> Vec<Duration> {
        let end = self.end.as_secs_f64();
        let step = self.step();
        let mut ticks: Vec<Duration> = Vec::new();
        let mut last_x = f64::NEG_INFINITY;
        let mut k = 0u32;
        loop {
            let t = f64::from(k) * step;
            if t > end + 1e-12 || k > 10_000 {
                break;
            }
            k += 1;
            if self.breaks.iter().any(|&(a, b)| t > a && t < b) {
                continue;
            }
            let d = Duration::from_secs_f64(t);
            let x = self.x(d);
            if x - last_x >= TICK_GAP {
                ticks.push(d);
                last_x = x;
            }
        }
        ticks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: u64) -> Duration {
        Duration::from_millis(v)
    }

    #[test]
    fn ticks_are_round_and_cover_the_run() {
        let s = Scale::new(
            vec![ms(10), ms(150), ms(300), ms(450), ms(600), ms(700), ms(840)],
            &[],
            None,
        );
        let t: Vec<u128> = s.ticks().iter().map(Duration::as_millis).collect();
        assert_eq!(t, vec![0, 100, 200, 300, 400, 500, 600, 700, 800]);
        assert_eq!(s.label(ms(300)), "300 ms");
        assert!(s.breaks().is_empty());
        assert_eq!(s.x(ms(0)), PLOT_X0);
        assert_eq!(s.x(ms(840)), PLOT_X1);
    }

    #[test]
    fn a_quiet_stretch_is_cut_and_time_still_runs_forward() {
        // Nothing between 4 ms and 20 ms of a 26 ms run.
        let s = Scale::new(vec![ms(2), ms(4), ms(20), ms(22), ms(26)], &[], Some(ms(2)));
        let b = s.breaks();
        assert_eq!(b.len(), 1);
        let (x0, x1, long) = b[0];
        assert!(x1 - x0 < 0.05 * (PLOT_X1 - PLOT_X0), "{b:?}");
        assert!(long > ms(14), "{long:?}");
        let xs: Vec<f64> = [0, 2, 4, 10, 20, 22, 26]
            .iter()
            .map(|&v| s.x(ms(v)))
            .collect();
        assert!(xs.windows(2).all(|w| w[0] < w[1]), "{xs:?}");
        // The 6 ms after the break take more room than the 16 ms of the break.
        assert!(s.x(ms(26)) - s.x(ms(20)) > x1 - x0);
        assert_eq!(s.label(ms(20)), "20 ms");
        // No tick inside the cut.
        assert!(s.ticks().iter().all(|t| *t <= ms(5) || *t >= ms(19)));
        // The same stretch while something is open is not cut.
        let open = Scale::new(
            vec![ms(2), ms(4), ms(20), ms(22), ms(26)],
            &[(ms(3), ms(21))],
            Some(ms(2)),
        );
        assert!(open.breaks().is_empty());
        // A long quiet stretch after the first line may be a sleep: not cut; before the first
        // line it is the program starting: cut.
        let sleep = Scale::new(vec![ms(10), ms(300), ms(320)], &[], Some(ms(10)));
        assert!(sleep.breaks().is_empty());
        let start = Scale::new(vec![ms(300), ms(320), ms(330)], &[], Some(ms(300)));
        assert_eq!(start.breaks().len(), 1);
    }
}
