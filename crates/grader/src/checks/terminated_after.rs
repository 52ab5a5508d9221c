//! `terminated_after`: a process ended by a signal got it from a process that had seen another
//! process end first (queue: the parent terminates the reader only once it joined the writer).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::checks::joins::{Knowledge, Saw};
use crate::spec::fault::{Fault, Problems, Said, said};
use crate::spec::fields::{Fields, Res};
use crate::spec::introspect::field_names;
use crate::spec::rule::{CheckType, Classified, Ctx, NotJudged, Rule};

pub(super) const TYPES: &[CheckType] = &[CheckType {
    name: "terminated_after",
    fields: field_names::<TerminatedAfterFields>,
    build,
    needs_trace: true,
}];

/// The fields a `terminated_after` check takes besides `name`, `type` and `likely`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TerminatedAfterFields {
    line: Option<Spanned<String>>,
    after_end_of: Option<Spanned<String>>,
}

/// Each process that wrote `line` lines and was ended by a signal got that signal from a
/// process that had seen every process that wrote `after_end_of` lines end.
#[derive(Debug)]
struct TerminatedAfterRule {
    line: usize,
    after_end_of: usize,
}

/// The report's words for a check no run could judge.
const NOT_SEEN: &str = "terminated-not-seen";

fn build(f: &Fields<'_>) -> Res<Arc<dyn Rule>> {
    let c: TerminatedAfterFields = f.read()?;
    Ok(Arc::new(TerminatedAfterRule {
        line: f.need_kind(&c.line, "line")?,
        after_end_of: f.need_kind(&c.after_end_of, "after_end_of")?,
    }))
}

/// Each process that wrote lines of kind `k`, with its first such line.
fn writers<'c>(ctx: &'c Ctx<'_>, k: usize) -> BTreeMap<i32, &'c Classified<'c>> {
    let mut m = BTreeMap::new();
    for l in ctx.of_kind(k) {
        if let Some(w) = l.writer {
            m.entry(w.pid).or_insert(l);
        }
    }
    m
}

/// What one run shows.
struct Found {
    problems: Problems,
    unknown: Option<Said>,
    /// A `line` process was ended by a signal: something to judge.
    reached: bool,
}

impl TerminatedAfterRule {
    fn find(&self, ctx: &Ctx<'_>) -> Found {
        let mut found = Found {
            problems: Problems::default(),
            unknown: None,
            reached: false,
        };
        let ended = writers(ctx, self.after_end_of);
        let mut know = Knowledge::default();
        for (pid, line) in writers(ctx, self.line) {
            let Some(task) = ctx.run.tasks.iter().find(|t| t.tid == pid) else {
                continue;
            };
            // Ended by a signal: Python's returncode is minus its number.
            let Some(signal) = task.exit_code.filter(|c| *c < 0).map(|c| -c) else {
                continue;
            };
            found.reached = true;
            let sent: Vec<_> = ctx
                .run
                .ends
                .signals
                .iter()
                .filter(|s| s.target == pid && s.signal == signal)
                .filter(|s| task.ended_at.is_none_or(|e| s.at <= e))
                .collect();
            if sent.is_empty() {
                found.unknown.get_or_insert_with(|| {
                    said!(
                        "terminated-unsent",
                        pid = pid.to_string(),
                        signal = signal_name(signal)
                    )
                });
                continue;
            }
            for s in sent {
                for (&w, other) in ended.iter().filter(|(w, _)| **w != pid) {
                    match know.saw(ctx.run, s.tgid, w, s.at) {
                        Saw::Yes => {}
                        Saw::Unknown(why) => {
                            found.unknown.get_or_insert(why);
                        }
                        Saw::No(how) => found.problems.add(|| {
                            said!(
                                "terminated-before-end",
                                sender = s.tgid.to_string(),
                                signal = signal_name(signal),
                                pid = pid.to_string(),
                                line = line.quote(),
                                at = format!("{:.3}", s.at.as_secs_f64()),
                                other_pid = w.to_string(),
                                other = other.quote(),
                                how = how
                            )
                        }),
                    }
                }
            }
        }
        found
    }
}

/// A signal's name (`SIGTERM`), or its number.
fn signal_name(sig: i32) -> String {
    nix::sys::signal::Signal::try_from(sig)
        .map(|s| s.as_str().to_string())
        .unwrap_or_else(|_| sig.to_string())
}

impl Rule for TerminatedAfterRule {
    fn reached(&self, ctx: &Ctx<'_>) -> bool {
        self.find(ctx).reached
    }

    fn judge(&self, ctx: &Ctx<'_>) -> Result<(), Fault> {
        self.find(ctx).problems.result()
    }

    fn not_judged(&self, ctx: &Ctx<'_>) -> Option<NotJudged> {
        let found = self.find(ctx);
        if found.problems.total() > 0 {
            return None;
        }
        Some(NotJudged {
            tag: NOT_SEEN,
            why: found.unknown?,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::super::duration::traced_run;
    use super::super::testing::{MAIN_PID, judge_run};
    use crate::outcome::RunOutcome;
    use crate::outcome::writer::{Role, RunTask};

    const SPEC: &str = r#"
name = "t"
[[line]]
name = "put"
pattern = 'Put (?<X>[A-Z])'
[[line]]
name = "get"
pattern = 'Get (?<X>[A-Z])'
[[check]]
name = "c"
type = "terminated_after"
line = "get"
after_end_of = "put"
"#;

    const WRITER: i32 = 7;
    const READER: i32 = 8;

    /// The writer ends at 30 ms, the reader is killed by SIGTERM sent at `killed` ms, and the
    /// parent reaps the writer at `reaped` ms.
    fn run(killed: u64, reaped: u64) -> RunOutcome {
        let ms = Duration::from_millis;
        let mut r = traced_run(&[("Put A", 0.01, WRITER), ("Get A", 0.02, READER)]);
        let task = |pid: i32, ppid: Option<i32>, ended: u64, code: i32| RunTask {
            pid,
            tid: pid,
            ppid,
            role: if ppid.is_some() {
                Role::Process
            } else {
                Role::Main
            },
            created_at: Duration::ZERO,
            ended_at: Some(ms(ended)),
            exit_code: Some(code),
            cpu_time: None,
            execs: Vec::new(),
            exec_paths: Vec::new(),
            system_execs: Vec::new(),
            last_exec_at: None,
        };
        r.tasks = vec![
            task(MAIN_PID, None, 100, 0),
            task(WRITER, Some(MAIN_PID), 30, 0),
            task(READER, Some(MAIN_PID), killed + 1, -15),
        ];
        r.ends.recorded = true;
        r.ends.reaps = vec![tracer::Reap {
            tid: MAIN_PID,
            tgid: MAIN_PID,
            pid: Some(WRITER),
            kept: false,
            syscall: "wait4",
            at: ms(reaped),
        }];
        r.ends.signals = vec![tracer::SignalSent {
            tid: MAIN_PID,
            tgid: MAIN_PID,
            target: READER,
            signal: 15,
            syscall: "kill",
            at: ms(killed),
        }];
        r
    }

    #[test]
    fn the_reader_is_terminated_only_once_the_writer_is_joined() {
        assert_eq!(judge_run(SPEC, &run(50, 40)), Ok(()));
        let e = judge_run(SPEC, &run(50, 60)).unwrap_err();
        assert!(
            e.contains("pid 100 sent SIGTERM to pid 8") && e.contains("only at 0.060 s"),
            "{e}"
        );
    }
}
