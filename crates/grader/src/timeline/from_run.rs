//! The timeline of one graded run: its lines with their kinds, the lines its failing checks
//! quote, the spans and hand-offs the spec pairs.
//!
//! A traced run is drawn from what its outcome keeps of the trace: every task (pid, tid, the
//! process that created it, process or thread, its life, its execs) and each line's writer.
//! The outcome keeps neither the tasks' names nor how each but the main process ended: those a
//! picture of a graded run lacks. A shaken run's holds are drawn: where the scheduler held whom. An untraced run is drawn with
//! its main process alone, every line on its lane at its arrival.

use std::collections::BTreeSet;
use std::time::Duration;

use tracer::{End, Exec, Stream, Task, TaskKind, Trace};

use super::pairing::pair_up;
use super::{Timeline, TimelineLine};
use crate::outcome::writer::{Role, RunTask};
use crate::outcome::{Exit, RunOutcome};
use crate::spec::Spec;
use crate::verdict::report::{CheckStatus, Report};

/// The SVG timeline of `run`, one of the runs `report` judged against `spec`; `standalone`: a
/// document of its own (else an element for an HTML page).
pub fn run_timeline(spec: &Spec, report: &Report, run: &RunOutcome, standalone: bool) -> String {
    let trace = trace_of(run);
    let quoted = quoted_lines(report, run.run);
    let mut lines: Vec<TimelineLine> = run
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| TimelineLine {
            text: l.text.clone(),
            at: l.at,
            tid: l.writer.map(|w| w.tid).unwrap_or(run.main_pid),
            stream: Stream::Stdout,
            kind: None,
            highlighted: quoted.contains(&(i + 1)),
        })
        .collect();
    let (spans, links) = pair_up(spec, &mut lines);
    let failed: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Failed && c.failures.iter().any(|f| f.run == run.run))
        .map(|c| c.shown())
        .collect();
    let lang = i18n::Lang::current();
    let verdict = match failed.as_slice() {
        [] => i18n::tr(lang, "picture-passed"),
        [one] => i18n::tr!(lang, "picture-failed", check = *one),
        [first, rest @ ..] => {
            i18n::tr!(
                lang,
                "picture-failed-more",
                check = *first,
                more = rest.len()
            )
        }
    };
    let mut notes = Vec::new();
    if let Some(seed) = run.shake_seed {
        notes.push(i18n::tr!(lang, "picture-shaken", seed = seed));
    }
    if let Some(schedule) = &run.explored {
        notes.push(i18n::tr!(
            lang,
            "picture-explored",
            schedule = schedule.as_str()
        ));
    }
    if !run.tracing.is_on() {
        notes.push(i18n::tr(lang, "picture-untraced"));
    }
    let labels = spec
        .lines
        .iter()
        .map(|k| (k.name.clone(), k.label_in(lang).to_string()))
        .collect();
    let t = Timeline {
        trace: &trace,
        title: i18n::tr!(
            lang,
            "picture-title",
            example = report.example.as_str(),
            run = run.run,
            runs = report.runs,
            verdict = verdict
        ),
        note: (!notes.is_empty()).then(|| notes.join("; ")),
        lines,
        spans,
        links,
        labels,
        roles: super::roles_of(spec, lang),
    };
    if standalone { t.svg() } else { t.svg_element() }
}

/// The line numbers (from 1) that the failing checks' faults quote or name for run `run`.
pub(super) fn quoted_lines(report: &Report, run: usize) -> BTreeSet<usize> {
    report
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Failed)
        .flat_map(|c| c.failures.iter().filter(|f| f.run == run))
        .flat_map(|f| f.fault.lines.iter().copied())
        .collect()
}

/// The trace as far as the outcome keeps it: its tasks when it was traced, else the main
/// process alone, from its start to the run's end; how the main process ended.
fn trace_of(run: &RunOutcome) -> Trace {
    let main_end = run.exit.map(|e| match e {
        Exit::Code(c) => End::Exited(c),
        Exit::Signal(s) => End::Signaled(s),
    });
    let mut tasks: Vec<Task> = if run.tracing.is_on() {
        run.tasks.iter().map(task_of).collect()
    } else {
        Vec::new()
    };
    match tasks.iter_mut().find(|t| t.tid == run.main_pid) {
        Some(main) => main.end = main_end,
        None => tasks.insert(
            0,
            Task {
                tid: run.main_pid,
                tgid: run.main_pid,
                creator: None,
                kind: TaskKind::Process,
                created_at: Duration::ZERO,
                execs: Vec::new(),
                exiting_at: None,
                ended_at: Some(run.elapsed),
                end: main_end,
                comm: None,
                cpu_time: None,
                shared_memory: Vec::new(),
            },
        ),
    }
    Trace {
        main_pid: run.main_pid,
        tasks,
        writes: Vec::new(),
        shake: None,
        // Where the scheduler held whom (a hold of a task the outcome does not keep is not
        // drawn: it has no lane).
        holds: if run.tracing.is_on() {
            run.holds.clone()
        } else {
            Vec::new()
        },
        ..Trace::default()
    }
}

/// A task as the picture needs it, from what the outcome keeps: a thread is drawn as created by
/// its process's main thread, a process by the process that created it.
fn task_of(t: &RunTask) -> Task {
    let (kind, creator) = match t.role {
        Role::Thread => (TaskKind::Thread, Some(t.pid)),
        Role::Main | Role::Process => (TaskKind::Process, t.ppid),
    };
    Task {
        tid: t.tid,
        tgid: t.pid,
        creator,
        kind,
        created_at: t.created_at,
        execs: t
            .execs
            .iter()
            .map(|e| {
                let argv: Vec<String> = e.split(' ').map(String::from).collect();
                Exec {
                    path: argv.first().cloned().unwrap_or_default(),
                    argv,
                    file: None,
                    at: t.last_exec_at.unwrap_or(t.created_at),
                }
            })
            .collect(),
        exiting_at: None,
        ended_at: t.ended_at,
        end: None,
        comm: None,
        cpu_time: t.cpu_time,
        shared_memory: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::fault::{Arg, Fault, said};
    use crate::verdict::report::{CheckKind, CheckReport, Failure};

    #[test]
    fn every_line_a_failing_check_quotes_in_that_run_is_found() {
        let mut failed = CheckReport::new("c", CheckKind::Guaranteed, None);
        failed.failures = vec![
            Failure {
                run: 2,
                fault: Fault::new(
                    vec![said!(
                        "either",
                        first = Arg::line(5, "Run 3"),
                        second = Arg::LineNo(1)
                    )],
                    0,
                ),
                ..Failure::default()
            },
            Failure {
                run: 2,
                fault: Fault::new(
                    vec![said!(
                        "count-found",
                        count = 2,
                        lines = Arg::list([Arg::LineNo(4), Arg::LineNo(1)])
                    )],
                    0,
                ),
                ..Failure::default()
            },
            Failure {
                run: 3,
                fault: Fault::new(vec![said!("role-main", line = Arg::line(9, "x"))], 0),
                ..Failure::default()
            },
        ];
        let report = Report {
            example: "t".into(),
            runs: 3,
            passed: false,
            time_scale: 1.0,
            params: Default::default(),
            checks: vec![failed],
            diff: None,
            facts: Default::default(),
            fence: String::new(),
            notes: Vec::new(),
        };
        assert_eq!(
            quoted_lines(&report, 2).into_iter().collect::<Vec<_>>(),
            vec![1, 4, 5]
        );
    }
}
