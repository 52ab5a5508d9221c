//! Who goes on at a stop point: the tracer asks the schedule at every stop point of the program
//! (a write to stdout or stderr, a task's start, a creation), and the schedule answers with the
//! tasks to resume now. Unshaken: every task at once. Shaken with random holds: a task held for a
//! seeded random time. Shaken with PCT ([`pct`]): parked until it is the task of highest priority
//! that can go on.

mod kernel;
mod pct;

use std::time::{Duration, Instant};

use crate::options::Shake;
use crate::record::{Hold, HoldPoint, ScheduleStats};
use crate::shake::{Holds, Resume};
use crate::tasks::Table;

use pct::{LOOK_EVERY, PctState, Release};

/// The seed of the tasks' streams: the shake's, but for PCT the same for an even seed and the
/// odd one above it (whose run reverses the priorities drawn from these streams).
pub(crate) fn stream_seed(shake: Option<Shake>) -> u64 {
    match shake {
        Some(s) if s.pct.is_some() => s.seed & !1,
        Some(s) => s.seed,
        None => 0,
    }
}

/// The schedule of one run.
#[derive(Debug)]
pub(crate) struct Scheduler {
    shake: Option<Shake>,
    start: Instant,
    random: Holds,
    pct: Option<PctState>,
    log: Vec<Hold>,
    stats: ScheduleStats,
    /// When free tasks were last looked at (a parked task is looked at every `LOOK_EVERY`).
    looked: Option<Instant>,
    /// Set by [`Scheduler::release_all`]: every later stop point goes on at once.
    stopped: bool,
}

impl Scheduler {
    pub(crate) fn new(shake: Option<Shake>, start: Instant) -> Scheduler {
        let pct = shake.and_then(|s| s.pct.map(|p| PctState::new(s.seed, p, start)));
        Scheduler {
            shake,
            start,
            random: Holds::default(),
            pct,
            log: Vec::new(),
            stats: ScheduleStats::default(),
            looked: None,
            stopped: false,
        }
    }

    /// Ends every hold now, and holds nothing from now on (the main process ended: whatever
    /// outlives it races the grader's grace period, and a hold of ours must not make it lose).
    /// Returns the tasks to resume; the log says how long each hold really lasted.
    pub(crate) fn release_all(&mut self) -> Vec<(i32, Resume)> {
        self.stopped = true;
        let now = Instant::now();
        let at = now.saturating_duration_since(self.start);
        let mut out = self.random.take_all();
        for (tid, _) in &out {
            if let Some(h) = self.log.iter_mut().rev().find(|h| h.tid == *tid) {
                h.duration = h.duration.min(at.saturating_sub(h.at));
            }
        }
        if let Some(pct) = &mut self.pct {
            let parked: Vec<i32> = pct.parked.keys().copied().collect();
            for tid in parked {
                if let Some(p) = pct.parked.get(&tid).copied() {
                    self.log.push(Hold {
                        tid,
                        at: p.since.saturating_duration_since(self.start),
                        duration: now.saturating_duration_since(p.since),
                        point: p.point,
                    });
                    out.push((tid, p.how));
                }
                pct.forget(tid);
            }
        }
        out
    }

    /// Task `tid` stopped at a stop point of the program proper; `dice` is its stream. Returns
    /// the tasks to resume now.
    pub(crate) fn arrive(
        &mut self,
        table: &mut Table,
        tid: i32,
        how: Resume,
        point: HoldPoint,
    ) -> Vec<(i32, Resume)> {
        self.stats.points += 1;
        let now = Instant::now();
        let Some(shake) = self.shake.filter(|_| !self.stopped) else {
            return vec![(tid, how)];
        };
        if let Some(pct) = &mut self.pct {
            if pct.gave_up {
                return vec![(tid, how)];
            }
            pct.arrive(tid, how, point, table.live(tid).map(|l| &mut l.dice), now);
            self.stats.parks += 1;
            self.looked = None;
            return self.due(table, now);
        }
        let (chance, min_part) = crate::shake::chance_at(&shake, point);
        let held = table
            .live(tid)
            .and_then(|l| l.dice.decide(chance, min_part, shake.max_hold));
        match held {
            Some(d) if !d.is_zero() => {
                self.log.push(Hold {
                    tid,
                    at: now.saturating_duration_since(self.start),
                    duration: d,
                    point,
                });
                self.stats.parks += 1;
                self.random.push(now + d, tid, how);
                Vec::new()
            }
            _ => vec![(tid, how)],
        }
    }

    /// The holds that end by `now`.
    pub(crate) fn due(&mut self, table: &mut Table, now: Instant) -> Vec<(i32, Resume)> {
        let Some(pct) = &mut self.pct else {
            return self.random.take_due(now);
        };
        if pct.parked.is_empty() {
            return Vec::new();
        }
        if self
            .looked
            .is_some_and(|t| now.saturating_duration_since(t) < LOOK_EVERY)
            && pct.next_deadline().is_some_and(|d| d > now)
        {
            return Vec::new();
        }
        self.looked = Some(now);
        let parked: Vec<i32> = pct.parked.keys().copied().collect();
        let free = table.free_streams(&parked);
        let ended = pct.due(now, free);
        let mut out = Vec::with_capacity(ended.len());
        for (tid, p, why) in ended {
            match why {
                Release::Valve | Release::Spin => self.stats.valves += 1,
                Release::Budget => self.stats.gave_up = true,
                Release::Turn => {}
            }
            self.log.push(Hold {
                tid,
                at: p.since.saturating_duration_since(self.start),
                duration: now.saturating_duration_since(p.since),
                point: p.point,
            });
            out.push((tid, p.how));
        }
        out
    }

    /// Whether a task is held now.
    pub(crate) fn pending(&self) -> bool {
        match &self.pct {
            Some(p) => !p.parked.is_empty(),
            None => self.random.pending(),
        }
    }

    /// How long the loop may sleep before it asks [`Scheduler::due`] again.
    pub(crate) fn next_look(&self, now: Instant) -> Duration {
        match &self.pct {
            Some(_) => LOOK_EVERY,
            // Never past LOOK_EVERY: the other tasks' stops must be served while one is held
            // (sleeping to the hold's end froze them all, and a main process's end with them).
            None => self.random.next_due().map_or(LOOK_EVERY, |d| {
                d.saturating_duration_since(now).min(LOOK_EVERY)
            }),
        }
    }

    /// A task is gone: it is held no more.
    pub(crate) fn forget(&mut self, tid: i32) {
        self.random.forget(tid);
        if let Some(p) = &mut self.pct {
            if let Some(parked) = p.parked.get(&tid).copied() {
                self.log.push(Hold {
                    tid,
                    at: parked.since.saturating_duration_since(self.start),
                    duration: parked.since.elapsed(),
                    point: parked.point,
                });
            }
            p.forget(tid);
        }
        self.looked = None;
    }

    /// The holds, in order of their start, and the run's figures.
    pub(crate) fn finish(mut self) -> (Vec<Hold>, ScheduleStats) {
        self.log.sort_by_key(|h| h.at);
        if let Some(p) = &self.pct {
            self.stats.change_points = p.change_points().to_vec();
            self.stats.depth = p.depth();
            self.stats.planned_points = p.planned_points();
        }
        (self.log, self.stats)
    }
}
