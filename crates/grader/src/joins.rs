//! How one process learned that another had ended, from the trace: the evidence a join leaves.
//!
//! A process learns of process W's end when it
//! - waits for W and the wait reports W's end (`wait4`, `waitid`: a reap, or `WNOWAIT`), or a
//!   signal to W fails with `ESRCH` (W is gone);
//! - has a wait fail with `ECHILD` (no child left) after W, its child, ended (`SIGCHLD` ignored:
//!   the kernel reaped W, and a blocking wait returns once every child is gone);
//! - reads a pipe closed (EOF) after every task of W reached its exit, W having written into it;
//! - is told by a process that had learned it: it reaps that process, or reads from a pipe or
//!   socket that process wrote into after learning it (Python's forkserver reaps its workers and
//!   writes each one's exit code into the pipe its parent reads: the parent's `join`).
//!
//! What the trace cannot see (a poll of a pidfd, a flag in shared memory, a thread's futex) is
//! no evidence: the checks that read this say "not judged" where a correct port could have
//! learned that way, and fail only where it could not.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use tracer::{Channel, Direction, Eof, PidfdOpen, Reap, SignalSent, Trace};

use crate::outcome::RunOutcome;
use crate::say::say;
use crate::writer::RunTask;

/// What the trace saw of processes learning of each other's ends and ending each other.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ends {
    /// The trace recorded waits, pidfds and signals (else nothing here is evidence).
    pub recorded: bool,
    /// Every wait that reported an end or found no child left, in order.
    pub reaps: Vec<Reap>,
    /// Every `pidfd_open`, in order.
    pub pidfd_opens: Vec<PidfdOpen>,
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

/// One event that can carry the news of an end from one process to another.
enum Event<'a> {
    /// `by` reaped `pid` (or found none left: `None`).
    Reap { by: i32, pid: Option<i32> },
    /// `by` read `channel` closed.
    Eof { by: i32, channel: &'a Channel },
    /// `by` wrote into (`Write`) or read from (`Read`) `channel`.
    Move {
        by: i32,
        channel: &'a Channel,
        direction: Direction,
    },
}

/// When each process first knew that process `w` had ended (by the evidence the module's
/// documentation lists).
pub(crate) fn learned(run: &RunOutcome, w: i32) -> BTreeMap<i32, Duration> {
    let ends = &run.ends;
    let exit = ends.exits.get(&w).copied();
    let task = |pid: i32| run.tasks.iter().find(|t| t.tid == pid);
    let w_ended = task(w).and_then(|t| t.ended_at);
    let w_parent = task(w).and_then(|t| t.ppid);
    let ch = &run.channels;
    // The channels W wrote into: closed once W is gone, if no one else holds them.
    let w_wrote: Vec<&Channel> = ch
        .flows
        .iter()
        .filter(|f| f.pid == w && f.direction == Direction::Write)
        .map(|f| &f.channel)
        .collect();
    let mut events: Vec<(Duration, Event<'_>)> = Vec::new();
    for r in &ends.reaps {
        events.push((
            r.at,
            Event::Reap {
                by: r.tgid,
                pid: r.pid,
            },
        ));
    }
    for e in &ends.eofs {
        events.push((
            e.at,
            Event::Eof {
                by: e.tgid,
                channel: &e.channel,
            },
        ));
    }
    for f in &ch.flows {
        for p in &f.pieces {
            // A write tells from its entry (its bytes may be read before its return is seen), a
            // read learns at its return.
            let at = match f.direction {
                Direction::Write => p.entered,
                Direction::Read => p.at,
            };
            events.push((
                at,
                Event::Move {
                    by: f.pid,
                    channel: &f.channel,
                    direction: f.direction,
                },
            ));
        }
    }
    // Stable: a process's own events keep the trace's order at one instant.
    events.sort_by_key(|(at, _)| *at);
    let mut knew: BTreeMap<i32, Duration> = BTreeMap::new();
    // Per channel end (inode): when a process that knew first wrote into it.
    let mut told: HashMap<u64, Duration> = HashMap::new();
    for (at, e) in events {
        let learns = match e {
            Event::Reap { pid: Some(p), .. } => p == w || knew.contains_key(&p),
            // No child left: W, its child, had ended.
            Event::Reap { by, pid: None } => {
                w_parent == Some(by) && w_ended.is_some_and(|end| end <= at)
            }
            Event::Eof { channel, .. } => {
                exit.is_some_and(|x| x <= at)
                    && w_wrote
                        .iter()
                        .any(|c| ch.sources(channel).contains(&c.ino) && c.dev == channel.dev)
            }
            Event::Move {
                by,
                channel,
                direction: Direction::Write,
            } => {
                if knew.contains_key(&by) {
                    told.entry(channel.ino).or_insert(at);
                }
                false
            }
            Event::Move {
                channel,
                direction: Direction::Read,
                ..
            } => ch
                .sources(channel)
                .iter()
                .any(|s| told.get(s).is_some_and(|t| *t < at)),
        };
        let by = match e {
            Event::Reap { by, .. } | Event::Eof { by, .. } | Event::Move { by, .. } => by,
        };
        if learns && by != w {
            knew.entry(by).or_insert(at);
        }
    }
    knew
}

/// Whether process `p` saw process `w` end before `by`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Saw {
    /// It did (the trace shows how).
    Yes,
    /// It did not, and could not have without the trace seeing it: why, in words.
    No(String),
    /// The trace cannot tell (the reason, in words).
    Unknown(String),
}

