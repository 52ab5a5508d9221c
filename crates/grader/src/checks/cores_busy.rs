//! `cores_busy`: how many cores the run's tasks kept busy between two lines, as the kernel
//! counted their CPU time, judged only when the machine left that many cores free.

use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use crate::outcome::CpuSample;
use crate::words::say::say;
use crate::spec::fault::{Arg, Fault, Said, said};
use crate::spec::fields::{Fields, Res};
use crate::spec::introspect::field_names;
use crate::spec::raw::RawNum;
use crate::spec::rule::{CheckType, Classified, Ctx, NotJudged, Rule};
use crate::spec::values::Num;

pub(super) const TYPES: &[CheckType] = &[CheckType {
    name: "cores_busy",
    fields: field_names::<CoresBusyFields>,
    build,
    needs_trace: true,
}];

/// The fields a `cores_busy` check takes besides `name`, `type` and `likely`: any other is
/// refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CoresBusyFields {
    since: Option<Spanned<String>>,
    line: Option<Spanned<String>>,
    min: Option<Spanned<RawNum>>,
    slack: Option<Spanned<f64>>,
}

/// `/proc/stat` counts in these ticks a second (`USER_HZ`, 100 on every Linux ABI).
const USER_HZ: f64 = 100.0;

/// Between the first `since` line and the last `line` line, the run's tasks kept at least
/// `min - slack` cores busy: their CPU time (each task's, in the share of its life inside the
/// span) over the span. Judged only when the machine had that many cores free for the port over
/// the span (its cores less what other programs used, from `/proc/stat`); else "not judged".
#[derive(Debug)]
struct CoresBusyRule {
    since: usize,
    line: usize,
    min: Num,
    slack: f64,
}

fn build(f: &Fields<'_>) -> Res<Arc<dyn Rule>> {
    let c: CoresBusyFields = f.read()?;
    let since = f.need_kind(&c.since, "since")?;
    let line = f.need_kind(&c.line, "line")?;
    let min = match &c.min {
        Some(m) => f.count_num(m)?,
        None => return Err(f.missing(say!("spec-needs-field", ctype = "cores_busy", field = "min"))),
    };
    let slack = match &c.slack {
        Some(s) if !(s.get_ref().is_finite() && *s.get_ref() >= 0.0) => {
            return Err(f.check_err(s.span(), say!("spec-slack")));
        }
        s => s.as_ref().map_or(0.0, |s| *s.get_ref()),
    };
    Ok(Arc::new(CoresBusyRule {
        since,
        line,
        min,
        slack,
    }))
}

/// What the span tells: the port's busy cores, and the cores the machine left it.
struct Span {
    /// At least: tasks whose CPU time the trace missed (no exit stop) count nothing.
    port: f64,
    /// Tasks whose CPU time is unknown.
    unknown: usize,
    free: f64,
    seconds: f64,
}

impl CoresBusyRule {
    /// The span's two lines.
    fn ends<'c>(&self, ctx: &'c Ctx<'_>) -> Option<(&'c Classified<'c>, &'c Classified<'c>)> {
        let a = ctx.of_kind(self.since).next()?;
        let b = ctx.of_kind(self.line).last()?;
        (b.at > a.at).then_some((a, b))
    }

    fn span(&self, ctx: &Ctx<'_>) -> Option<Span> {
        let (a, b) = self.ends(ctx)?;
        let (from, to) = (a.at, b.at);
        let seconds = (to - from).as_secs_f64();
        let (mut cpu, mut unknown) = (0.0, 0);
        for t in &ctx.run.tasks {
            let (Some(used), Some(end)) = (t.cpu_time, t.ended_at) else {
                unknown += 1;
                continue;
            };
            let used = used.as_secs_f64();
            let life = end.saturating_sub(t.created_at).as_secs_f64();
            let inside = end.min(to).saturating_sub(t.created_at.max(from)).as_secs_f64();
            if life > 0.0 {
                cpu += used * inside / life;
            }
        }
        let port = cpu / seconds;
        // The first samples read as (or after) each line arrived.
        // (The trace's clock and the grader's may start a little apart: past the last sample,
        // the last one.)
        let at = |t: Duration| -> Option<&CpuSample> {
            let m = &ctx.run.machine;
            m.iter().find(|s| s.at >= t).or(m.last())
        };
        let (s, e) = (at(from)?, at(to)?);
        let wall = e.at.checked_sub(s.at)?.as_secs_f64();
        if wall <= 0.0 {
            return None;
        }
        let ticks = e.total.checked_sub(s.total)? as f64;
        let idle = e.idle.checked_sub(s.idle)? as f64;
        let cores = ticks / USER_HZ / wall;
        let busy = (ticks - idle) / USER_HZ / wall;
        let others = (busy - port).max(0.0);
        Some(Span {
            port,
            unknown,
            free: cores - others,
            seconds,
        })
    }
}

