//! The ordered schedules (PCT's, and an explored one): every task of the program proper that
//! reaches a stop point (a write, a start, a creation, a sleep) is parked there, and a task
//! goes on only by a decision. A decision is taken only once the run has settled: every task
//! not parked is waiting for another (an exit, bytes in a pipe, a futex) or gone, none runs or
//! sleeps, and every stop the tracer has to serve is served. Then what comes next depends on the
//! program and the decisions alone, not on how fast each task ran: the same seed or schedule
//! gives the same order of stop points.
//!
//! A sleep is a stop point of its own: a task about to sleep is parked there, and once released
//! it sleeps its whole time before the next decision. So a sleep orders nothing (another task
//! may be chosen before the sleeper, or held for the whole sleep), and whether a task sleeps is
//! known when it starts to, not guessed from `/proc` after.
//!
//! The options of a decision are the parked tasks; the policy ([`Policy`]) picks one, and one
//! task is released per decision.
//!
//! Valves keep a run going where the model does not hold: a task that keeps running for
//! `SPIN_PARK` (it spins on a flag only a parked task can set, or computes at length) is let be
//! (the decision is taken without it, and marked forced) until it stops at a stop point; a task
//! passed over while others went on to `STARVE` sleeps in a row is chosen next (a poll loop that
//! sleeps must not starve the task it polls for: deterministic, so it replays); a park
//! outliving `max_park` ends by itself (forced); past the budget nothing is parked any more.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use crate::options::Choice;
use crate::record::{Decision, HoldPoint};
use crate::shake::Dice;

use super::kernel::{Activity, cpu_ticks, observe};
use super::parked::{Parked, label_order};
use super::pct::PctState;
use super::script::ScriptState;

/// Why a park ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Release {
    /// A decision chose it.
    Turn,
    /// It lasted `max_park`.
    Valve,
    /// The run passed its budget, or its main process ended: nothing is parked any more.
    Budget,
}

/// A live task not parked, as a decision sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Free {
    pub(crate) tid: i32,
    /// Another task of its process is alive (a zombie leader waits for them, not for us).
    pub(crate) group_alive: bool,
    /// Part of the program proper (its sleeps are stop points); a launcher's task is not.
    pub(crate) in_program: bool,
    /// It wrote to stdout or stderr.
    pub(crate) wrote: bool,
}

/// Who decides.
#[derive(Debug)]
pub(crate) enum Policy {
    /// PCT: the parked task of highest priority.
    Pct(PctState),
    /// An explored schedule: its choice where it has one, else the default.
    Script(ScriptState),
}

/// How much CPU time (clock ticks of 10 ms) a task may run for while a decision waits for it:
/// past it, it spins (or computes at length) and is let be. CPU time, not wall time: on a
/// loaded machine a task that waits for a core is no spinner.
const SPIN_TICKS: u64 = 30;
/// However loaded the machine, running tasks keep a decision from being taken this long at most.
const SPIN_PARK: Duration = Duration::from_secs(10);
/// How many sleeps in a row of other tasks a parked task may be passed over at.
const STARVE: u32 = 20;
mod patience;

use patience::Patience;

#[derive(Debug)]
pub(crate) struct Ordered {
    pub(crate) policy: Policy,
    pub(crate) parked: HashMap<i32, Parked>,
    max_park: Duration,
    ends: Instant,
    pub(crate) gave_up: bool,
    /// Tasks let be as they kept running (cleared at their next stop point).
    spinners: HashSet<i32>,
    /// Since when running tasks keep the run from settling.
    unsettled: Option<Instant>,
    /// The CPU time of each task seen running since then, when it was first seen.
    running_since: HashMap<i32, u64>,
    /// What the free tasks were doing at the last look: a run is settled only when two looks
    /// in a row see the same (a task caught in a passing wait has moved on by the second).
    last_look: Vec<(i32, Activity, i64)>,
    /// The task released last.
    current: Option<String>,
    /// Per parked task: at how many sleeps in a row of others it was passed over.
    passed: HashMap<i32, u32>,
    /// The task let go on ahead of the parked ones it outranks, if any.
    patient: Option<Patience>,
    /// Tasks whose patience ended before their next stop point: no more until then.
    spent: HashSet<i32>,
    /// The process of each task looked at (`Tgid`).
    tgids: RefCell<HashMap<i32, i32>>,
    pub(crate) decisions: Vec<Decision>,
}