/// The learning times of the processes the checks asked about, computed once per process.
#[derive(Default)]
pub(crate) struct Knowledge {
    by_ended: HashMap<i32, BTreeMap<i32, Duration>>,
}

/// Seconds, as the messages print times.
fn secs(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64())
}

impl Knowledge {
    /// Whether process `p` saw process `w` end before `by` (a line's time).
    pub(crate) fn saw(&mut self, run: &RunOutcome, p: i32, w: i32, by: Duration) -> Saw {
        if p == w {
            return Saw::Unknown(say!("joined-same-process", pid = p.to_string()));
        }
        if !run.ends.recorded {
            return Saw::Unknown(say!("joined-not-recorded"));
        }
        let knew = self
            .by_ended
            .entry(w)
            .or_insert_with(|| learned(run, w))
            .get(&p)
            .copied();
        if knew.is_some_and(|k| k < by) {
            return Saw::Yes;
        }
        let task: Option<&RunTask> = run.tasks.iter().find(|t| t.tid == w);
        let Some(task) = task else {
            return Saw::Unknown(say!("joined-unknown-process", pid = w.to_string()));
        };
        // Still running at the line: nobody can have seen it end, whoever made it and however
        // one would look (a pidfd included).
        if run.ends.running_at(w, by) == Some(true) {
            return Saw::No(say!("joined-running", pid = w.to_string()));
        }
        // Only a parent can wait for a process: one made by another (a fork server, a process
        // in between that has ended) ends unseen unless some process tells.
        if task.ppid != Some(p) {
            return Saw::Unknown(match task.ppid {
                Some(maker) => say!(
                    "joined-not-child",
                    pid = w.to_string(),
                    maker = maker.to_string(),
                    parent = p.to_string()
                ),
                None => say!(
                    "joined-not-child-unknown",
                    pid = w.to_string(),
                    parent = p.to_string()
                ),
            });
        }
        if run
            .ends
            .pidfd_opens
            .iter()
            .any(|o| o.tgid == p && o.pid == w && o.at < by)
        {
            return Saw::Unknown(say!(
                "joined-pidfd",
                pid = w.to_string(),
                parent = p.to_string()
            ));
        }
        let how = match (task.ended_at, knew) {
            (_, Some(k)) => say!("joined-late", parent = p.to_string(), at = secs(k)),
            (Some(end), None) if end < by => say!(
                "joined-never",
                pid = w.to_string(),
                parent = p.to_string(),
                at = secs(end)
            ),
            _ => say!("joined-running", pid = w.to_string()),
        };
        Saw::No(how)
    }
}

#[cfg(test)]
mod tests;
