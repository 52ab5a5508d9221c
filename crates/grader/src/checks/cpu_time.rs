//! `cpu_time`: a CPU time a port prints against what the kernel counted for the run's tasks
//! (multicore: `CPU time C s` cannot exceed the user + system time its threads used).

use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use crate::say::say;
use crate::spec::fields::{Fields, Res};
use crate::spec::introspect::field_names;
use crate::spec::rule::{CheckType, Classified, Ctx, Rule};
use crate::text::Problems;

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
}

/// A printed time rounded to 0.01 s is off by up to half of that.
const ROUNDING: f64 = 0.005;
/// The kernel counts each task's time in ticks of 10 ms (`/proc`'s `utime`, `stime`): each
/// task's figure may be short by up to one.
const TICK: f64 = 0.01;
/// The kernel splits a task's precise run time into user and system time by its samples; the
/// sum keeps to the precise time within this share.
const SHARE: f64 = 0.02;

/// Every `line` line's `capture` (seconds) is at most the CPU time the kernel counted for all the
/// run's tasks together (read at each one's exit), plus rounding: a port cannot have used more
/// than its tasks did. Not judged when the trace missed a task's exit (its CPU time unknown).
#[derive(Debug)]
struct CpuTimeRule {
    line: usize,
    capture: String,
}

fn build(f: &Fields<'_>) -> Res<Arc<dyn Rule>> {
    let c: CpuTimeFields = f.read()?;
    let line = f.need_kind(&c.line, "line")?;
    let capture = f.need_capture(line, &c.capture, "capture")?;
    Ok(Arc::new(CpuTimeRule { line, capture }))
}

impl CpuTimeRule {
    fn fault(&self, l: &Classified<'_>, used: Duration, tasks: usize) -> Option<String> {
        let printed: f64 = l.cap(&self.capture).parse().ok()?;
        let used = used.as_secs_f64();
        let most = used * (1.0 + SHARE) + ROUNDING + TICK * tasks as f64;
        (printed > most).then(|| {
            say!(
                "cpu-time-not-used",
                line = l.quote(),
                capture = self.capture.as_str(),
                printed = printed.to_string(),
                used = format!("{used:.2}"),
                tasks = tasks.to_string()
            )
        })
    }
}

impl Rule for CpuTimeRule {
    fn reached(&self, ctx: &Ctx<'_>) -> bool {
        ctx.has_any(&[self.line])
    }

    fn judge(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        let tasks = &ctx.run.tasks;
        let Some(used) = tasks.iter().map(|t| t.cpu_time).sum::<Option<Duration>>() else {
            return Ok(());
        };
        let mut problems = Problems::default();
        for l in ctx.of_kind(self.line) {
            if let Some(fault) = self.fault(l, used, tasks.len()) {
                problems.add(|| fault);
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
    use crate::writer::{Role, RunTask};

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
}
