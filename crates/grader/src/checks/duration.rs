//! `duration`: a time a line prints against the time the trace measured between that line and
//! an earlier one (pool: `Task i runs S seconds.` against the span from task i's Run line).

use std::collections::HashMap;
use std::sync::Arc;

use super::values::norm;
use serde::Deserialize;
use toml::Spanned;

use crate::words::say::say;
use crate::spec::fault::{Arg, Fault, Problems, Said, said};
use crate::spec::fields::{Fields, Res};
use crate::spec::introspect::field_names;
use crate::spec::rule::{CheckType, Classified, Ctx, Rule, TaskIndex};

pub(super) const TYPES: &[CheckType] = &[CheckType {
    name: "duration",
    fields: field_names::<DurationFields>,
    build,
    needs_trace: true,
}];

/// How much a span the trace measured can exceed what the port measured itself with no fault of
/// the port's: the latency of a traced write's stop on a loaded machine (seconds).
const TRACE_NOISE: f64 = 0.02;

/// The fields a `duration` check takes besides `name`, `type` and `likely`: any other is refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DurationFields {
    line: Option<Spanned<String>>,
    capture: Option<Spanned<String>>,
    since: Option<Spanned<String>>,
    per: Option<Spanned<String>>,
    slack: Option<Spanned<f64>>,
}

/// A printed time rounded to 0.01 s is off by up to half of that.
const ROUNDING: f64 = 0.005;
/// The port's clock (wall time) and the tracer's (monotonic) may drift apart this much over a
/// run (NTP slews at most 0.5 ms/s).
const CLOCKS: f64 = 0.01;

/// Every `line` line's `capture` (seconds) is at most the traced time since the last `since`
/// line before it (with the same `per` value): a task measures its time between those two
/// writes. With `slack`, it is also at least that span minus `slack`, on unshaken runs (a hold
/// between the two lines lengthens the span but not the task).
#[derive(Debug)]
struct DurationRule {
    line: usize,
    capture: String,
    since: usize,
    per: Option<String>,
    slack: Option<f64>,
}

fn build(f: &Fields<'_>) -> Res<Arc<dyn Rule>> {
    let c: DurationFields = f.read()?;
    let line = f.need_kind(&c.line, "line")?;
    let capture = f.need_capture(line, &c.capture, "capture")?;
    let since = f.need_kind(&c.since, "since")?;
    let per = f.opt_capture(line, &c.per)?;
    if let Some(p) = &per {
        f.capture_in(since, p, c.per.as_ref().map(|s| s.span()))?;
    }
    let slack = match &c.slack {
        Some(s) if !(s.get_ref().is_finite() && *s.get_ref() >= 0.0) => {
            return Err(f.check_err(s.span(), say!("spec-slack")));
        }
        s => s.as_ref().map(|s| *s.get_ref()),
    };
    Ok(Arc::new(DurationRule {
        line,
        capture,
        since,
        per,
        slack,
    }))
}

impl DurationRule {
    /// The traced time between `start` and `l`, if the trace tells it: two lines written
    /// alone, or both in the one write (a span of 0 at a terminal, where stdio flushes each
    /// line: the port wrote them together). Lines flushed together from a pipe's buffer carry
    /// the flush's time, not their own: then at most the time since the writer was made.
    fn span(&self, ctx: &Ctx<'_>, tasks: &TaskIndex<'_>, start: &Classified<'_>, l: &Classified<'_>) -> Option<f64> {
        let (ws, wl) = (start.writer?, l.writer?);
        if !ws.burst && !wl.burst {
            return Some(l.at.saturating_sub(start.at).as_secs_f64());
        }
        let one_write = ws.burst && wl.burst && ws.pid == wl.pid && start.at == l.at;
        if !one_write {
            return None;
        }
        if ctx.run.stdout_tty {
            return Some(0.0);
        }
        let made = tasks.process(wl.pid)?.created_at;
        Some(l.at.saturating_sub(made).as_secs_f64())
    }

    fn fault(&self, ctx: &Ctx<'_>, tasks: &TaskIndex<'_>, start: &Classified<'_>, l: &Classified<'_>) -> Option<Said> {
        let printed: f64 = l.cap(&self.capture).parse().ok()?;
        let span = self.span(ctx, tasks, start, l)?;
        let kind = ctx.kind_name(self.since);
        if printed > span + ROUNDING + CLOCKS {
            return Some(said!(
                "duration-longer",
                line = l.quote(),
                capture = self.capture.as_str(),
                printed = printed.to_string(),
                span = format!("{span:.3}"),
                kind = kind,
                n = Arg::LineNo(start.number)
            ));
        }
        // Only a span the trace measured line by line bounds the time from below.
        let measured = start.writer.is_some_and(|w| !w.burst) && l.writer.is_some_and(|w| !w.burst);
        // The slack is a time of the spec's like any other: it scales with the run's times, down
        // to the trace's own noise (a stop's latency on a loaded machine), which does not scale.
        let slack = (self.slack? * ctx.params.time_scale()).max(TRACE_NOISE);
        if measured && !ctx.run.shaken() && printed < span - ROUNDING - slack {
            return Some(said!(
                "duration-shorter",
                line = l.quote(),
                capture = self.capture.as_str(),
                printed = printed.to_string(),
                span = format!("{span:.3}"),
                kind = kind,
                n = Arg::LineNo(start.number),
                slack = format!("{slack:.3}")
            ));
        }
        None
    }
}

impl Rule for DurationRule {
    fn reached(&self, ctx: &Ctx<'_>) -> bool {
        ctx.has_any(&[self.line])
    }

