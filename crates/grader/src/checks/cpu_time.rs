//! `cpu_time`: a CPU time a port prints against what the kernel counted for the run's tasks
//! (multicore: `CPU time C s` is the user + system time its threads used between its two lines).

use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use crate::spec::fault::{Arg, Fault, Problems, Said, said};
use crate::spec::fields::{Fields, Res};
use crate::spec::introspect::field_names;
use crate::spec::rule::{CheckType, Classified, Ctx, Rule};
use crate::outcome::writer::RunTask;

pub(super) const TYPES: &[CheckType] = &[CheckType {
    name: "cpu_time",
    fields: field_names::<CpuTimeFields>,
    build,
    needs_trace: true,
}];

/// The fields a `cpu_time` check takes besides `name`, `type` and `likely`: any other is refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CpuTimeFields {
    line: Option<Spanned<String>>,
    capture: Option<Spanned<String>>,
    since: Option<Spanned<String>>,
}

/// A printed time rounded to 0.01 s is off by up to half of that.
const ROUNDING: f64 = 0.005;
/// The kernel counts each task's time in ticks of 10 ms (`/proc`'s `utime`, `stime`): each
/// task's figure may be short by up to one.
const TICK: f64 = 0.01;
/// The kernel splits a task's precise run time into user and system time by its samples; the
/// sum keeps to the precise time within this share.
const SHARE: f64 = 0.02;
/// Between two lines (`since`), what the port's own clock can count that the kernel's reading at
/// the two writes does not, and the other way: the few instructions between a write and the
/// port's clock, a task still running as the line was written whose last milliseconds the
/// kernel had not added yet (seconds).
const SPAN_NOISE: f64 = 0.02;

/// Every `line` line's `capture` (seconds) is at most the CPU time the kernel counted for all the
/// run's tasks together (read at each one's exit), plus rounding: a port cannot have used more
/// than its tasks did. Not judged when a task's CPU time could not be read (unknown, not zero).
///
/// With `since`, both ways and over a span: about the CPU time the run's tasks used between the
/// last `since` line before it and it, as the trace read every task's time at the two writes
/// (threads that sleep cannot print the time of threads that spin, nor the time the port spent
/// before the span or spends after it); a line either write of which the trace did not read
/// falls back to the bound above.
#[derive(Debug)]
struct CpuTimeRule {
    line: usize,
    capture: String,
    since: Option<usize>,
}

fn build(f: &Fields<'_>) -> Res<Arc<dyn Rule>> {
    let c: CpuTimeFields = f.read()?;
    let line = f.need_kind(&c.line, "line")?;
    let capture = f.need_capture(line, &c.capture, "capture")?;
    let since = match &c.since {
        Some(_) => Some(f.need_kind(&c.since, "since")?),
        None => None,
    };
    Ok(Arc::new(CpuTimeRule {
        line,
        capture,
        since,
    }))
}

/// The CPU time the run's tasks used between two samples, as a range: exact for every task whose
/// time is known at both, from nothing to the whole of its life inside the span for a task whose
/// end the trace missed (its time then unknown).
fn used_between(tasks: &[RunTask], a: &tracer::CpuSample, b: &tracer::CpuSample) -> (f64, f64) {
    // A task's time at a sample: read there, none before it was made, else its time at its end
    // (it ended before the sample); `None` when that is unknown too.
    let at = |t: &RunTask, s: &tracer::CpuSample| -> Option<Duration> {
        if let Some((_, d)) = s.tasks.iter().find(|(tid, _)| *tid == t.tid) {
            return Some(*d);
        }
        if t.created_at >= s.at {
            return Some(Duration::ZERO);
        }
        t.cpu_time
    };
    let (mut lo, mut hi) = (0.0, 0.0);
    for t in tasks {
        match (at(t, a), at(t, b)) {
            (Some(x), Some(y)) => {
                let d = y.saturating_sub(x).as_secs_f64();
                lo += d;
                hi += d;
            }
            _ => {
                let from = t.created_at.max(a.at);
                let to = t.ended_at.map_or(b.at, |e| e.min(b.at));
                hi += to.saturating_sub(from).as_secs_f64();
            }
        }
    }
    (lo, hi)
}

