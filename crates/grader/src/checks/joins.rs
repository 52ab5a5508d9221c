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
//! learned that way, and fail only where it could not. So is a descriptor found ready, or a pipe
//! found closed, after W's end (the trace does not know which pipes W held: Python's
//! `Process.sentinel` is a pipe whose write end only the child holds, and
//! `multiprocessing.connection.wait` polls it).

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use tracer::{Channel, Direction};

use crate::outcome::RunOutcome;
use crate::outcome::writer::RunTask;
use crate::spec::fault::{Said, said};

/// One event that can carry the news of an end from one process to another.
#[derive(Debug, Clone, Copy)]
enum Event {
    /// `by` reaped `pid` (or found none left: `None`).
    Reap { by: i32, pid: Option<i32> },
    /// `by` read channel end `end` (an index of [`Timeline::ends`]) closed.
    Eof { by: i32, end: usize },
    /// `by` wrote into channel end `end` (from its entry).
    Write { by: i32, end: usize },
    /// `by` read from channel end `end` (at its return).
    Read { by: i32, end: usize },
}

/// The run's events that can carry news of an end, in order of time, built once per judging.
#[derive(Debug, Default)]
pub(crate) struct Timeline {
    events: Vec<(Duration, Event)>,
    /// Each channel end the events name: its device and inode, and the inodes whose writes its
    /// reads come from (a pipe: itself; a socket: its other end).
    ends: Vec<(u64, u64, Vec<u64>)>,
    /// Per process: the ends it wrote into.
    wrote: HashMap<i32, Vec<usize>>,
}

impl Timeline {
    pub(crate) fn of(run: &RunOutcome) -> Timeline {
        let ch = &run.channels;
        let mut t = Timeline::default();
        let mut index: HashMap<(u64, u64), usize> = HashMap::new();
        let mut end_of = |t: &mut Timeline, c: &Channel| -> usize {
            *index.entry((c.dev, c.ino)).or_insert_with(|| {
                t.ends.push((c.dev, c.ino, ch.sources(c)));
                t.ends.len() - 1
            })
        };
        for r in &run.ends.reaps {
            let e = Event::Reap {
                by: r.tgid,
                pid: r.pid,
            };
            t.events.push((r.at, e));
        }
        for e in &run.ends.eofs {
            let end = end_of(&mut t, &e.channel);
            t.events.push((e.at, Event::Eof { by: e.tgid, end }));
        }
        for f in &ch.flows {
            let end = end_of(&mut t, &f.channel);
            if f.direction == Direction::Write {
                t.wrote.entry(f.pid).or_default().push(end);
            }
            for p in &f.pieces {
                // A write tells from its entry (its bytes may be read before its return is
                // seen), a read learns at its return.
                t.events.push(match f.direction {
                    Direction::Write => (p.entered, Event::Write { by: f.pid, end }),
                    Direction::Read => (p.at, Event::Read { by: f.pid, end }),
                });
            }
        }
        // Stable: a process's own events keep the trace's order at one instant.
        t.events.sort_by_key(|(at, _)| *at);
        t
    }

    /// When each process first knew that process `w` had ended (by the evidence the module's
    /// documentation lists).
    pub(crate) fn learned(&self, run: &RunOutcome, w: i32) -> BTreeMap<i32, Duration> {
        let exit = run.ends.exits.get(&w).copied();
        let task = run.tasks.iter().find(|t| t.tid == w);
        let w_ended = task.and_then(|t| t.ended_at);
        let w_parent = task.and_then(|t| t.ppid);
        // The inodes W wrote into: a pipe closed once W is gone, if no one else holds it.
        let w_wrote: Vec<(u64, u64)> = self
            .wrote
            .get(&w)
            .into_iter()
            .flatten()
            .map(|&e| (self.ends[e].0, self.ends[e].1))
            .collect();
        let mut knew: BTreeMap<i32, Duration> = BTreeMap::new();
        // Per channel end (inode): when a process that knew first wrote into it.
        let mut told: HashMap<u64, Duration> = HashMap::new();
        for &(at, e) in &self.events {
            let (by, learns) = match e {
                Event::Reap { by, pid: Some(p) } => (by, p == w || knew.contains_key(&p)),
                // No child left: W, its child, had ended.
                Event::Reap { by, pid: None } => (
                    by,
                    w_parent == Some(by) && w_ended.is_some_and(|end| end <= at),
                ),
                Event::Eof { by, end } => {
                    let (dev, _, sources) = &self.ends[end];
                    let closed_by_w = exit.is_some_and(|x| x <= at)
                        && w_wrote
                            .iter()
                            .any(|(d, ino)| d == dev && sources.contains(ino));
                    (by, closed_by_w)
                }
                Event::Write { by, end } => {
                    if knew.contains_key(&by) {
                        told.entry(self.ends[end].1).or_insert(at);
                    }
                    (by, false)
                }
                Event::Read { by, end } => (
                    by,
                    self.ends[end]
                        .2
                        .iter()
                        .any(|s| told.get(s).is_some_and(|t| *t < at)),
                ),
            };
            if learns && by != w {
                knew.entry(by).or_insert(at);
            }
        }
        knew
    }
}

