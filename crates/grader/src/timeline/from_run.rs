//! The timeline of one graded run: its lines with their kinds, the lines its failing checks
//! quote, the spans and hand-offs the spec pairs.
//!
//! Until the runs of a grading carry their trace, a run is drawn from what the grader knows
//! without one: the main process (its pid, its end) and every stdout line at its arrival, all on
//! the main process's lane.

use std::collections::BTreeSet;
use std::time::Duration;

use regex::Regex;
use tracer::{End, Stream, Task, TaskKind, Trace};

use super::pairing::pair_up;
use super::{Timeline, TimelineLine};
use crate::outcome::{Exit, RunOutcome};
use crate::report::{CheckStatus, Report};
use crate::spec::Spec;

/// The SVG timeline of `run`, one of the runs `report` judged against `spec`; `standalone`: a
/// document of its own (else an element for an HTML page).
pub fn run_timeline(spec: &Spec, report: &Report, run: &RunOutcome, standalone: bool) -> String {
    let trace = untraced(run);
    let quoted = quoted_lines(report, run.run);
    let mut lines: Vec<TimelineLine> = run
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| TimelineLine {
            text: l.text.clone(),
            at: l.at,
            tid: run.main_pid,
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
        .map(|c| c.name.as_str())
        .collect();
    let verdict = match failed.as_slice() {
        [] => "passed".to_string(),
        [one] => format!("failed '{one}'"),
        [first, rest @ ..] => format!("failed '{first}' and {} more", rest.len()),
    };
    let t = Timeline {
        trace: &trace,
        title: format!(
            "{}: run {} of {}, {verdict}",
            report.example, run.run, report.runs
        ),
        note: Some("not traced: every line is on the main process's lane, at its arrival".into()),
        lines,
        spans,
        links,
    };
    if standalone { t.svg() } else { t.svg_element() }
}

/// The line numbers (from 1) that the failing checks' messages quote for run `run`.
pub(super) fn quoted_lines(report: &Report, run: usize) -> BTreeSet<usize> {
    let Ok(re) = Regex::new(r"\bline (\d+)\b") else {
        return BTreeSet::new();
    };
    report
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Failed)
        .flat_map(|c| c.failures.iter().filter(|f| f.run == run))
        .flat_map(|f| {
            re.captures_iter(&f.message)
                .filter_map(|m| m[1].parse().ok())
                .collect::<Vec<usize>>()
        })
        .collect()
}

/// What is known of a run without its trace: the main process, from its start to the run's
/// end, and how it ended.
fn untraced(run: &RunOutcome) -> Trace {
    let end = run.exit.map(|e| match e {
        Exit::Code(c) => End::Exited(c),
        Exit::Signal(s) => End::Signaled(s),
    });
    Trace {
        main_pid: run.main_pid,
        tasks: vec![Task {
            tid: run.main_pid,
            tgid: run.main_pid,
            creator: None,
            kind: TaskKind::Process,
            created_at: Duration::ZERO,
            execs: Vec::new(),
            ended_at: Some(run.elapsed),
            end,
            comm: None,
        }],
        writes: Vec::new(),
        shake: None,
        holds: Vec::new(),
        refusals: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{CheckKind, CheckReport, Failure};

    #[test]
    fn every_line_a_failing_check_quotes_in_that_run_is_found() {
        let mut failed = CheckReport::new("c", CheckKind::Guaranteed, None);
        failed.failures = vec![
            Failure {
                run: 2,
                message:
                    r#"at line 5 "Run 3", 3 'run' lines are open (i=1 at line 1, i=2 at line 4)"#
                        .into(),
            },
            Failure {
                run: 3,
                message: "line 9 \"x\"".into(),
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
        };
        assert_eq!(
            quoted_lines(&report, 2).into_iter().collect::<Vec<_>>(),
            vec![1, 4, 5]
        );
    }
}