impl CoresBusyRule {
    /// Why the run cannot judge the check: too few free cores, or CPU times unknown.
    fn why_not_judged(&self, ctx: &Ctx<'_>) -> Option<Said> {
        let need = ctx.num(&self.min) as f64 - self.slack;
        let Some(span) = self.span(ctx) else {
            // No span (a line missing: other checks say so) or no counts: nothing to judge.
            return self
                .ends(ctx)
                .map(|_| said!("cores-unknown"));
        };
        if span.free < need {
            return Some(said!(
                "cores-machine-busy",
                free = format!("{:.1}", span.free),
                seconds = format!("{:.2}", span.seconds),
                need = need.to_string()
            ));
        }
        // What is known falls short, and the rest is unknown: no verdict either way.
        (span.port < need && span.unknown > 0).then(|| {
            said!("cores-cpu-missed", count = span.unknown.to_string())
        })
    }
}

impl Rule for CoresBusyRule {
    fn reached(&self, ctx: &Ctx<'_>) -> bool {
        self.ends(ctx).is_some()
    }

    fn not_judged(&self, ctx: &Ctx<'_>) -> Option<NotJudged> {
        self.why_not_judged(ctx).map(|why| NotJudged {
            tag: "report-not-judged",
            why,
        })
    }

    fn judge(&self, ctx: &Ctx<'_>) -> Result<(), Fault> {
        let need = ctx.num(&self.min) as f64 - self.slack;
        let Some(span) = self.span(ctx) else {
            return Ok(());
        };
        if span.port >= need || span.unknown > 0 {
            return Ok(());
        }
        let (a, b) = self.ends(ctx).map_or((0, 0), |(a, b)| (a.number, b.number));
        Err(said!(
            "cores-too-few",
            from = Arg::LineNo(a),
            to = Arg::LineNo(b),
            seconds = format!("{:.2}", span.seconds),
            busy = format!("{:.2}", span.port),
            free = format!("{:.1}", span.free),
            need = need.to_string()
        ).into())
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::super::duration::traced_run;
    use super::super::testing::spec;
    use super::super::testing::{MAIN_PID, judge_run};
    use crate::outcome::{CpuSample, RunOutcome};
    use crate::spec::params::Params;
    use crate::spec::rule::{Ctx, classify};
    use crate::outcome::writer::{Role, RunTask};

    const SPEC: &str = r#"
name = "t"
[[line]]
name = "run"
pattern = 'Run'
[[line]]
name = "busy"
pattern = 'Busy'
[[check]]
name = "c"
type = "cores_busy"
since = "run"
line = "busy"
min = 2
slack = 0.5
"#;

    /// A one-second run whose threads used `cpu` s each, on a 2-core machine that was idle
    /// `idle` of the second (in ticks of 1/100 s, of 200).
    fn run(cpu: &[f64], idle: u64) -> RunOutcome {
        let mut r = traced_run(&[("Run", 0.0, MAIN_PID), ("Busy", 1.0, MAIN_PID)]);
        r.tasks = cpu
            .iter()
            .enumerate()
            .map(|(i, c)| RunTask {
                pid: MAIN_PID,
                tid: MAIN_PID + i as i32,
                ppid: None,
                role: Role::Thread,
                created_at: Duration::ZERO,
                ended_at: Some(Duration::from_secs(1)),
                exit_code: None,
                execs: Vec::new(),
                exec_paths: Vec::new(),
                system_execs: Vec::new(),
                last_exec_at: None,
                cpu_time: Some(Duration::from_secs_f64(*c)),
            })
            .collect();
        r.machine = vec![
            CpuSample { at: Duration::ZERO, total: 0, idle: 0 },
            CpuSample { at: Duration::from_secs(1), total: 200, idle },
        ];
        r
    }

    fn not_judged(r: &RunOutcome) -> Option<String> {
        let s = spec(SPEC).expect("spec");
        let params = Params::resolve(&s, &[], 1.0).expect("params");
        let lines = classify(&s.lines, &r.lines);
        let ctx = Ctx { kinds: &s.lines, params: &params, run: r, lines: &lines };
        s.checks[0].rule.not_judged(&ctx).map(|n| n.why.to_string())
    }

    #[test]
    fn the_kernels_count_judges_and_a_busy_machine_is_not_judged() {
        // Two spinning threads on an otherwise idle machine.
        let both = run(&[1.0, 1.0], 0);
        assert_eq!((not_judged(&both), judge_run(SPEC, &both)), (None, Ok(())));
        // One spinning thread, the other core idle: it could have had two.
        let one = run(&[1.0, 0.0], 100);
        assert_eq!(not_judged(&one), None);
        let e = judge_run(SPEC, &one).unwrap_err();
        assert!(e.contains("kept 1.00 cores busy"), "{e}");
        // Others kept both cores busy: the port got nothing, and nothing is judged.
        let crowded = run(&[0.0, 0.0], 0);
        let why = not_judged(&crowded).expect("not judged");
        assert!(why.contains("0.0 free cores"), "{why}");
    }
}