/// The trace's reading of the CPU times as line `l` was written.
fn sample<'r>(ctx: &'r Ctx<'_>, l: &Classified<'_>) -> Option<&'r tracer::CpuSample> {
    let w = l.writer?;
    ctx.run
        .task_cpu
        .iter()
        .find(|s| s.tid == w.tid && s.at == l.at)
}

impl CpuTimeRule {
    fn fault(&self, l: &Classified<'_>, used: Duration, tasks: usize) -> Option<Said> {
        let printed: f64 = l.cap(&self.capture).parse().ok()?;
        let used = used.as_secs_f64();
        let most = used * (1.0 + SHARE) + ROUNDING + TICK * tasks as f64;
        (printed > most).then(|| {
            said!(
                "cpu-time-not-used",
                line = l.quote(),
                capture = self.capture.as_str(),
                printed = printed.to_string(),
                used = format!("{used:.2}"),
                tasks = tasks.to_string()
            )
        })
    }

    /// `l` against the CPU time used since `start`, when the trace read it at both lines.
    fn span_fault(
        &self,
        ctx: &Ctx<'_>,
        start: &Classified<'_>,
        l: &Classified<'_>,
    ) -> Option<Option<Said>> {
        let (a, b) = (sample(ctx, start)?, sample(ctx, l)?);
        let printed: f64 = l.cap(&self.capture).parse().ok()?;
        let (lo, hi) = used_between(&ctx.run.tasks, a, b);
        let least = lo * (1.0 - SHARE) - ROUNDING - SPAN_NOISE;
        let most = hi * (1.0 + SHARE) + ROUNDING + SPAN_NOISE;
        if (least..=most).contains(&printed) {
            return Some(None);
        }
        let used = if hi - lo < 0.005 {
            Arg::from(format!("{lo:.2}"))
        } else {
            Arg::from(said!("cpu-time-range", lo = format!("{lo:.2}"), hi = format!("{hi:.2}")))
        };
        Some(Some(said!(
            if printed > most {
                "cpu-time-span-more"
            } else {
                "cpu-time-span-less"
            },
            line = l.quote(),
            capture = self.capture.as_str(),
            printed = printed.to_string(),
            used = used,
            from = Arg::LineNo(start.number)
        )))
    }
}

impl Rule for CpuTimeRule {
    fn reached(&self, ctx: &Ctx<'_>) -> bool {
        ctx.has_any(&[self.line])
    }

    fn cpu_at_lines(&self) -> bool {
        self.since.is_some()
    }

