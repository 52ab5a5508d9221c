//! PCT, the probabilistic concurrency testing scheduler of Burckhardt, Kothari, Musuvathi and
//! Nagarakatte (ASPLOS 2010), as the policy of an ordered schedule ([`super::ordered`]).
//!
//! Every task gets a random priority above `d` (the run's lead, if it has one, the highest of
//! them: [`Pct::lead`]); at `d - 1` decisions drawn among the `k`
//! expected, the task about to go on drops to priority 1, 2, ... (below every first priority).
//! At each decision the parked task of highest priority goes on (a task about to sleep is
//! parked too: a sleep orders nothing; a wait for an exit, a read or a lock still does). Each
//! run then shows any bug of depth `d` with probability at least `1 / (n k^(d-1))` for `n`
//! tasks.

use std::collections::HashMap;

use crate::options::Choice;
use crate::options::Pct;
use crate::shake::Dice;

use super::parked::{Parked, label_order};

#[derive(Debug)]
pub(crate) struct PctState {
    opts: Pct,
    /// Antithetic runs: an odd seed's first priorities are the even seed's below it, reversed.
    reversed: bool,
    /// The decision numbers (from 1) where the chosen task's priority drops, in order.
    changes: Vec<u64>,
    /// Releases so far.
    step: u64,
    prio: HashMap<i32, f64>,
    /// Tasks given a first priority so far (the next one's number in [`Pct::lead`]'s order).
    born: u32,
}