impl Ordered {
    pub(crate) fn new(
        policy: Policy,
        max_park: Duration,
        budget: Duration,
        start: Instant,
    ) -> Self {
        Ordered {
            policy,
            parked: HashMap::new(),
            max_park,
            ends: start + budget,
            gave_up: false,
            spinners: HashSet::new(),
            unsettled: None,
            running_since: HashMap::new(),
            last_look: Vec::new(),
            current: None,
            passed: HashMap::new(),
            patient: None,
            spent: HashSet::new(),
            tgids: RefCell::default(),
            decisions: Vec::new(),
        }
    }

    /// Task `tid` reached a stop point: parked there.
    pub(crate) fn arrive(&mut self, tid: i32, parked: Parked, dice: Option<&mut Dice>) {
        self.spinners.remove(&tid);
        self.spent.remove(&tid);
        if self.patient.is_some_and(|p| p.tid == tid) {
            self.patient = None;
        }
        if let Policy::Pct(p) = &mut self.policy {
            p.priority(tid, dice);
        }
        self.parked.insert(tid, parked);
    }

    /// Whether the free tasks let a decision be taken now: none runs (but those let be as
    /// spinners) or sleeps, and no exit waits to be reaped. A running task that used
    /// `SPIN_TICKS` of CPU meanwhile is let be, and the decision is forced (`Some(true)`); so
    /// are all past `SPIN_PARK`.
    fn settled(&mut self, now: Instant, free: &[Free]) -> Option<bool> {
        let mut patience_out = false;
        match self.patience(now, free) {
            Some(true) => return None,
            Some(false) => patience_out = true,
            None => {}
        }
        let mut running = Vec::new();
        let mut sleeping = false;
        let mut look = Vec::with_capacity(free.len());
        for f in free {
            let (a, nr) = observe(f.tid);
            look.push((f.tid, a, nr));
            if self.waits_ahead(f, a, now) || self.spinner_ahead(f, a, now) {
                return None;
            }
            match a {
                Activity::Running if self.spinners.contains(&f.tid) => {}
                Activity::Running => running.push(f.tid),
                // An exit the tracer has not reaped yet: reaping it may wake a waiter.
                Activity::Zombie if !f.group_alive => running.push(f.tid),
                // A launcher's sleep (its sleeps are no stop points: no decision let it start)
                // does not hold the program back.
                Activity::Sleeping if !f.in_program => {}
                Activity::Sleeping => sleeping = true,
                Activity::Zombie | Activity::Waiting => {}
            }
        }
        let mut forced = false;
        look.sort_unstable_by_key(|l| l.0);
        let same = look == self.last_look;
        self.last_look = look;
        if running.is_empty() {
            self.unsettled = None;
            self.running_since.clear();
            if !same {
                return None;
            }
        } else {
            let since = *self.unsettled.get_or_insert(now);
            let late = now.saturating_duration_since(since) >= SPIN_PARK;
            let mut spun = Vec::new();
            for &t in &running {
                let Some(ticks) = cpu_ticks(t) else { continue };
                let first = *self.running_since.entry(t).or_insert(ticks);
                if late || ticks.saturating_sub(first) >= SPIN_TICKS {
                    spun.push(t);
                }
            }
            if spun.is_empty() && !late {
                return None;
            }
            if !late && self.spins_ahead(&spun, free, now) {
                return None;
            }
            self.spinners.extend(spun);
            if !late && running.iter().any(|t| !self.spinners.contains(t)) {
                return None;
            }
            self.spinners.extend(running);
            self.unsettled = None;
            self.running_since.clear();
            forced = true;
        }
        // A sleep ends by itself: wait for it.
        (!sleeping).then_some(forced || patience_out)
    }

    /// The parks that end now (at most one by a decision).
    pub(crate) fn due(&mut self, now: Instant, free: &[Free]) -> Vec<(i32, Parked, Release)> {
        if self.gave_up || now >= self.ends {
            self.gave_up = true;
            return self.take_all(Release::Budget);
        }
        let mut out = self.valve_ends(now);
        if self.parked.is_empty() {
            return out;
        }
        let Some(forced) = self.settled(now, free) else {
            return out;
        };
        out.extend(self.decide(forced));
        out
    }