    fn judge(&self, ctx: &Ctx<'_>) -> Result<(), Fault> {
        let mut problems = Problems::default();
        let tasks = TaskIndex::of(&ctx.run.tasks);
        // The `since` lines so far, by their `per` value: each line's start is found among its
        // own group's, from the latest back (one step when the times come in order).
        let mut starts: HashMap<String, Vec<&Classified<'_>>> = HashMap::new();
        let key = |l: &Classified<'_>| self.per.as_deref().map(|p| norm(l.cap(p))).unwrap_or_default();
        for l in ctx.lines {
            if l.kind == self.line
                && let Some(start) = starts
                    .get(&key(l))
                    .and_then(|v| v.iter().rev().find(|o| o.at <= l.at))
                && let Some(fault) = self.fault(ctx, &tasks, start, l)
            {
                problems.add(|| fault);
            }
            if l.kind == self.since {
                starts.entry(key(l)).or_default().push(l);
            }
        }
        problems.result()
    }
}

/// A run whose lines are `(text, seconds, pid)`, each written alone by that process.
#[cfg(test)]
pub(super) fn traced_run(lines: &[(&str, f64, i32)]) -> crate::outcome::RunOutcome {
    use crate::outcome::{Line, RunOutcome};
    use crate::outcome::writer::{Role, Writer};
    RunOutcome {
        main_pid: super::testing::MAIN_PID,
        lines: lines
            .iter()
            .map(|(text, at, pid)| Line {
                text: text.to_string(),
                utf8: true,
                at: std::time::Duration::from_secs_f64(*at),
                writer: Some(Writer {
                    pid: *pid,
                    tid: *pid,
                    ppid: Some(super::testing::MAIN_PID),
                    role: if *pid == super::testing::MAIN_PID {
                        Role::Main
                    } else {
                        Role::Process
                    },
                    burst: false,
                }),
            })
            .collect(),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::judge_run;
    use super::traced_run;

    pub(super) const SPEC: &str = r#"
name = "t"
[[line]]
name = "run"
pattern = 'Run task (?<i>\d+)'
[[line]]
name = "task"
pattern = 'Task (?<i>\d+) runs (?<S>\d+\.\d\d) seconds\.'
[[check]]
name = "d"
type = "duration"
line = "task"
capture = "S"
since = "run"
per = "i"
slack = 0.1
"#;

    #[test]
    fn a_printed_time_longer_than_the_traced_span_fails_and_a_true_one_passes() {
        let honest = traced_run(&[
            ("Run task 0", 0.10, 7),
            ("Run task 1", 0.11, 8),
            ("Task 1 runs 0.50 seconds.", 0.612, 8),
            ("Task 0 runs 1.20 seconds.", 1.302, 7),
        ]);
        assert_eq!(judge_run(SPEC, &honest), Ok(()));
        let invented = traced_run(&[
            ("Run task 0", 0.10, 7),
            ("Task 0 runs 1.73 seconds.", 0.101, 7),
        ]);
        let e = judge_run(SPEC, &invented).unwrap_err();
        assert!(e.contains("longer than the trace measured"), "{e}");
        let too_short = traced_run(&[
            ("Run task 0", 0.10, 7),
            ("Task 0 runs 0.20 seconds.", 1.10, 7),
        ]);
        let e = judge_run(SPEC, &too_short).unwrap_err();
        assert!(e.to_string().contains("shorter than the trace measured"), "{e}");
        let shaken = crate::outcome::RunOutcome {
            shake_seed: Some(1),
            ..too_short
        };
        assert_eq!(judge_run(SPEC, &shaken), Ok(()), "a hold lengthens the span");
    }
}

#[cfg(test)]
mod one_write_and_scale {
    use super::super::testing::{MAIN_PID, judge_run};
    use super::traced_run;
    use crate::spec::build::build;
    use crate::spec::params::Params;
    use crate::spec::rule::{Ctx, classify};

    use super::tests::SPEC;

    fn one_write(tty: bool) -> crate::outcome::RunOutcome {
        let mut run = traced_run(&[
            ("Run task 0", 0.10, 7),
            ("Task 0 runs 1.73 seconds.", 0.10, 7),
        ]);
        for l in &mut run.lines {
            l.writer = l.writer.map(|w| crate::outcome::writer::Writer { burst: true, ..w });
        }
        run.stdout_tty = tty;
        run.main_pid = MAIN_PID;
        run
    }

    #[test]
    fn two_lines_in_one_write_at_a_terminal_are_a_span_of_zero() {
        let e = judge_run(SPEC, &one_write(true)).unwrap_err();
        assert!(e.contains("longer than the trace measured"), "{e}");
        // From a pipe's buffer the span is unknown: not judged without the writer's birth.
        assert_eq!(judge_run(SPEC, &one_write(false)), Ok(()));
    }

    #[test]
    fn the_slack_scales_with_the_time_scale() {
        // A task that slept 0.09 s (scale 0.1) and printed a third of it.
        let run = traced_run(&[
            ("Run task 0", 0.10, 7),
            ("Task 0 runs 0.03 seconds.", 0.19, 7),
        ]);
        let spec = build(SPEC, "t.toml", &super::super::all()).expect("spec");
        let judge = |scale: f64| {
            let params = Params::resolve(&spec, &[], scale).expect("params");
            let classified = classify(&spec.lines, &run.lines);
            let ctx = Ctx {
                kinds: &spec.lines,
                params: &params,
                run: &run,
                lines: &classified,
            };
            spec.checks[0].rule.judge(&ctx)
        };
        assert_eq!(judge(1.0), Ok(()), "0.06 s short is within 0.1 s at scale 1");
        let e = judge(0.1).unwrap_err();
        assert!(e.to_string().contains("shorter than the trace measured"), "{e}");
    }
}
