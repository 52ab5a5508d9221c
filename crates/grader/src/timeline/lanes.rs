//! Lanes: one per task of the trace, in tree order (each task below its creator, siblings by
//! creation time), each labelled with its pid or tid and what the trace knows of it.

use std::collections::HashMap;
use std::time::Duration;

use tracer::{Task, TaskKind, Trace};

/// One lane of the picture.
#[derive(Debug)]
pub(super) struct Lane<'a> {
    pub(super) task: &'a Task,
    /// First label line: `pid 12` or `tid 15`.
    pub(super) id: String,
    /// Second label line: `main · pool-demo`, `child of 12`, `thread of 12 · LoopThread` (the
    /// name when it differs from its creator's: a named thread, an exec'd program).
    pub(super) role: String,
}

/// The lanes of `trace`, at most `max` of them (the first in tree order); `workers` are the
/// tids that held an open span (labelled `worker`).
pub(super) fn lanes<'a>(trace: &'a Trace, workers: &[i32], max: usize) -> Vec<Lane<'a>> {
    let mut children: HashMap<i32, Vec<usize>> = HashMap::new();
    let mut roots = Vec::new();
    for (i, t) in trace.tasks.iter().enumerate() {
        // A creator seen in the trace before this task (tids can be reused: the earlier one).
        let parent = t
            .creator
            .filter(|c| trace.tasks[..i].iter().any(|p| p.tid == *c) && *c != t.tid);
        match parent {
            Some(c) => children.entry(c).or_default().push(i),
            None => roots.push(i),
        }
    }
    let mut order = Vec::with_capacity(trace.tasks.len());
    let mut stack: Vec<usize> = roots.into_iter().rev().collect();
    while let Some(i) = stack.pop() {
        if order.len() >= max {
            break;
        }
        order.push(i);
        let tid = trace.tasks[i].tid;
        // Each tid's children once: a reused tid's children go under its first task.
        if let Some(mut kids) = children.remove(&tid) {
            kids.sort_by_key(|&k| (trace.tasks[k].created_at, k));
            stack.extend(kids.into_iter().rev());
        }
    }
    order
        .into_iter()
        .map(|i| label(trace, &trace.tasks[i], workers))
        .collect()
}

fn label<'a>(trace: &Trace, t: &'a Task, workers: &[i32]) -> Lane<'a> {
    let creator_comm = t
        .creator
        .and_then(|c| trace.task(c))
        .and_then(|c| c.comm.clone());
    let mut parts = Vec::new();
    let is_main = t.tid == trace.main_pid && t.kind == TaskKind::Process;
    if is_main {
        parts.push("main".to_string());
    } else if workers.contains(&t.tid) {
        parts.push("worker".to_string());
    }
    match (t.kind, t.creator) {
        (_, None) => {}
        (TaskKind::Process, Some(c)) => parts.push(format!("child of {c}")),
        (TaskKind::Thread, Some(_)) => parts.push(format!("thread of {}", t.tgid)),
    }
    // The name when it tells something: the program, a thread's name, an exec'd command.
    if let Some(comm) = &t.comm
        && (is_main || creator_comm.as_ref() != Some(comm))
    {
        parts.push(full_name(t, comm));
    }
    let id = match t.kind {
        TaskKind::Process => format!("pid {}", t.tid),
        TaskKind::Thread => format!("tid {}", t.tid),
    };
    Lane {
        task: t,
        id,
        role: parts.join(" · "),
    }
}

/// A task's name: its `comm`, or when the kernel cut that to 15 bytes, the name of the program
/// it exec'd that the `comm` begins.
fn full_name(t: &Task, comm: &str) -> String {
    const COMM_MAX: usize = 15;
    if comm.len() < COMM_MAX {
        return comm.to_string();
    }
    t.execs
        .iter()
        .rev()
        .filter_map(|e| std::path::Path::new(&e.path).file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .find(|n| n.starts_with(comm))
        .unwrap_or_else(|| comm.to_string())
}

/// The lane a line of thread `tid` written at `at` belongs on: the lane of the task with that
/// tid alive at that time (the latest created before it, if the tid was reused), else any with
/// that tid.
pub(super) fn lane_of(lanes: &[Lane<'_>], tid: i32, at: Duration) -> Option<usize> {
    lanes
        .iter()
        .enumerate()
        .filter(|(_, l)| l.task.tid == tid && l.task.created_at <= at)
        .max_by_key(|(_, l)| l.task.created_at)
        .or_else(|| lanes.iter().enumerate().find(|(_, l)| l.task.tid == tid))
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(tid: i32, tgid: i32, creator: Option<i32>, kind: TaskKind, ms: u64) -> Task {
        Task {
            tid,
            tgid,
            creator,
            kind,
            created_at: Duration::from_millis(ms),
            execs: Vec::new(),
            ended_at: Some(Duration::from_millis(100)),
            end: None,
            comm: Some(if kind == TaskKind::Thread {
                "LoopThread".into()
            } else {
                "demo".into()
            }),
        }
    }

    #[test]
    fn tasks_sit_below_their_creators_with_what_is_known() {
        let trace = Trace {
            main_pid: 10,
            tasks: vec![
                task(10, 10, None, TaskKind::Process, 0),
                task(11, 11, Some(10), TaskKind::Process, 2),
                task(12, 10, Some(10), TaskKind::Thread, 1),
                task(13, 13, Some(11), TaskKind::Process, 3),
            ],
            writes: Vec::new(),
            shake: None,
            holds: Vec::new(),
            refusals: Vec::new(),
        };
        let lanes = lanes(&trace, &[11], 100);
        let got: Vec<(&str, &str)> = lanes
            .iter()
            .map(|l| (l.id.as_str(), l.role.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("pid 10", "main · demo"),
                ("tid 12", "thread of 10 · LoopThread"),
                ("pid 11", "worker · child of 10"),
                ("pid 13", "child of 11"),
            ]
        );
        assert_eq!(lane_of(&lanes, 13, Duration::from_millis(50)), Some(3));
        assert_eq!(super::lanes(&trace, &[], 2).len(), 2);
    }

    #[test]
    fn a_name_the_kernel_cut_is_read_from_the_program() {
        let mut t = task(10, 10, None, TaskKind::Process, 0);
        t.comm = Some("threadlocal-dem".into());
        t.execs.push(tracer::Exec {
            path: "/work/target/debug/threadlocal-demo".into(),
            argv: vec!["threadlocal-demo".into()],
            at: Duration::ZERO,
        });
        assert_eq!(full_name(&t, "threadlocal-dem"), "threadlocal-demo");
        assert_eq!(full_name(&t, "sh"), "sh");
    }
}