    fn judge(&self, ctx: &Ctx<'_>) -> Result<(), Fault> {
        let tasks = &ctx.run.tasks;
        let total = tasks.iter().map(|t| t.cpu_time).sum::<Option<Duration>>();
        let mut problems = Problems::default();
        let mut start: Option<&Classified<'_>> = None;
        for l in ctx.lines {
            if l.kind == self.line {
                let span = match (self.since, start) {
                    (Some(_), Some(s)) => self.span_fault(ctx, s, l),
                    _ => None,
                };
                let fault = match span {
                    Some(fault) => fault,
                    None => total.and_then(|used| self.fault(l, used, tasks.len())),
                };
                if let Some(fault) = fault {
                    problems.add(|| fault);
                }
            }
            if Some(l.kind) == self.since {
                start = Some(l);
            }
        }
        problems.result()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::super::duration::traced_run;
    use super::super::testing::{MAIN_PID, judge_run};
    use crate::outcome::writer::{Role, RunTask};

    const SPEC: &str = r#"
name = "t"
[[line]]
name = "busy"
pattern = 'CPU time (?<C>\d+\.\d\d) s'
[[check]]
name = "c"
type = "cpu_time"
line = "busy"
capture = "C"
"#;

    fn thread(tid: i32, cpu: Option<f64>) -> RunTask {
        RunTask {
            pid: MAIN_PID,
            tid,
            ppid: None,
            role: Role::Thread,
            created_at: Duration::ZERO,
            ended_at: Some(Duration::from_secs(1)),
            exit_code: None,
            execs: Vec::new(),
            exec_paths: Vec::new(),
            system_execs: Vec::new(),
            last_exec_at: None,
            cpu_time: cpu.map(Duration::from_secs_f64),
        }
    }

    #[test]
    fn a_printed_cpu_time_beyond_the_kernels_count_fails() {
        let mut honest = traced_run(&[("CPU time 1.98 s", 1.0, MAIN_PID)]);
        honest.tasks = vec![thread(MAIN_PID, Some(0.02)), thread(101, Some(0.99)), thread(102, Some(0.97))];
        assert_eq!(judge_run(SPEC, &honest), Ok(()));
        let mut sleeper = traced_run(&[("CPU time 2.00 s", 1.0, MAIN_PID)]);
        sleeper.tasks = vec![thread(MAIN_PID, Some(0.01)), thread(101, Some(0.0)), thread(102, Some(0.0))];
        let e = judge_run(SPEC, &sleeper).unwrap_err();
        assert!(e.contains("the kernel counted 0.01 s for all 3 tasks"), "{e}");
        // A task whose exit the trace missed: its time is unknown, nothing is judged.
        sleeper.tasks[1].cpu_time = None;
        assert_eq!(judge_run(SPEC, &sleeper), Ok(()));
    }

    const SPAN: &str = r#"
name = "t"
[[line]]
name = "run"
pattern = 'Run'
[[line]]
name = "busy"
pattern = 'CPU time (?<C>\d+\.\d\d) s'
[[check]]
name = "c"
type = "cpu_time"
line = "busy"
capture = "C"
since = "run"
"#;

    fn sample(at: f64, tasks: &[(i32, f64)]) -> tracer::CpuSample {
        tracer::CpuSample {
            tid: MAIN_PID,
            at: Duration::from_secs_f64(at),
            tasks: tasks
                .iter()
                .map(|(t, c)| (*t, Duration::from_secs_f64(*c)))
                .collect(),
        }
    }

    /// Two busy threads made and ended between the lines (at 0.2 s and 1.0 s), the main
    /// thread's own time before the run line left out.
    fn spun(printed: &str, main_before: f64) -> crate::outcome::RunOutcome {
        let text = format!("CPU time {printed} s");
        let mut run = traced_run(&[("Run", 0.1, MAIN_PID), (&text, 1.1, MAIN_PID)]);
        let mut t1 = thread(101, Some(0.79));
        let mut t2 = thread(102, Some(0.78));
        for t in [&mut t1, &mut t2] {
            t.created_at = Duration::from_secs_f64(0.2);
            t.ended_at = Some(Duration::from_secs_f64(1.0));
        }
        run.tasks = vec![thread(MAIN_PID, Some(main_before + 0.05)), t1, t2];
        run.task_cpu = vec![
            sample(0.1, &[(MAIN_PID, main_before)]),
            sample(1.1, &[(MAIN_PID, main_before + 0.01)]),
        ];
        run
    }

    #[test]
    fn between_two_lines_the_printed_time_is_what_the_tasks_used_then() {
        assert_eq!(judge_run(SPAN, &spun("1.58", 0.0)), Ok(()));
        // Burnt before the run line: the whole run's count would cover it, the span's does not.
        let e = judge_run(SPAN, &spun("3.00", 2.0)).unwrap_err();
        assert!(e.contains("used 1.58 s between line 1 and it"), "{e}");
        assert!(e.contains("was not used then"), "{e}");
        // Less than was used (the threads' time left out) fails too.
        let e = judge_run(SPAN, &spun("0.01", 0.0)).unwrap_err();
        assert!(e.contains("leaves out"), "{e}");
        // A task whose end the trace missed: anything from nothing to its life in the span.
        let mut unknown = spun("0.90", 0.0);
        unknown.tasks[2].cpu_time = None;
        assert_eq!(judge_run(SPAN, &unknown), Ok(()));
        unknown.lines[1].text = "CPU time 2.50 s".into();
        let e = judge_run(SPAN, &unknown).unwrap_err();
        assert!(e.contains("0.80 to 1.60"), "{e}");
        // No reading at the lines: the bound over the whole run.
        let mut unread = spun("3.00", 2.0);
        unread.task_cpu.clear();
        assert_eq!(judge_run(SPAN, &unread), Ok(()));
    }
}
