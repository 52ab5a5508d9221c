//! Lanes: one per task of the trace, in tree order (each task below its creator, siblings by
//! creation time), each labelled with its pid or tid and what the trace knows of it.

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

/// Past this many tasks, those that printed nothing, and created none that did, get no lane
/// (a shell wrapper's helpers, a pyenv shim's): the picture keeps the program's shape.
const QUIET_MAX: usize = 16;

/// The lanes of `trace`, at most `max` of them (the first in tree order), with how many tasks
/// got none. `writers` are the tids that wrote a line; `workers` the tids that held an open
/// span (labelled `worker`).
pub(super) fn lanes<'a>(
    trace: &'a Trace,
    writers: &[i32],
    workers: &[i32],
    max: usize,
) -> (Vec<Lane<'a>>, usize) {
    let tasks = &trace.tasks;
    // Each task's creator's index: a creator seen before it (tids can be reused: the latest).
    let parent: Vec<Option<usize>> = tasks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let c = t.creator.filter(|c| *c != t.tid)?;
            tasks[..i].iter().rposition(|p| p.tid == c)
        })
        .collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); tasks.len()];
    let mut roots = Vec::new();
    for (i, p) in parent.iter().enumerate() {
        match p {
            Some(p) => children[*p].push(i),
            None => roots.push(i),
        }
    }
    let mut keep = vec![true; tasks.len()];
    if tasks.len() > QUIET_MAX {
        keep = vec![false; tasks.len()];
        for (i, t) in tasks.iter().enumerate() {
            if t.tid == trace.main_pid || writers.contains(&t.tid) || workers.contains(&t.tid) {
                let mut at = Some(i);
                while let Some(k) = at.filter(|&k| !keep[k]) {
                    keep[k] = true;
                    at = parent[k];
                }
            }
        }
    }
    let mut order = Vec::with_capacity(tasks.len());
    let mut stack: Vec<usize> = roots.into_iter().rev().collect();
    while let Some(i) = stack.pop() {
        if !keep[i] {
            continue;
        }
        if order.len() >= max {
            break;
        }
        order.push(i);
        let mut kids = std::mem::take(&mut children[i]);
        kids.sort_by_key(|&k| (tasks[k].created_at, k));
        stack.extend(kids.into_iter().rev());
    }
    let hidden = tasks.len() - order.len();
    let lanes = order
        .into_iter()
        .map(|i| label(trace, &tasks[i], workers))
        .collect();
    (lanes, hidden)
}

/// Puts the spec's role first on each lane whose lines all have one role (`writer · child of
/// 12`), in place of the generic `worker`.
pub(super) fn name_by_role(lanes: &mut [Lane<'_>], t: &super::Timeline<'_>) {
    let worker = i18n::tr(i18n::Lang::current(), "lane-worker");
    for lane in lanes.iter_mut() {
        let mut roles: Vec<&str> = t
            .lines
            .iter()
            .filter(|l| l.tid == lane.task.tid)
            .filter_map(|l| t.roles.get(l.kind.as_ref()?).map(String::as_str))
            .collect();
        roles.sort_unstable();
        roles.dedup();
        if let [role] = roles.as_slice() {
            let rest: Vec<&str> = lane
                .role
                .split(" · ")
                .filter(|p| !p.is_empty() && *p != worker)
                .collect();
            lane.role = std::iter::once(*role)
                .chain(rest)
                .collect::<Vec<_>>()
                .join(" · ");
        }
    }
}

fn label<'a>(trace: &Trace, t: &'a Task, workers: &[i32]) -> Lane<'a> {
    let creator_comm = t
        .creator
        .and_then(|c| trace.task(c))
        .and_then(|c| c.comm.clone());
    let mut parts = Vec::new();
    let lang = i18n::Lang::current();
    let is_main = t.tid == trace.main_pid && t.kind == TaskKind::Process;
    if is_main {
        parts.push(i18n::tr(lang, "lane-main"));
    } else if workers.contains(&t.tid) {
        parts.push(i18n::tr(lang, "lane-worker"));
    }
    match (t.kind, t.creator) {
        (_, None) => {}
        (TaskKind::Process, Some(c)) => parts.push(i18n::tr!(lang, "lane-child-of", pid = c)),
        (TaskKind::Thread, Some(_)) => {
            parts.push(i18n::tr!(lang, "lane-thread-of", pid = t.tgid));
        }
    }
    // The name when it tells something: the program, a thread's name, an exec'd command. A
    // task whose name the trace did not keep is named by the program it exec'd, if any.
    let name = match &t.comm {
        Some(comm) => Some(full_name(t, comm)),
        None => t.execs.last().and_then(|e| {
            std::path::Path::new(&e.path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        }),
    };
    if let Some(name) = name
        && (is_main || creator_comm.as_deref().is_none_or(|c| !name.starts_with(c)))
    {
        // The port chose it (prctl, argv[0]): shown, never obeyed.
        parts.push(crate::words::terminal::visible(&name));
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
            exiting_at: None,
            ended_at: Some(Duration::from_millis(100)),
            end: None,
            comm: Some(if kind == TaskKind::Thread {
                "LoopThread".into()
            } else {
                "demo".into()
            }),
            cpu_time: None,
            shared_memory: Vec::new(),
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
            ..Trace::default()
        };
        let (lanes, hidden) = lanes(&trace, &[], &[11], 100);
        assert_eq!(hidden, 0);
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
        assert_eq!(super::lanes(&trace, &[], &[], 2).0.len(), 2);
    }

    #[test]
    fn a_name_the_kernel_cut_is_read_from_the_program() {
        let mut t = task(10, 10, None, TaskKind::Process, 0);
        t.comm = Some("threadlocal-dem".into());
        t.execs.push(tracer::Exec {
            path: "/work/target/debug/threadlocal-demo".into(),
            argv: vec!["threadlocal-demo".into()],
            file: None,
            at: Duration::ZERO,
        });
        assert_eq!(full_name(&t, "threadlocal-dem"), "threadlocal-demo");
        assert_eq!(full_name(&t, "sh"), "sh");
    }

    #[test]
    fn past_sixteen_tasks_the_silent_ones_get_no_lane() {
        // A wrapper (10) whose 20 helpers print nothing, and a child (40) of helper 30 that
        // prints: the child and the helper that made it keep their lanes.
        let mut tasks = vec![task(10, 10, None, TaskKind::Process, 0)];
        for k in 0..20 {
            tasks.push(task(
                20 + k,
                20 + k,
                Some(10),
                TaskKind::Process,
                1 + k as u64,
            ));
        }
        tasks.push(task(40, 40, Some(30), TaskKind::Process, 30));
        let trace = Trace {
            main_pid: 10,
            tasks,
            writes: Vec::new(),
            shake: None,
            holds: Vec::new(),
            ..Trace::default()
        };
        let (lanes, hidden) = lanes(&trace, &[40], &[], 100);
        let tids: Vec<i32> = lanes.iter().map(|l| l.task.tid).collect();
        assert_eq!(tids, vec![10, 30, 40]);
        assert_eq!(hidden, 19);
    }
}