/// At most this many processes' ends are followed through a run's events for one check (a
/// flood of processes stays cheap to judge); past it, a line is not judged.
const FOLLOWED_MAX: usize = 64;

/// Whether process `p` saw process `w` end before `by`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Saw {
    /// It did (the trace shows how).
    Yes,
    /// It did not, and could not have without the trace seeing it: why, typed.
    No(Said),
    /// The trace cannot tell (the reason, typed).
    Unknown(Said),
}

/// The learning times of the processes the checks asked about, computed once per process.
#[derive(Default)]
pub(crate) struct Knowledge {
    timeline: Option<Timeline>,
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
            return Saw::Unknown(said!("joined-same-process", pid = p.to_string()));
        }
        if !run.ends.recorded {
            return Saw::Unknown(said!("joined-not-recorded"));
        }
        if !self.by_ended.contains_key(&w) {
            if self.by_ended.len() >= FOLLOWED_MAX {
                return Saw::Unknown(said!("joined-too-many", count = FOLLOWED_MAX));
            }
            let timeline = self.timeline.get_or_insert_with(|| Timeline::of(run));
            let knew = timeline.learned(run, w);
            self.by_ended.insert(w, knew);
        }
        let knew = self.by_ended.get(&w).and_then(|k| k.get(&p)).copied();
        if knew.is_some_and(|k| k < by) {
            return Saw::Yes;
        }
        let task: Option<&RunTask> = run.tasks.iter().find(|t| t.tid == w);
        let Some(task) = task else {
            return Saw::Unknown(said!("joined-unknown-process", pid = w.to_string()));
        };
        // Still running at the line: nobody can have seen it end, whoever made it and however
        // one would look (a pidfd included).
        if run.ends.running_at(w, by) == Some(true) {
            return Saw::No(said!("joined-running", pid = w.to_string()));
        }
        // Only a parent can wait for a process: one made by another (a fork server, a process
        // in between that has ended) ends unseen unless some process tells.
        if task.ppid != Some(p) {
            return Saw::Unknown(match task.ppid {
                Some(maker) => said!(
                    "joined-not-child",
                    pid = w.to_string(),
                    maker = maker.to_string(),
                    parent = p.to_string()
                ),
                None => said!(
                    "joined-not-child-unknown",
                    pid = w.to_string(),
                    parent = p.to_string()
                ),
            });
        }
        if let Some(unknown) = news_unseen(run, p, w, task, by) {
            return unknown;
        }
        let how = match (task.ended_at, knew) {
            (_, Some(k)) => said!("joined-late", parent = p.to_string(), at = secs(k)),
            (Some(end), None) if end < by => said!(
                "joined-never",
                pid = w.to_string(),
                parent = p.to_string(),
                at = secs(end)
            ),
            _ => said!("joined-running", pid = w.to_string()),
        };
        Saw::No(how)
    }
}

/// Whether process `p`, the parent of `w`, may have learned of `w`'s end before `by` in a way
/// the trace records but cannot read (a descriptor found ready, a `SIGCHLD` taken, a pipe read
/// closed, after `w`'s exit): then the line is not judged.
fn news_unseen(run: &RunOutcome, p: i32, w: i32, task: &RunTask, by: Duration) -> Option<Saw> {
    // Its exit, not its reaping: a sentinel closes at the exit. The first exit stop of its
    // tasks seen (a missed one leaves no time for the whole process): this only spares a
    // line from failing, so the earliest sign of the exit is enough.
    let first_exit_stop = run
        .ends
        .exit_stops
        .get(&w)
        .and_then(|s| s.iter().flatten().min().copied());
    let exited = first_exit_stop
        .or_else(|| run.ends.exits.get(&w).copied())
        .or(task.ended_at);
    if let Some(end) = exited.filter(|end| *end < by) {
        let woke = |at: Duration| end <= at && at < by;
        if let Some(r) = run.ends.readies.iter().find(|r| r.tgid == p && woke(r.at)) {
            // A pidfd polled: its end the likelier news (a pidfd never polled is none).
            let pidfd = run
                .ends
                .pidfd_opens
                .iter()
                .any(|o| o.tgid == p && o.pid == w);
            if pidfd {
                return Some(Saw::Unknown(said!(
                    "joined-pidfd",
                    pid = w.to_string(),
                    parent = p.to_string()
                )));
            }
            return Some(Saw::Unknown(said!(
                "joined-ready",
                pid = w.to_string(),
                parent = p.to_string(),
                syscall = r.syscall
            )));
        }
        if run.ends.eofs.iter().any(|e| e.tgid == p && woke(e.at)) {
            return Some(Saw::Unknown(said!(
                "joined-eof",
                pid = w.to_string(),
                parent = p.to_string()
            )));
        }
    }
    None
}

#[cfg(test)]
mod tests;