    /// The parks that lasted `max_park`: each ends by itself, a forced decision.
    fn valve_ends(&mut self, now: Instant) -> Vec<(i32, Parked, Release)> {
        let late: Vec<i32> = self
            .parked
            .iter()
            .filter(|(_, p)| now.saturating_duration_since(p.since) >= self.max_park)
            .map(|(t, _)| *t)
            .collect();
        let mut out = Vec::new();
        for tid in late {
            if let Some(p) = self.parked.remove(&tid) {
                self.passed.remove(&tid);
                self.decisions.push(Decision {
                    options: Vec::new(),
                    stops: Vec::new(),
                    chosen: p.label.clone(),
                    at: p.at.clone(),
                    current: None,
                    default: p.label.clone(),
                    preempts: false,
                    forced: true,
                });
                out.push((tid, p, Release::Valve));
            }
        }
        out
    }

    /// One decision over the parked tasks (the run has settled): the policy's choice, or a
    /// starving task's; the chosen task's park ends.
    fn decide(&mut self, forced: bool) -> Option<(i32, Parked, Release)> {
        let mut parked: Vec<(i32, &Parked)> = self.parked.iter().map(|(t, p)| (*t, p)).collect();
        parked.sort_by(|a, b| label_order(&a.1.label, &b.1.label));
        let options: Vec<Choice> = parked.iter().map(|(_, p)| p.label.clone()).collect();
        let stops: Vec<String> = parked.iter().map(|(_, p)| p.at.clone()).collect();
        let current = self.current.clone().filter(|c| options.contains(c));
        let starving = parked
            .iter()
            .filter(|(t, _)| self.passed.get(t).is_some_and(|&n| n >= STARVE))
            .max_by_key(|(t, _)| self.passed.get(t).copied().unwrap_or(0))
            .map(|(_, p)| p.label.clone());
        let default = starving
            .clone()
            .or_else(|| current.clone())
            .or_else(|| options.first().cloned())
            .unwrap_or_default();
        let chosen = match (&mut self.policy, starving) {
            (Policy::Pct(_), Some(s)) => s,
            (Policy::Pct(p), None) => p.choose(&parked),
            (Policy::Script(s), _) => s.choose(&options, &default),
        };
        let tid = parked
            .iter()
            .find(|(_, p)| p.label == chosen)
            .map(|(t, _)| *t)?;
        let p = self.parked.remove(&tid)?;
        // Passed over at another's sleep: one more in a row.
        self.passed.remove(&tid);
        if p.point == HoldPoint::Sleep {
            for t in self.parked.keys() {
                *self.passed.entry(*t).or_insert(0) += 1;
            }
        }
        self.decisions.push(Decision {
            options,
            stops,
            preempts: current.as_ref().is_some_and(|c| *c != chosen),
            current,
            default,
            chosen: chosen.clone(),
            at: p.at.clone(),
            forced,
        });
        self.current = Some(chosen);
        Some((tid, p, Release::Turn))
    }

    /// Every park ends now, in the order they began.
    pub(crate) fn take_all(&mut self, why: Release) -> Vec<(i32, Parked, Release)> {
        let mut all: Vec<(i32, Parked, Release)> =
            self.parked.drain().map(|(t, p)| (t, p, why)).collect();
        all.sort_by(|a, b| a.1.since.cmp(&b.1.since).then(a.0.cmp(&b.0)));
        all
    }

    /// A task is gone.
    pub(crate) fn forget(&mut self, tid: i32) {
        self.parked.remove(&tid);
        self.spinners.remove(&tid);
        self.spent.remove(&tid);
        self.tgids.borrow_mut().remove(&tid);
        if self.patient.is_some_and(|p| p.tid == tid) {
            self.patient = None;
        }
        self.passed.remove(&tid);
        if let Policy::Pct(p) = &mut self.policy {
            p.forget(tid);
        }
    }

    /// When the next park may end by itself (its valve, or the budget).
    pub(crate) fn next_deadline(&self) -> Option<Instant> {
        self.parked
            .values()
            .map(|p| (p.since + self.max_park).min(self.ends))
            .min()
    }
}

#[cfg(test)]
mod tests;
