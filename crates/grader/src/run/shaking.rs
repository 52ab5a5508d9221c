//! Which runs of a grading are shaken, how (PCT or random holds), with which seed, and what PCT
//! is told of the program: the number of stop points `k`, estimated from the runs so far, and the
//! run's lead, moved from run to run over the `n` tasks seen so far (stratified PCT).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tracer::{Pct, Shake};

/// The longest random hold at time scale 1: long enough that an order resting on a sleep of a
/// fraction of a second instead of a join, a queue or a lock comes out wrong. Holds scale with
/// the time scale, as the ports' sleeps do.
const MAX_HOLD_AT_SCALE_1: Duration = Duration::from_secs(1);
/// Holds never go below this: at tiny time scales a process's start alone takes longer.
const MAX_HOLD_FLOOR: Duration = Duration::from_millis(2);
/// Nor above this, whatever the time scale.
const MAX_HOLD_CEILING: Duration = Duration::from_secs(2);
/// The safety valve of an ordered schedule (PCT, explore): the longest a task stays parked. It
/// does not scale (a student's sleep does not either), and it is long: a park ends by a
/// decision, once the run settled; the valve is for what the model misses.
pub(crate) const MAX_PARK: Duration = Duration::from_secs(10);
/// `k` before any run has been seen (the first run is unshaken, so this is rarely used).
const POINTS_GUESS: u64 = 20;

/// How shaken runs are scheduled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scheduler {
    /// PCT: random priorities, `depth - 1` priority drops, a task parked while one of higher
    /// priority can go on (the default).
    #[default]
    Pct,
    /// Random holds of a bounded, scaled length (the scheduler before PCT).
    Random,
}

/// The shaking of a grading's runs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plan {
    share: f64,
    base: u64,
    every_run: bool,
    max_hold: Duration,
    scheduler: Scheduler,
    depth: u32,
    budget: Duration,
    /// The most stop points seen in one run so far, or `--points`.
    points: Option<u64>,
    /// `--points`: fixed, not learned (a replay gives the `k` of the run it replays).
    points_fixed: bool,
    /// The most tasks seen in one run so far: PCT's `n`, over which the lead moves.
    tasks: Option<u32>,
    /// `--lead`: every run's lead, fixed (a replay gives the lead of the run it replays).
    lead_fixed: Option<u32>,
    /// `--last`: every run's last, fixed (a replay gives the last of the run it replays).
    last_fixed: Option<u32>,
}

impl Plan {
    /// `share` of the runs shaken (spread evenly, the first run unshaken), seeds drawn at
    /// random; with `seed`, every run shaken, run k with `seed + k - 1`. PCT of depth 2.
    pub(crate) fn new(share: f64, seed: Option<u64>, time_scale: f64) -> Plan {
        let base = seed.unwrap_or_else(|| {
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or_default();
            // Seeds small enough to type back in; a multiple of 4, so runs group (`depth_of`).
            ((nanos ^ u64::from(std::process::id()).rotate_left(32)) % 1_000_000_007) & !3
        });
        let max_hold = MAX_HOLD_AT_SCALE_1
            .mul_f64(time_scale.clamp(0.0, 1e6))
            .clamp(MAX_HOLD_FLOOR, MAX_HOLD_CEILING);
        Plan {
            share,
            base,
            every_run: seed.is_some(),
            max_hold,
            scheduler: Scheduler::Pct,
            depth: 2,
            budget: Duration::from_secs(15),
            points: None,
            points_fixed: false,
            tasks: None,
            lead_fixed: None,
            last_fixed: None,
        }
    }

    /// PCT's lead fixed to `lead` in every run instead of moved from run to run.
    pub(crate) fn with_lead(mut self, lead: Option<u32>) -> Plan {
        self.lead_fixed = lead;
        self
    }

    /// PCT's last fixed to `last` in every run instead of moved from run to run.
    pub(crate) fn with_last(mut self, last: Option<u32>) -> Plan {
        self.last_fixed = last;
        self
    }

    /// PCT's `k` fixed to `points` instead of learned from the runs.
    pub(crate) fn with_points(mut self, points: Option<u64>) -> Plan {
        if let Some(k) = points {
            self.points = Some(k.max(1));
            self.points_fixed = true;
        }
        self
    }

