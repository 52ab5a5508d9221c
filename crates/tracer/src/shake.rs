//! Shaking: seeded hold decisions per task, and the timer heap of tasks held now.
//!
//! Each task draws from its own stream, seeded from its creator's stream seed and its rank among
//! its creator's children (the main process from the run's seed), so the decisions replay for
//! the same program whatever the other tasks did meanwhile.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::{Duration, Instant};

/// SplitMix64: tiny, well mixed, and the same everywhere (no dependency's algorithm can change
/// under a replayed seed).
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// One task's stream of hold decisions.
#[derive(Debug, Clone)]
pub(crate) struct Dice {
    /// This stream's seed, from which its children's seeds derive.
    seed: u64,
    state: u64,
    children: u64,
}

impl Dice {
    /// The main process's stream.
    pub(crate) fn root(seed: u64) -> Dice {
        Dice::from_seed(mix(seed ^ 0x6d61_696e))
    }

    fn from_seed(seed: u64) -> Dice {
        Dice {
            seed,
            state: seed,
            children: 0,
        }
    }

    /// The stream of the next task this one creates.
    pub(crate) fn child(&mut self) -> Dice {
        self.children += 1;
        Dice::from_seed(mix(self
            .seed
            .wrapping_add(self.children.wrapping_mul(0x9e37_79b9_7f4a_7c15))))
    }

    /// How many children this stream gave (right after [`Dice::child`]: the new child's rank
    /// among them, from 1).
    pub(crate) fn rank(&self) -> u64 {
        self.children
    }

    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.state)
    }

    /// A uniform draw in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Whether to hold at this point (with `chance`), and how long: from `min_part` of
    /// `max_hold` up to `max_hold`. Two draws per point, held or not, so one point's outcome
    /// never shifts the next one's draws.
    pub(crate) fn decide(
        &mut self,
        chance: f64,
        min_part: f64,
        max_hold: Duration,
    ) -> Option<Duration> {
        let roll = self.unit();
        let length = self.unit();
        (roll < chance).then(|| max_hold.mul_f64(min_part + (1.0 - min_part) * length))
    }
}

/// How a held task is resumed once its hold ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resume {
    /// `PTRACE_CONT` with this signal.
    Cont(i32),
    /// `PTRACE_SYSCALL` (to see the current call's return).
    Syscall,
}

/// Tasks held now, soonest release first.
#[derive(Debug, Default)]
pub(crate) struct Holds {
    heap: BinaryHeap<Reverse<(Instant, u64, i32, ResumeKey)>>,
    seq: u64,
}

/// `Resume` as an orderable heap payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct ResumeKey(i64);

impl From<Resume> for ResumeKey {
    fn from(r: Resume) -> Self {
        match r {
            Resume::Cont(sig) => ResumeKey(i64::from(sig)),
            Resume::Syscall => ResumeKey(-1),
        }
    }
}

impl From<ResumeKey> for Resume {
    fn from(k: ResumeKey) -> Self {
        if k.0 < 0 {
            Resume::Syscall
        } else {
            Resume::Cont(k.0 as i32)
        }
    }
}

impl Holds {
    /// Holds `tid` until `until`, then resumes it with `resume`.
    pub(crate) fn push(&mut self, until: Instant, tid: i32, resume: Resume) {
        self.seq += 1;
        self.heap
            .push(Reverse((until, self.seq, tid, ResumeKey::from(resume))));
    }

    /// Whether any task is held.
    pub(crate) fn pending(&self) -> bool {
        !self.heap.is_empty()
    }

    /// When the next hold ends.
    pub(crate) fn next_due(&self) -> Option<Instant> {
        self.heap.peek().map(|Reverse((t, ..))| *t)
    }

    /// Takes every hold that has ended by `now`.
    pub(crate) fn take_due(&mut self, now: Instant) -> Vec<(i32, Resume)> {
        let mut due = Vec::new();
        while let Some(Reverse((t, ..))) = self.heap.peek() {
            if *t > now {
                break;
            }
            if let Some(Reverse((_, _, tid, key))) = self.heap.pop() {
                due.push((tid, Resume::from(key)));
            }
        }
        due
    }

    /// Takes every hold, due or not.
    pub(crate) fn take_all(&mut self) -> Vec<(i32, Resume)> {
        let mut all: Vec<_> = std::mem::take(&mut self.heap).into_sorted_vec();
        // `Reverse` sorts latest-first: release in the order the holds would have ended.
        all.reverse();
        all.into_iter()
            .map(|Reverse((_, _, tid, key))| (tid, Resume::from(key)))
            .collect()
    }

    /// Forgets the holds of a task that is gone.
    pub(crate) fn forget(&mut self, tid: i32) {
        self.heap.retain(|Reverse((_, _, t, _))| *t != tid);
    }
}

/// The chance of holding at `point`, and the shortest hold there as a fraction of the shake's
/// `max_hold`.
pub(crate) fn chance_at(
    shake: &crate::options::Shake,
    point: crate::record::HoldPoint,
) -> (f64, f64) {
    match point {
        crate::record::HoldPoint::Write => (shake.chance, 0.0),
        crate::record::HoldPoint::Start => (shake.start_chance, 0.5),
        crate::record::HoldPoint::Create => (shake.create_chance, 0.0),
        // Random holds never stop at sleeps or exits.
        crate::record::HoldPoint::Sleep | crate::record::HoldPoint::Exit => (0.0, 0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::Shake;

    #[test]
    fn same_seed_same_decisions_and_children_differ() {
        let shake = Shake::new(42, Duration::from_millis(10));
        let mut a = Dice::root(42);
        let mut b = Dice::root(42);
        let da: Vec<_> = (0..50)
            .map(|_| a.decide(shake.chance, 0.0, shake.max_hold))
            .collect();
        let db: Vec<_> = (0..50)
            .map(|_| b.decide(shake.chance, 0.0, shake.max_hold))
            .collect();
        assert_eq!(da, db);
        assert!(da.iter().any(|d| d.is_some()) && da.iter().any(|d| d.is_none()));
        assert!(da.iter().flatten().all(|d| *d <= shake.max_hold));
        let mut c1 = a.child();
        let mut c2 = a.child();
        let d1: Vec<_> = (0..20)
            .map(|_| c1.decide(shake.chance, 0.0, shake.max_hold))
            .collect();
        let d2: Vec<_> = (0..20)
            .map(|_| c2.decide(shake.chance, 0.0, shake.max_hold))
            .collect();
        assert_ne!(d1, d2);
        assert_ne!(Dice::root(1).next(), Dice::root(2).next());
    }

    #[test]
    fn holds_release_in_time_order() {
        let now = Instant::now();
        let mut h = Holds::default();
        h.push(now + Duration::from_millis(5), 2, Resume::Syscall);
        h.push(now + Duration::from_millis(1), 1, Resume::Cont(10));
        h.push(now + Duration::from_millis(9), 3, Resume::Cont(0));
        assert_eq!(
            h.take_due(now + Duration::from_millis(6)),
            vec![(1, Resume::Cont(10)), (2, Resume::Syscall)]
        );
        h.forget(3);
        assert!(!h.pending());
    }
}
