//! Who goes on at a stop point: the tracer tells the schedule of every stop point of the program
//! (a write to stdout or stderr, a task's start, a creation), and the schedule answers with the
//! tasks to resume now. Unshaken: every task at once. Shaken with random holds: a task held for a
//! seeded random time. Ordered ([`ordered`]), by PCT ([`pct`]) or by an explored schedule
//! ([`script`]): parked until a decision lets it go on.

mod kernel;
mod ordered;
mod parked;
mod pct;
mod script;

use std::time::{Duration, Instant};

use crate::options::{Explore, Shake};
use crate::record::{Hold, HoldPoint, ScheduleStats};
use crate::shake::{Holds, Resume};
use crate::tasks::Table;

use ordered::{Free, Ordered, Policy, Release};
use parked::Parked;
use pct::PctState;
use script::ScriptState;

/// How long the loop sleeps, when nothing is to be served, before it looks at the parked tasks
/// again (the free tasks' states settle meanwhile).
const LOOK_EVERY: Duration = Duration::from_micros(300);

/// The seed of the tasks' streams: the shake's, but for PCT the same for an even seed and the
/// odd one above it (whose run reverses the priorities drawn from these streams).
pub(crate) fn stream_seed(shake: Option<Shake>) -> u64 {
    match shake {
        Some(s) if s.pct.is_some() => s.seed & !1,
        Some(s) => s.seed,
        None => 0,
    }
}

/// The letter of a stop point in a decision's `at`.
fn point_letter(point: HoldPoint) -> char {
    match point {
        HoldPoint::Write => 'w',
        HoldPoint::Create => 'c',
        HoldPoint::Start => 's',
        HoldPoint::Sleep => 'z',
        HoldPoint::Exit => 'x',
    }
}

/// The schedule of one run.
#[derive(Debug)]
pub(crate) struct Scheduler {
    shake: Option<Shake>,
    start: Instant,
    random: Holds,
    ordered: Option<Ordered>,
    log: Vec<Hold>,
    stats: ScheduleStats,
    /// Set by [`Scheduler::release_all`]: every later stop point goes on at once.
    stopped: bool,
}

impl Scheduler {
    pub(crate) fn new(shake: Option<Shake>, explore: Option<&Explore>, start: Instant) -> Self {
        let ordered = match (explore, shake.and_then(|s| s.pct.map(|p| (s.seed, p)))) {
            (Some(e), _) => Some(Ordered::new(
                Policy::Script(ScriptState::new(&e.choices)),
                e.max_park,
                e.budget,
                start,
            )),
            (None, Some((seed, p))) => Some(Ordered::new(
                Policy::Pct(PctState::new(seed, p)),
                p.max_park,
                p.budget,
                start,
            )),
            (None, None) => None,
        };
        Scheduler {
            shake: if explore.is_some() { None } else { shake },
            start,
            random: Holds::default(),
            ordered,
            log: Vec::new(),
            stats: ScheduleStats::default(),
            stopped: false,
        }
    }

    fn hold(&self, tid: i32, p: &Parked, now: Instant) -> Hold {
        Hold {
            tid,
            at: p.since.saturating_duration_since(self.start),
            duration: now.saturating_duration_since(p.since),
            point: p.point,
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
        let ended = match &mut self.ordered {
            Some(o) => o.take_all(Release::Budget),
            None => Vec::new(),
        };
        for (tid, p, _) in ended {
            self.log.push(self.hold(tid, &p, now));
            out.push((tid, p.how));
        }
        out
    }

    /// Task `tid` stopped at a stop point of the program proper. Returns the tasks to resume
    /// now (an ordered schedule decides later, in [`Scheduler::due`], once the run settled).
    pub(crate) fn arrive(
        &mut self,
        table: &mut Table,
        tid: i32,
        how: Resume,
        point: HoldPoint,
    ) -> Vec<(i32, Resume)> {
        self.stats.points += 1;
        let now = Instant::now();
        if self.stopped {
            return vec![(tid, how)];
        }
        if let Some(o) = &mut self.ordered {
            if o.gave_up {
                return vec![(tid, how)];
            }
            let live = table.live(tid);
            let (label, at, dice) = match live {
                Some(l) => {
                    l.stops += 1;
                    let to_stderr = matches!(
                        l.pending,
                        Some(crate::calls::Pending::Write {
                            stream: crate::record::Stream::Stderr,
                            ..
                        })
                    );
                    let letter = if to_stderr { 'e' } else { point_letter(point) };
                    let at = format!("{letter}{}", l.stops);
                    (l.label.clone(), at, Some(&mut l.dice))
                }
                None => (format!("?{tid}"), String::new(), None),
            };
            let parked = Parked {
                label,
                at,
                how,
                since: now,
                point,
            };
            o.arrive(tid, parked, dice);
            self.stats.parks += 1;
            return Vec::new();
        }
        let Some(shake) = self.shake else {
            return vec![(tid, how)];
        };
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

    /// The holds that end by `now`. For an ordered schedule, call it only when every stop the
    /// tracer has to serve was served (a decision then sees the run as it is).
    pub(crate) fn due(&mut self, table: &mut Table, now: Instant) -> Vec<(i32, Resume)> {
        let Some(o) = &mut self.ordered else {
            return self.random.take_due(now);
        };
        if o.parked.is_empty() {
            return Vec::new();
        }
        let parked: Vec<i32> = o.parked.keys().copied().collect();
        let sizes = table.group_sizes();
        let free: Vec<Free> = table
            .free(&parked)
            .into_iter()
            .map(|(tid, tgid, in_program, wrote)| Free {
                tid,
                group_alive: sizes.get(&tgid).is_some_and(|&n| n > 1),
                in_program,
                wrote,
            })
            .collect();
        let ended = o.due(now, &free);
        let mut out = Vec::with_capacity(ended.len());
        for (tid, p, why) in ended {
            if why == Release::Budget {
                self.stats.gave_up = true;
            }
            self.log.push(self.hold(tid, &p, now));
            out.push((tid, p.how));
        }
        out
    }

    /// Whether a task is held now.
    pub(crate) fn pending(&self) -> bool {
        match &self.ordered {
            Some(o) => !o.parked.is_empty(),
            None => self.random.pending(),
        }
    }

    /// How long the loop may sleep before it asks [`Scheduler::due`] again.
    pub(crate) fn next_look(&self, now: Instant) -> Duration {
        match &self.ordered {
            Some(o) => o.next_deadline().map_or(LOOK_EVERY, |d| {
                d.saturating_duration_since(now).min(LOOK_EVERY)
            }),
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
        let parked = self.ordered.as_mut().and_then(|o| {
            let p = o.parked.get(&tid).cloned();
            o.forget(tid);
            p
        });
        if let Some(p) = parked {
            self.log.push(self.hold(tid, &p, Instant::now()));
        }
    }

    /// The holds, in order of their start, and the run's figures.
    pub(crate) fn finish(mut self) -> (Vec<Hold>, ScheduleStats) {
        self.log.sort_by_key(|h| h.at);
        if let Some(o) = self.ordered {
            self.stats.valves = o.decisions.iter().filter(|d| d.forced).count() as u64;
            self.stats.decisions = o.decisions;
            match o.policy {
                Policy::Pct(p) => {
                    self.stats.change_points = p.change_points().to_vec();
                    self.stats.depth = p.depth();
                    self.stats.planned_points = p.planned_points();
                    self.stats.lead = p.lead();
                    self.stats.last = p.last();
                }
                Policy::Script(s) => self.stats.missed = s.missed,
            }
        }
        (self.log, self.stats)
    }
}