    /// The scheduler, PCT's depth, and the run's time limit (PCT parks nothing past half of it).
    pub(crate) fn with(mut self, scheduler: Scheduler, depth: u32, timeout: Duration) -> Plan {
        self.scheduler = scheduler;
        self.depth = depth.max(1);
        self.budget = timeout / 2;
        self
    }

    /// Learns `k` and `n` from a finished run (`tasks`: its processes and threads, 0 untraced).
    pub(crate) fn observe(&mut self, stats: &tracer::ScheduleStats, tasks: usize) {
        if stats.points > 0 && !self.points_fixed {
            self.points = Some(self.points.unwrap_or(0).max(stats.points));
        }
        let tasks = u32::try_from(tasks).unwrap_or(u32::MAX);
        if tasks > 0 {
            self.tasks = Some(self.tasks.unwrap_or(0).max(tasks));
        }
    }

    /// The lead of the `nth` shaken run (from 0): the runs of each depth (see [`depth_of`]) take
    /// the tasks in turn from a place drawn with the grading's seeds, so a program of `n` tasks
    /// has each of them lead within `n` runs of either depth, and each run alone leads with a
    /// task drawn uniformly (PCT's random order). None until a run has shown the tasks.
    fn lead(&self, nth: u64) -> Option<u32> {
        if self.lead_fixed.is_some() || self.every_run {
            return self.lead_fixed;
        }
        let n = u64::from(self.tasks?.max(1));
        let turn = (nth / 4) * 2 + nth % 2;
        let start = self.base.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32;
        u32::try_from((start + turn) % n).ok()
    }

    /// The last of the `nth` shaken run: a fixed distance (drawn with the grading's seeds, from 1
    /// to `n - 1`) behind its lead, so it moves with the lead over the `n` tasks, each run's last
    /// is drawn uniformly among the tasks but its lead, and each task comes last within `n`
    /// runs of either depth. None until a run has shown two tasks or more.
    fn last(&self, nth: u64) -> Option<u32> {
        if self.last_fixed.is_some() || self.every_run {
            return self.last_fixed;
        }
        let n = u64::from(self.tasks?);
        if n < 2 {
            return None;
        }
        let lead = u64::from(self.lead(nth)?);
        let behind = 1 + (self.base.wrapping_mul(0xc2b2_ae3d_27d4_eb4f) >> 32) % (n - 1);
        u32::try_from((lead + behind) % n).ok()
    }

    /// The shaking of run `k` (from 1), if it is shaken.
    pub(crate) fn shake(&self, k: usize) -> Option<Shake> {
        let shaken = self.every_run || {
            let f = self.share;
            (k as f64 * f).floor() > ((k - 1) as f64 * f).floor()
        };
        // Shaken runs are numbered 0, 1, 2, ... so that seeds pair up (even, odd).
        let nth = if self.every_run {
            k as u64 - 1
        } else {
            ((k as f64 * self.share).floor() as u64).saturating_sub(1)
        };
        let seed = self.base.wrapping_add(nth);
        shaken.then(|| match self.scheduler {
            Scheduler::Random => Shake::new(seed, self.max_hold),
            Scheduler::Pct => Shake::pct(
                seed,
                Pct {
                    depth: depth_of(seed, self.depth),
                    points: self.points.unwrap_or(POINTS_GUESS),
                    max_park: MAX_PARK,
                    budget: self.budget,
                    lead: self.lead(nth),
                    last: self.last(nth),
                },
            ),
        })
    }
}

