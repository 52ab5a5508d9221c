//! PCT, the probabilistic concurrency testing scheduler of Burckhardt, Kothari, Musuvathi and
//! Nagarakatte (ASPLOS 2010), over the tracer's stop points of a real process tree.
//!
//! Every task gets a random priority above `d`; at `d - 1` stop points drawn among the `k`
//! expected, the task arriving there drops to priority 1, 2, ... (below every first priority). A
//! task that reaches a stop point is parked there; a parked task goes on only when no free task of
//! higher priority can go on (each is waiting for something, asleep in a wait, or gone; a task
//! sleeping a fixed time *can* go on). So a sleep orders nothing, a wait (for an exit, a read, a
//! lock) still does. Each run then shows any bug of depth `d` with probability at least
//! `1 / (n k^(d-1))` for `n` tasks. A park lasts at most `max_park`; past `budget` of the run
//! nothing is parked any more.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::options::Pct;
use crate::record::HoldPoint;
use crate::shake::{Dice, Resume};

use super::kernel::{Activity, activity};

/// A task parked at a stop point.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parked {
    pub(crate) how: Resume,
    pub(crate) since: Instant,
    pub(crate) point: HoldPoint,
    /// Since when only running tasks (none asleep) of higher priority kept it parked.
    spun: Option<Instant>,
}

/// Why a park ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Release {
    /// No free task of higher priority could go on.
    Turn,
    /// It lasted `max_park`.
    Valve,
    /// The run passed its budget: nothing is parked any more.
    Budget,
    /// Only running tasks kept it parked, for `SPIN_PARK`: they spin on something it must do.
    Spin,
}

#[derive(Debug)]
pub(crate) struct PctState {
    opts: Pct,
    /// Antithetic runs: an odd seed's first priorities are the even seed's below it, reversed.
    reversed: bool,
    /// The stop point numbers (from 1) where the arriving task's priority drops, in order.
    changes: Vec<u64>,
    step: u64,
    prio: HashMap<i32, f64>,
    pub(crate) parked: HashMap<i32, Parked>,
    ends: Instant,
    pub(crate) gave_up: bool,
}

impl PctState {
    pub(crate) fn new(seed: u64, opts: Pct, start: Instant) -> PctState {
        let mut draw = Dice::root(seed ^ 0x7063_745f_6368);
        let k = opts.points.max(1);
        let mut changes: Vec<u64> = Vec::new();
        let wanted = (opts.depth.max(1) - 1) as usize;
        // d - 1 distinct points among k (fewer when k is smaller).
        let mut tries = 0;
        while changes.len() < wanted.min(k as usize) && tries < 10_000 {
            tries += 1;
            let c = 1 + ((draw.unit() * k as f64) as u64).min(k - 1);
            if !changes.contains(&c) {
                changes.push(c);
            }
        }
        PctState {
            opts,
            reversed: seed & 1 == 1,
            changes,
            step: 0,
            prio: HashMap::new(),
            parked: HashMap::new(),
            ends: start + opts.budget,
            gave_up: false,
        }
    }

    /// Task `tid`'s priority, drawn from its own stream the first time it is asked for (the
    /// stream is the task's place in the tree: the same program replays the same priorities).
    fn priority(&mut self, tid: i32, dice: Option<&mut Dice>) -> f64 {
        let (depth, reversed) = (f64::from(self.opts.depth.max(1)), self.reversed);
        *self.prio.entry(tid).or_insert_with(|| {
            let u = dice.map_or(0.5, |d| d.unit());
            depth + if reversed { 1.0 - u } else { u }
        })
    }

    /// A task at stop point number `step`: parked, its priority dropped if a change point falls
    /// here.
    pub(crate) fn arrive(
        &mut self,
        tid: i32,
        how: Resume,
        point: HoldPoint,
        dice: Option<&mut Dice>,
        now: Instant,
    ) {
        self.step += 1;
        self.priority(tid, dice);
        if let Some(i) = self.changes.iter().position(|&c| c == self.step) {
            self.prio.insert(tid, (i + 1) as f64);
        }
        self.parked.insert(
            tid,
            Parked {
                how,
                since: now,
                point,
                spun: None,
            },
        );
    }

