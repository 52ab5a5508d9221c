//! The patience of PCT: a task that printed and outranks every parked task (threads of its own
//! process, parked at a line or a sleep) goes on while it spins or waits with a long timeout,
//! and no decision is taken meanwhile: a thread's spin or timed wait in place of a join shows.

use std::time::{Duration, Instant};

use crate::record::HoldPoint;
use crate::schedule::kernel::{Activity, blocked_count, observe, tgid, timed_wait};

use super::{Free, Ordered, Parked, Policy};

/// How long a task PCT lets go on ahead of the parked tasks it outranks may keep a decision
/// from being taken while it spins or waits with a timeout (once per stop point of its).
const PATIENCE: Duration = Duration::from_secs(10);
/// A wait with a timeout at least this long is waited out for a task that outranks the parked
/// ones (shorter ones are a poll loop's slices, or Python's GIL handing over).
const LONG_WAIT: Duration = Duration::from_millis(100);

/// A task that outranks every parked one and goes on, as PCT has it, while it spins or waits
/// with a timeout: no decision is taken meanwhile.
#[derive(Debug, Clone, Copy)]
pub(super) struct Patience {
    pub(super) tid: i32,
    since: Instant,
    /// How many times it had blocked when let go on: blocked again, it left the wait it was in.
    blocked: Option<u64>,
}

impl Ordered {
    /// Whether PCT lets free task `f` go on ahead of every parked task: it wrote to stdout or
    /// stderr (its lines are what a run's order is about; a helper that never prints, a fork
    /// server or a pool's handler, polls with timeouts and is no one's join), its patience is not
    /// spent, its priority is above theirs, and every parked task is a thread of its own
    /// process parked at a line or a sleep. Between processes a join leaves evidence in the
    /// trace (a reap: the checks' `joined`), and a process's timed wait may be what a correct
    /// program rests on (the notes' master waits 10 s for each result of a worker it does not
    /// start); a thread parked at its start or at a creation may be what the wait is for (the
    /// master's accepting thread, not started yet): there the parked task goes on as for a
    /// blocked one.
    fn outranks(&self, f: &Free) -> bool {
        let Policy::Pct(p) = &self.policy else {
            return false;
        };
        if !f.wrote || self.spent.contains(&f.tid) || self.parked.is_empty() {
            return false;
        }
        let at_lines = |k: &Parked| matches!(k.point, HoldPoint::Write | HoldPoint::Sleep);
        if !self.parked.values().all(at_lines) {
            return false;
        }
        if !p.outranks(f.tid, self.parked.keys().copied()) {
            return false;
        }
        let Some(mine) = self.process_of(f.tid) else {
            return false;
        };
        self.parked
            .keys()
            .all(|&t| self.process_of(t) == Some(mine))
    }

    /// The process task `tid` belongs to, read once per task.
    fn process_of(&self, tid: i32) -> Option<i32> {
        let mut known = self.tgids.borrow_mut();
        if let Some(&g) = known.get(&tid) {
            return Some(g);
        }
        let g = tgid(tid)?;
        known.insert(tid, g);
        Some(g)
    }

    /// The patient task's state: `Some(true)` while it still keeps the decision waiting,
    /// `Some(false)` when its patience ran out (it is let be: the decision is forced), `None`
    /// when it ended otherwise (it blocked for good, reached a stop point or is gone).
    pub(super) fn patience(&mut self, now: Instant, free: &[Free]) -> Option<bool> {
        let p = self.patient?;
        let me = free.iter().find(|f| f.tid == p.tid);
        // A task parked since that it does not outrank (or of another process) ends it: PCT
        // lets that one go on as for a blocked task.
        if me.is_some_and(|f| !self.outranks(f)) {
            self.patient = None;
            return None;
        }
        let gone = me.is_none();
        let (a, _) = observe(p.tid);
        let busy = match a {
            Activity::Running | Activity::Sleeping => true,
            // Still in the wait it was let go on in (it has not blocked since).
            Activity::Waiting => p.blocked.is_some() && blocked_count(p.tid) == p.blocked,
            Activity::Zombie => false,
        };
        if !gone && busy && now.saturating_duration_since(p.since) < PATIENCE {
            return Some(true);
        }
        self.patient = None;
        if gone {
            return None;
        }
        self.spent.insert(p.tid);
        if busy {
            self.spinners.insert(p.tid);
            return Some(false);
        }
        None
    }

    /// Lets `tid` go on ahead of the parked tasks: no decision until it blocks, sleeps out its
    /// timeout, reaches a stop point or runs out of patience.
    fn be_patient(&mut self, tid: i32, now: Instant) {
        self.patient = Some(Patience {
            tid,
            since: now,
            blocked: blocked_count(tid),
        });
    }

    /// A task PCT puts ahead of the parked ones that waits (`a`) with a long timeout: what it
    /// waits for may never come (an `Event` nobody sets, a `select` on a silent pipe), and then
    /// it goes on by itself once the timeout is over, as from a sleep. Whether it was let go so.
    pub(super) fn waits_ahead(&mut self, f: &Free, a: Activity, now: Instant) -> bool {
        let ahead = a == Activity::Waiting
            && self.outranks(f)
            && timed_wait(f.tid).is_some_and(|t| t >= LONG_WAIT);
        if ahead {
            self.be_patient(f.tid, now);
        }
        ahead
    }

    /// A task let be as a spinner (`a`: it still runs) when a parked task it did not outrank
    /// then, or one at its start, was let go first: once it outranks every parked task, it goes
    /// on ahead of them as any spinner would. Whether it was let go so.
    pub(super) fn spinner_ahead(&mut self, f: &Free, a: Activity, now: Instant) -> bool {
        let ahead = a == Activity::Running && self.spinners.contains(&f.tid) && self.outranks(f);
        if ahead {
            self.spinners.remove(&f.tid);
            self.be_patient(f.tid, now);
        }
        ahead
    }

    /// A spinner (of `spun`) PCT puts ahead of the parked tasks goes on: it may spin on a clock,
    /// not on a flag a parked task would set (it is let be once its patience runs out). Whether
    /// one was let go so.
    pub(super) fn spins_ahead(&mut self, spun: &[i32], free: &[Free], now: Instant) -> bool {
        let ahead = spun
            .iter()
            .filter_map(|t| free.iter().find(|f| f.tid == *t))
            .find(|f| self.outranks(f))
            .map(|f| f.tid);
        if let Some(tid) = ahead {
            self.be_patient(tid, now);
        }
        ahead.is_some()
    }
}