/// The depth of PCT in the run with `seed`, `depth` asked: seeds 4j and 4j+1 run at depth 1
/// (no priority change: their two runs, priorities reversed, put every two tasks in both orders),
/// seeds 4j+2 and 4j+3 at `depth`. A priority change helps a bug that needs one, and hides one that
/// needs none in most runs; mixing both keeps each run's own bound and finds the common ones fast.
pub(crate) fn depth_of(seed: u64, depth: u32) -> u32 {
    if seed % 4 < 2 { 1 } else { depth.max(1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_the_runs_spread_and_seeds_replay() {
        let p = Plan::new(0.5, None, 1.0);
        let shaken: Vec<usize> = (1..=10).filter(|&k| p.shake(k).is_some()).collect();
        assert_eq!(shaken, [2, 4, 6, 8, 10]);
        let seeds: Vec<u64> = shaken
            .iter()
            .filter_map(|&k| p.shake(k).map(|s| s.seed))
            .collect();
        assert_eq!(
            seeds[0] % 4,
            0,
            "the first shaken run's seed starts a group of four"
        );
        assert_eq!(
            seeds[1],
            seeds[0] + 1,
            "and the next one its antithetic twin"
        );
        assert!(Plan::new(0.0, None, 1.0).shake(3).is_none());
        let replay =
            Plan::new(0.5, Some(77), 0.01).with(Scheduler::Random, 2, Duration::from_secs(30));
        assert_eq!(replay.shake(1).map(|s| s.seed), Some(77));
        assert_eq!(replay.shake(2).map(|s| s.seed), Some(78));
        assert_eq!(
            replay.shake(1).map(|s| s.max_hold),
            Some(Duration::from_millis(10))
        );
    }

    #[test]
    fn pct_learns_k_from_the_runs() {
        let mut p = Plan::new(1.0, Some(6), 0.01).with(Scheduler::Pct, 3, Duration::from_secs(20));
        let k = |p: &Plan| {
            p.shake(1)
                .and_then(|s| s.pct)
                .map(|c| (c.points, c.depth, c.budget))
        };
        assert_eq!(p.shake(3).and_then(|s| s.pct).map(|c| c.depth), Some(1));
        assert_eq!(k(&p), Some((POINTS_GUESS, 3, Duration::from_secs(10))));
        p.observe(
            &tracer::ScheduleStats {
                points: 9,
                ..Default::default()
            },
            3,
        );
        p.observe(
            &tracer::ScheduleStats {
                points: 7,
                ..Default::default()
            },
            2,
        );
        assert_eq!(k(&p).map(|c| c.0), Some(9));
        assert_eq!(p.shake(1).and_then(|s| s.pct).map(|c| c.lead), Some(None));
    }

    #[test]
    fn each_task_comes_last_in_a_run_of_each_depth_within_n_runs_and_never_leads_it() {
        for n in [2u32, 3, 5] {
            for share in [0.5, 1.0] {
                let mut p = Plan::new(share, None, 1.0);
                p.observe(&tracer::ScheduleStats::default(), n as usize);
                let runs: Vec<(u32, Option<u32>, Option<u32>)> = (1..=8 * n as usize)
                    .filter_map(|k| p.shake(k).and_then(|s| s.pct))
                    .map(|c| (c.depth, c.lead, c.last))
                    .collect();
                assert!(runs.iter().all(|r| r.1 != r.2), "n {n}: {runs:?}");
                for depth in [1, 2] {
                    let mut lasts: Vec<u32> = runs
                        .iter()
                        .filter(|r| r.0 == depth)
                        .filter_map(|r| r.2)
                        .take(n as usize)
                        .collect();
                    lasts.sort_unstable();
                    let all: Vec<u32> = (0..n).collect();
                    assert_eq!(lasts, all, "n {n}, share {share}, depth {depth}: {runs:?}");
                }
            }
        }
    }

    #[test]
    fn each_task_leads_a_run_of_each_depth_within_n_runs() {
        for share in [0.5, 1.0] {
            let mut p = Plan::new(share, None, 1.0);
            let before: Vec<Option<u32>> = (1..=10)
                .filter_map(|k| p.shake(k).and_then(|s| s.pct).map(|c| c.lead))
                .collect();
            assert!(
                before.iter().all(Option::is_none),
                "no lead before n is known"
            );
            p.observe(&tracer::ScheduleStats::default(), 3);
            let runs: Vec<(u32, Option<u32>)> = (1..=24)
                .filter_map(|k| p.shake(k).and_then(|s| s.pct))
                .map(|c| (c.depth, c.lead))
                .collect();
            for depth in [1, 2] {
                let leads: Vec<u32> = runs
                    .iter()
                    .filter(|r| r.0 == depth)
                    .filter_map(|r| r.1)
                    .take(3)
                    .collect();
                let mut sorted = leads.clone();
                sorted.sort_unstable();
                assert_eq!(sorted, [0, 1, 2], "share {share}, depth {depth}: {runs:?}");
            }
        }
        let fixed = Plan::new(0.5, Some(8), 1.0).with_lead(Some(4));
        assert_eq!(
            fixed.shake(1).and_then(|s| s.pct).map(|c| c.last),
            Some(None),
            "a replay's last is its own"
        );
        assert_eq!(
            fixed.shake(1).and_then(|s| s.pct).map(|c| c.lead),
            Some(Some(4))
        );
    }
}
