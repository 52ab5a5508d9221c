//! What the trace saw of processes learning of each other's ends and ending each other: the
//! record `joins` reads as evidence of a join (kept apart so that a run's outcome can hold it
//! without depending on the checks' reading of it).

use std::collections::BTreeMap;
use std::time::Duration;

use tracer::{Eof, PidfdOpen, Ready, Reap, SignalSent, Trace};

/// What the trace saw of processes learning of each other's ends and ending each other.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ends {
    /// The trace recorded waits, pidfds and signals (else nothing here is evidence).
    pub recorded: bool,
    /// Every wait that reported an end or found no child left, in order.
    pub reaps: Vec<Reap>,
    /// Every `pidfd_open`, in order.
    pub pidfd_opens: Vec<PidfdOpen>,
    /// Every wait for several descriptors that returned one ready, in order.
    pub readies: Vec<Ready>,
    /// Every signal sent to one process, in order.
    pub signals: Vec<SignalSent>,
    /// Every read that found a pipe or socket closed, in order.
    pub eofs: Vec<Eof>,
    /// When each process's every task had reached its exit (the last one's exit stop, or its
    /// reaping when the trace missed the stop).
    pub exits: BTreeMap<i32, Duration>,
    /// Each task's exit stop, where the trace saw it (by process, then thread): a task still
    /// short of it cannot be seen ended by anyone.
    pub exit_stops: BTreeMap<i32, Vec<Option<Duration>>>,
}

impl Ends {
    /// From a trace recorded with waits (and channels) on.
    pub fn of(trace: &Trace) -> Ends {
        let mut exits: BTreeMap<i32, Option<Duration>> = BTreeMap::new();
        let mut exit_stops: BTreeMap<i32, Vec<Option<Duration>>> = BTreeMap::new();
        for t in &trace.tasks {
            exit_stops.entry(t.tgid).or_default().push(t.exiting_at);
            let at = t.exiting_at.or(t.ended_at);
            let e = exits.entry(t.tgid).or_insert(at);
            *e = match (*e, at) {
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            };
        }
        Ends {
            recorded: true,
            reaps: trace.reaps.clone(),
            pidfd_opens: trace.pidfd_opens.clone(),
            readies: trace.readies.clone(),
            signals: trace.signals.clone(),
            eofs: trace.eofs.clone(),
            exits: exits
                .into_iter()
                .filter_map(|(p, at)| Some((p, at?)))
                .collect(),
            exit_stops,
        }
    }

    /// Whether process `pid` was still running at `at`: `Some(true)` when one of its tasks had
    /// not reached its exit stop by then, `Some(false)` when every one had, `None` when the trace
    /// missed a stop (a task killed by SIGKILL may end without one) or does not know it.
    pub(crate) fn running_at(&self, pid: i32, at: Duration) -> Option<bool> {
        let stops = self.exit_stops.get(&pid)?;
        if stops.iter().flatten().any(|s| *s >= at) {
            return Some(true);
        }
        stops.iter().all(Option::is_some).then_some(false)
    }
}
