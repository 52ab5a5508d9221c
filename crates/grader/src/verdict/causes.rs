//! Naming the cause when buffered output shows in a traced run: a line written again by a child
//! at its exit (it was in the parent's buffer when the parent forked), or a process's lines
//! arriving together as it exits (never flushed).

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use crate::outcome::RunOutcome;
use crate::outcome::writer::Role;
use crate::spec::fault::cut_raw;
use crate::verdict::failure::Cause;

/// A process's last write this close to its end is its exit's flush (the end is when the tracer
/// reaped it, later than the write on a loaded machine).
const AT_EXIT: Duration = Duration::from_secs(1);

/// A note for the first failing check of a traced run whose output shows buffering, if it does.
pub(crate) fn cause_note(run: &RunOutcome) -> Option<Cause> {
    if !run.tracing.is_on() {
        return None;
    }
    // When each process ended: the end of its main thread's task.
    let ended: HashMap<i32, Duration> = run
        .tasks
        .iter()
        .filter(|t| t.pid == t.tid)
        .filter_map(|t| Some((t.pid, t.ended_at?)))
        .collect();
    // When each process wrote its last line.
    let mut last: HashMap<i32, Duration> = HashMap::new();
    for l in &run.lines {
        if let Some(w) = l.writer {
            let t = last.entry(w.pid).or_default();
            *t = (*t).max(l.at);
        }
    }
    let at_exit = |pid: i32, at: Duration| {
        last.get(&pid) == Some(&at)
            && ended
                .get(&pid)
                .is_some_and(|end| end.saturating_sub(at) <= AT_EXIT)
    };
    // Written again: a child's line, at its exit, that its parent process wrote too (before it,
    // or after it when the child ended first).
    // Each process's texts, looked up per line.
    let written: HashSet<(i32, &str)> = run
        .lines
        .iter()
        .filter_map(|l| Some((l.writer?.pid, l.text.as_str())))
        .collect();
    for (n, line) in run.lines.iter().enumerate() {
        let Some(w) = line.writer else { continue };
        let Some(parent) = w.ppid else { continue };
        if w.role == Role::Thread || !at_exit(w.pid, line.at) {
            continue;
        }
        // (The parent's line is another line: a process is not its own parent.)
        let copied = parent != w.pid && written.contains(&(parent, line.text.as_str()));
        if copied {
            return Some(Cause::WrittenAgain {
                line: n + 1,
                text: cut_raw(&line.text).to_string(),
                bytes: line.text.len(),
                pid: w.pid,
                parent,
            });
        }
    }
    // Never flushed: several lines of one process written in one call as it exited.
    let mut together: HashMap<(i32, Duration), usize> = HashMap::new();
    for l in &run.lines {
        if let Some(w) = l.writer {
            *together.entry((w.pid, l.at)).or_default() += 1;
        }
    }
    let mut bursts: Vec<(i32, Duration, usize)> = together
        .into_iter()
        .filter(|((pid, at), count)| *count >= 2 && at_exit(*pid, *at))
        .map(|((pid, at), count)| (pid, at, count))
        .collect();
    bursts.sort_unstable();
    let (pid, _, count) = bursts.first()?;
    Some(Cause::Burst {
        pid: *pid,
        count: *count,
    })
}
