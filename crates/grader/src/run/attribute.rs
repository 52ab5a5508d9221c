//! A run's trace turned into what the checks judge: stdout's lines as each writer wrote them,
//! every task, and advice where writers' bytes mixed on the real stdout.

use std::collections::HashMap;

use tracer::{ScheduleStats, Stream, TaskKind, Trace, TraceError, Write};

use super::fenced;
use crate::outcome::Line;
use crate::outcome::assembler;
use crate::outcome::writer::{Role, RunTask, Tracing, Writer};
use crate::words::say::say;
use crate::words::text::cut;

/// Mixed lines quoted in advice per run at most.
const MIXED_QUOTED: usize = 3;

/// Who is who in a trace: each tid's writer facts.
struct Who<'t> {
    trace: &'t Trace,
    /// Process pid -> the pid of the process that created it.
    parent: HashMap<i32, i32>,
}

impl<'t> Who<'t> {
    fn new(trace: &'t Trace) -> Self {
        let tgid_of: HashMap<i32, i32> = trace.tasks.iter().map(|t| (t.tid, t.tgid)).collect();
        let parent = trace
            .tasks
            .iter()
            .filter(|t| t.kind == TaskKind::Process)
            .filter_map(|t| Some((t.tgid, *tgid_of.get(&t.creator?)?)))
            .collect();
        Who { trace, parent }
    }

    fn role(&self, pid: i32, tid: i32) -> Role {
        if tid != pid {
            Role::Thread
        } else if pid == self.trace.main_pid {
            Role::Main
        } else {
            Role::Process
        }
    }

    /// The writer of a line thread `tid` of process `pid` ended, in a burst or not.
    fn writer(&self, pid: i32, tid: i32, burst: bool) -> Writer {
        Writer {
            pid,
            tid,
            ppid: self.parent.get(&pid).copied(),
            role: self.role(pid, tid),
            burst,
        }
    }
}

/// What a run's trace adds to its outcome.
#[derive(Default)]
pub(super) struct Attributed {
    pub(super) tracing: Tracing,
    /// Stdout's lines by writer, in place of the captured ones (a complete trace only).
    pub(super) lines: Option<Vec<Line>>,
    pub(super) tasks: Vec<RunTask>,
    pub(super) advice: Vec<String>,
    pub(super) refused: Vec<String>,
    pub(super) schedule: ScheduleStats,
    /// Where the shaking held tasks.
    pub(super) holds: Vec<tracer::Hold>,
    /// What went through the run's pipes and sockets.
    pub(super) channels: crate::outcome::channels::Channels,
    /// How its processes learned of each other's ends.
    pub(super) ends: crate::outcome::ends::Ends,
    /// The CPU time of the run's tasks at its lines (when asked for).
    pub(super) cpu_samples: Vec<tracer::CpuSample>,
}

/// What the tracer left of a run that started `tracing` (`traced`: a trace was due) and whose
/// stdout got `stdout_bytes` (past the output limit if `limit_hit`).
pub(super) fn attribute(
    trace: Option<Result<Trace, TraceError>>,
    traced: bool,
    tracing: Tracing,
    limit_hit: bool,
    stdout_bytes: usize,
    system_dirs: &[std::path::PathBuf],
) -> Attributed {
    let trace = match trace {
        Some(Ok(trace)) => trace,
        Some(Err(e)) => return Attributed::untraced(say!("trace-failed", error = e.to_string())),
        None if traced => return Attributed::untraced(say!("trace-unfinished")),
        None => {
            return Attributed {
                tracing,
                ..Attributed::default()
            };
        }
    };
    let mut got = Attributed {
        tracing,
        schedule: trace.schedule.clone(),
        holds: trace.holds.clone(),
        tasks: tasks(&trace, system_dirs),
        cpu_samples: trace.cpu_samples.clone(),
        refused: fenced::refusals(&trace),
        channels: crate::outcome::channels::Channels::of(&trace),
        ends: crate::outcome::ends::Ends::of(&trace),
        ..Attributed::default()
    };
    match stdout_writes(&trace, stdout_bytes) {
        _ if limit_hit => got.tracing = Tracing::Incomplete(say!("trace-output-limit")),
        Err(why) => got.tracing = Tracing::Incomplete(why),
        Ok(writes) => {
            got.lines = Some(writer_lines(&trace, &writes));
            got.advice = mixed_lines(&writes);
            got.tracing = Tracing::On;
        }
    }
    got
}

impl Attributed {
    fn untraced(why: String) -> Self {
        Attributed {
            tracing: Tracing::Incomplete(why),
            ..Attributed::default()
        }
    }
}