    /// The parks that end now: past the budget every one; else those past `max_park`; else the
    /// parked task of highest priority, when no free task above it can go on. `free` lists the
    /// live tasks not parked, each with its stream (for a priority not drawn yet).
    pub(crate) fn due(
        &mut self,
        now: Instant,
        free: Vec<(i32, Option<&mut Dice>)>,
    ) -> Vec<(i32, Parked, Release)> {
        if self.gave_up || now >= self.ends {
            self.gave_up = true;
            return self.take_all(Release::Budget);
        }
        let max = self.opts.max_park;
        let late: Vec<i32> = self
            .parked
            .iter()
            .filter(|(_, p)| now.saturating_duration_since(p.since) >= max)
            .map(|(t, _)| *t)
            .collect();
        let mut out: Vec<(i32, Parked, Release)> = late
            .into_iter()
            .filter_map(|t| self.parked.remove(&t).map(|p| (t, p, Release::Valve)))
            .collect();
        let best = self
            .parked
            .keys()
            .map(|&t| (t, self.prio.get(&t).copied().unwrap_or(0.0)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        if let Some((tid, top)) = best {
            let (mut running, mut sleeping) = (false, false);
            for (t, dice) in free {
                if self.priority(t, dice) > top {
                    match activity(t) {
                        Activity::Running => running = true,
                        Activity::Sleeping => sleeping = true,
                        Activity::Waiting => {}
                    }
                    if sleeping {
                        break;
                    }
                }
            }
            let why = match (running, sleeping) {
                (false, false) => Some(Release::Turn),
                (true, false) => self.spinning(tid, now),
                _ => {
                    if let Some(p) = self.parked.get_mut(&tid) {
                        p.spun = None;
                    }
                    None
                }
            };
            if let Some(why) = why
                && let Some(p) = self.parked.remove(&tid)
            {
                out.push((tid, p, why));
            }
        }
        out
    }

    /// Only running tasks keep `tid` parked: let it go once that has lasted `SPIN_PARK` (a task
    /// that spins on a flag only `tid` can set would spin for the whole `max_park`).
    fn spinning(&mut self, tid: i32, now: Instant) -> Option<Release> {
        let p = self.parked.get_mut(&tid)?;
        let since = *p.spun.get_or_insert(now);
        (now.saturating_duration_since(since) >= SPIN_PARK).then_some(Release::Spin)
    }

    fn take_all(&mut self, why: Release) -> Vec<(i32, Parked, Release)> {
        let mut all: Vec<(i32, Parked, Release)> =
            self.parked.drain().map(|(t, p)| (t, p, why)).collect();
        all.sort_by_key(|(t, p, _)| (p.since, *t));
        all
    }

    pub(crate) fn forget(&mut self, tid: i32) {
        self.parked.remove(&tid);
        self.prio.remove(&tid);
    }

    /// When the next park may end by itself (its valve, or the budget).
    pub(crate) fn next_deadline(&self) -> Option<Instant> {
        self.parked
            .values()
            .map(|p| (p.since + self.opts.max_park).min(self.ends))
            .min()
    }

    /// `d`.
    pub(crate) fn depth(&self) -> u32 {
        self.opts.depth.max(1)
    }

    /// `k` as given.
    pub(crate) fn planned_points(&self) -> u64 {
        self.opts.points.max(1)
    }

    /// The priority-change points drawn.
    pub(crate) fn change_points(&self) -> &[u64] {
        &self.changes
    }
}

/// How long a park may wait for a free task's state to settle before it is looked at again.
pub(crate) const LOOK_EVERY: Duration = Duration::from_micros(300);
/// How long running tasks alone may keep a task parked.
const SPIN_PARK: Duration = Duration::from_millis(200);

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(depth: u32, points: u64) -> Pct {
        Pct {
            depth,
            points,
            max_park: Duration::from_secs(1),
            budget: Duration::from_secs(10),
        }
    }

    #[test]
    fn change_points_are_distinct_within_k_and_replay() {
        let now = Instant::now();
        let a = PctState::new(5, opts(4, 10), now);
        let b = PctState::new(5, opts(4, 10), now);
        assert_eq!(a.change_points(), b.change_points());
        assert_eq!(a.change_points().len(), 3);
        assert!(a.change_points().iter().all(|&c| (1..=10).contains(&c)));
        let mut sorted = a.change_points().to_vec();
        sorted.dedup();
        assert_eq!(sorted.len(), 3);
        assert!(
            PctState::new(5, opts(1, 10), now)
                .change_points()
                .is_empty()
        );
    }

    #[test]
    fn the_highest_parked_goes_when_nothing_free_is_above_it_and_odd_seeds_reverse() {
        let now = Instant::now();
        let mut orders = Vec::new();
        for seed in [8, 9] {
            let mut s = PctState::new(seed, opts(1, 10), now);
            let mut d1 = Dice::root(1);
            let mut d2 = Dice::root(2);
            s.arrive(1, Resume::Cont(0), HoldPoint::Write, Some(&mut d1), now);
            s.arrive(2, Resume::Cont(0), HoldPoint::Write, Some(&mut d2), now);
            let first = s.due(now, Vec::new());
            assert_eq!(first.len(), 1);
            assert_eq!(first[0].2, Release::Turn);
            let second = s.due(now, Vec::new());
            assert_eq!(second.len(), 1);
            orders.push((first[0].0, second[0].0));
        }
        assert_eq!(
            orders[0],
            (orders[1].1, orders[1].0),
            "seed 9 reverses seed 8"
        );
    }

    #[test]
    fn valve_and_budget_end_parks() {
        let now = Instant::now();
        let mut s = PctState::new(3, opts(2, 5), now);
        s.arrive(7, Resume::Syscall, HoldPoint::Start, None, now);
        // A free task above it that can go on: ourselves, running.
        // SAFETY: gettid takes nothing and cannot fail.
        let me = unsafe { libc::gettid() };
        s.prio.insert(me, 100.0);
        assert!(s.due(now, vec![(me, None)]).is_empty());
        let later = now + Duration::from_secs(1);
        let got = s.due(later, vec![(me, None)]);
        assert_eq!(
            got.iter().map(|g| (g.0, g.2)).collect::<Vec<_>>(),
            [(7, Release::Valve)]
        );
        s.arrive(7, Resume::Syscall, HoldPoint::Write, None, later);
        let got = s.due(now + Duration::from_secs(11), vec![(me, None)]);
        assert_eq!(got[0].2, Release::Budget);
        assert!(s.gave_up);
    }
}