impl PctState {
    pub(crate) fn new(seed: u64, opts: Pct) -> PctState {
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
            born: 0,
        }
    }

    /// Task `tid`'s priority, drawn from its own stream the first time it is asked for (the
    /// stream is the task's place in the tree: the same program replays the same priorities).
    pub(crate) fn priority(&mut self, tid: i32, dice: Option<&mut Dice>) -> f64 {
        let (depth, reversed) = (f64::from(self.opts.depth.max(1)), self.reversed);
        let (lead, last, born) = (self.opts.lead, self.opts.last, &mut self.born);
        *self.prio.entry(tid).or_insert_with(|| {
            let number = *born;
            *born += 1;
            let u = dice.map_or(0.5, |d| d.unit());
            if lead == Some(number) {
                // Above every drawn priority (which lie in [depth, depth + 1)).
                return depth + 1.0;
            }
            if last == Some(number) {
                // Below every drawn priority, above every dropped one (1 to depth - 1).
                return depth - 0.5;
            }
            depth + if reversed { 1.0 - u } else { u }
        })
    }

    /// The parked task of highest priority (ties by label); at a change point the task about to
    /// go on drops first, and the choice is made again.
    pub(crate) fn choose(&mut self, parked: &[(i32, &Parked)]) -> Choice {
        let mut scored: Vec<(i32, &str, f64)> = parked
            .iter()
            .map(|(t, p)| {
                (
                    *t,
                    p.label.as_str(),
                    self.prio.get(t).copied().unwrap_or(0.0),
                )
            })
            .collect();
        fn top<'a>(scored: &[(i32, &'a str, f64)]) -> Option<(i32, &'a str, f64)> {
            scored
                .iter()
                .copied()
                .max_by(|a, b| a.2.total_cmp(&b.2).then(label_order(b.1, a.1)))
        }
        let Some(mut best) = top(&scored) else {
            return String::new();
        };
        self.step += 1;
        if let Some(i) = self.changes.iter().position(|&c| c == self.step) {
            let dropped = (i + 1) as f64;
            self.prio.insert(best.0, dropped);
            if let Some(s) = scored.iter_mut().find(|s| s.0 == best.0) {
                s.2 = dropped;
            }
            best = top(&scored).unwrap_or(best);
        }
        best.1.to_string()
    }

    pub(crate) fn forget(&mut self, tid: i32) {
        self.prio.remove(&tid);
    }

    /// Task `tid` has a priority above every one of `parked` (a task without one yet outranks
    /// none).
    pub(crate) fn outranks(&self, tid: i32, mut parked: impl Iterator<Item = i32>) -> bool {
        let Some(mine) = self.prio.get(&tid) else {
            return false;
        };
        parked.all(|t| self.prio.get(&t).is_none_or(|p| p < mine))
    }

    /// `d`.
    pub(crate) fn depth(&self) -> u32 {
        self.opts.depth.max(1)
    }

    /// `k` as given.
    pub(crate) fn planned_points(&self) -> u64 {
        self.opts.points.max(1)
    }

    /// The lead asked for.
    pub(crate) fn lead(&self) -> Option<u32> {
        self.opts.lead
    }

    /// The last asked for.
    pub(crate) fn last(&self) -> Option<u32> {
        self.opts.last
    }

    /// The priority-change points drawn.
    pub(crate) fn change_points(&self) -> &[u64] {
        &self.changes
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::record::HoldPoint;
    use crate::shake::Resume;

    fn opts(depth: u32, points: u64) -> Pct {
        Pct {
            depth,
            points,
            max_park: Duration::from_secs(1),
            budget: Duration::from_secs(10),
            lead: None,
            last: None,
        }
    }

    fn park(label: &str) -> Parked {
        Parked {
            label: label.into(),
            at: String::new(),
            how: Resume::Cont(0),
            since: Instant::now(),
            point: HoldPoint::Write,
        }
    }

    #[test]
    fn change_points_are_distinct_within_k_and_replay() {
        let a = PctState::new(5, opts(4, 10));
        let b = PctState::new(5, opts(4, 10));
        assert_eq!(a.change_points(), b.change_points());
        assert_eq!(a.change_points().len(), 3);
        assert!(a.change_points().iter().all(|&c| (1..=10).contains(&c)));
        let mut sorted = a.change_points().to_vec();
        sorted.dedup();
        assert_eq!(sorted.len(), 3);
        assert!(PctState::new(5, opts(1, 10)).change_points().is_empty());
    }

    #[test]
    fn the_highest_goes_first_and_odd_seeds_reverse() {
        let (a, b) = (park("0"), park("1"));
        let mut orders = Vec::new();
        for seed in [8, 9] {
            let mut s = PctState::new(seed, opts(1, 10));
            s.priority(1, Some(&mut Dice::root(1)));
            s.priority(2, Some(&mut Dice::root(2)));
            let first = s.choose(&[(1, &a), (2, &b)]);
            let second = if first == "0" {
                s.choose(&[(2, &b)])
            } else {
                s.choose(&[(1, &a)])
            };
            orders.push((first, second));
        }
        assert_eq!(
            orders[0],
            (orders[1].1.clone(), orders[1].0.clone()),
            "seed 9 reverses seed 8"
        );
    }

    #[test]
    fn the_lead_goes_first_whatever_was_drawn_and_whichever_way() {
        let (a, b, c) = (park("0"), park("0.1"), park("0.2"));
        for lead in 0..3u32 {
            for seed in 0..8 {
                let mut s = PctState::new(
                    seed,
                    Pct {
                        lead: Some(lead),
                        ..opts(1, 10)
                    },
                );
                for tid in 1..=3 {
                    s.priority(tid, Some(&mut Dice::root(seed * 10 + tid as u64)));
                }
                let first = s.choose(&[(1, &a), (2, &b), (3, &c)]);
                let want = ["0", "0.1", "0.2"][lead as usize];
                assert_eq!(first, want, "lead {lead}, seed {seed}");
            }
        }
    }

    #[test]
    fn the_last_goes_after_every_other_task_whatever_was_drawn() {
        let parked = [park("0"), park("0.1"), park("0.2")];
        for last in 0..3u32 {
            for seed in 0..8 {
                let mut s = PctState::new(
                    seed,
                    Pct {
                        last: Some(last),
                        ..opts(1, 10)
                    },
                );
                for tid in 1..=3 {
                    s.priority(tid, Some(&mut Dice::root(seed * 10 + tid as u64)));
                }
                let mut left: Vec<(i32, &Parked)> = (1..=3).zip(parked.iter()).collect();
                let mut order = Vec::new();
                while !left.is_empty() {
                    let chosen = s.choose(&left);
                    left.retain(|(_, p)| p.label != chosen);
                    order.push(chosen);
                }
                let want = ["0", "0.1", "0.2"][last as usize];
                assert_eq!(order[2], want, "last {last}, seed {seed}: {order:?}");
            }
        }
    }

    #[test]
    fn a_change_point_drops_the_task_about_to_go_on() {
        let (a, b) = (park("0"), park("1"));
        let mut s = PctState::new(3, opts(2, 1));
        assert_eq!(s.change_points(), [1]);
        s.prio.insert(1, 5.0);
        s.prio.insert(2, 4.0);
        assert_eq!(s.choose(&[(1, &a), (2, &b)]), "1");
        assert_eq!(s.choose(&[(1, &a), (2, &b)]), "1", "0 stays dropped");
    }
}