/// Every task of the trace, for the checks; an exec is the system's program when its file is
/// the one of that name in `system_dirs`.
fn tasks(trace: &Trace, system_dirs: &[std::path::PathBuf]) -> Vec<RunTask> {
    let who = Who::new(trace);
    trace
        .tasks
        .iter()
        .map(|t| RunTask {
            pid: t.tgid,
            tid: t.tid,
            ppid: who.parent.get(&t.tgid).copied(),
            role: who.role(t.tgid, t.tid),
            created_at: t.created_at,
            ended_at: t.ended_at,
            exit_code: match t.end {
                Some(tracer::End::Exited(c)) => Some(c),
                Some(tracer::End::Signaled(s)) => Some(-s),
                Some(tracer::End::Replaced) | None => None,
            },
            cpu_time: t.cpu_time,
            execs: t
                .execs
                .iter()
                .map(|e| {
                    let mut s = e.path.clone();
                    for a in &e.argv {
                        s.push(' ');
                        s.push_str(a);
                    }
                    s
                })
                .collect(),
            exec_paths: t.execs.iter().map(|e| e.path.clone()).collect(),
            system_execs: t
                .execs
                .iter()
                .filter(|e| super::system_exec::is_system(e, system_dirs))
                .map(|e| e.path.clone())
                .collect(),
            last_exec_at: t.execs.last().map(|e| e.at),
        })
        .collect()
}

/// The writes that stand for stdout, in order: every completed one, plus those the trace saw
/// enter but never return (the writer was killed in between) whose bytes, by the count that
/// arrived, did arrive. `Err`: why the trace cannot stand for stdout (bytes it did not see or
/// keep).
fn stdout_writes(trace: &Trace, stdout_bytes: usize) -> Result<Vec<Write>, String> {
    let (mut len, mut kept) = (0usize, 0usize);
    // The calls whose bytes the trace could not read (sendfile, splice, tee move bytes the
    // writer never held in its memory).
    let mut unread: Vec<&str> = Vec::new();
    let mut writes: Vec<Write> = Vec::new();
    for w in trace.writes.iter().filter(|w| w.stream == Stream::Stdout) {
        len += w.len;
        kept += w.bytes.len();
        if w.bytes.len() < w.len && !unread.contains(&w.syscall) {
            unread.push(w.syscall);
        }
        writes.push(w.clone());
    }
    if kept != len {
        return Err(say!(
            "trace-unread",
            bytes = (len - kept).to_string(),
            calls = unread.join("/")
        ));
    }
    if len < stdout_bytes {
        let missing = stdout_bytes - len;
        let unfinished: Vec<&Write> = trace
            .unfinished
            .iter()
            .filter(|w| w.stream == Stream::Stdout)
            .collect();
        let Some(arrived) = super::unfinished::arrived(&unfinished, missing) else {
            return Err(say!(
                "trace-no-writer",
                bytes = missing.to_string(),
                seen = len.to_string(),
                arrived = stdout_bytes.to_string()
            ));
        };
        writes.extend(arrived);
        // Stable: an unfinished write is stamped with its writer's end, after its entry.
        writes.sort_by_key(|w| w.at);
    }
    if len > stdout_bytes {
        return Err(say!(
            "trace-went-elsewhere",
            seen = len.to_string(),
            arrived = stdout_bytes.to_string(),
            bytes = (len - stdout_bytes).to_string()
        ));
    }
    Ok(writes)
}

/// Stdout's lines as each writer (thread) wrote them in `writes` (the run's stdout writes, as
/// [`stdout_writes`] gives them), each with its writer, in the order of their times (a writer's
/// rest without a newline at its last write's).
fn writer_lines(trace: &Trace, writes: &[Write]) -> Vec<Line> {
    let who = Who::new(trace);
    let mut lines: Vec<Line> = assembler::lines_of_writes(writes)
        .into_iter()
        .filter(|l| l.stream == Stream::Stdout)
        .map(|l| Line {
            writer: Some(who.writer(l.tgid, l.tid, l.burst)),
            text: l.text,
            utf8: l.utf8,
            at: l.at,
        })
        .collect();
    // Stable: lines whose newlines were written at the same instant keep the trace's order.
    lines.sort_by_key(|l| l.at);
    lines
}

/// Advice for each line of the real stdout that holds bytes of more than one writer: the checks
/// judged each writer's lines apart, so this fails nothing.
fn mixed_lines(writes: &[Write]) -> Vec<String> {
    let mut advice = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    let mut writers: Vec<(i32, i32)> = Vec::new();
    let mut number = 1usize;
    let mut mixed = 0usize;
    for w in writes {
        for &b in &w.bytes {
            if !writers.contains(&(w.tgid, w.tid)) {
                writers.push((w.tgid, w.tid));
            }
            if b == b'\n' {
                if writers.len() > 1 {
                    mixed += 1;
                    if mixed <= MIXED_QUOTED {
                        let who: Vec<String> = writers
                            .iter()
                            .map(|(p, t)| {
                                if p == t {
                                    say!("pid-n", pid = p.to_string())
                                } else {
                                    say!("mixed-thread", pid = p.to_string(), tid = t.to_string())
                                }
                            })
                            .collect();
                        advice.push(say!(
                            "mixed-line",
                            n = number,
                            text = format!("{:?}", cut(&String::from_utf8_lossy(&line))),
                            count = writers.len(),
                            writers = crate::words::text::list(&who)
                        ));
                    }
                }
                number += 1;
                line.clear();
                writers.clear();
            } else {
                line.push(b);
            }
        }
    }
    if mixed > MIXED_QUOTED {
        advice.push(say!("mixed-more", count = mixed - MIXED_QUOTED));
    }
    advice
}
