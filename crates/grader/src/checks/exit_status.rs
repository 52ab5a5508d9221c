//! `exit_status`: an exit code a process prints against the traced exit status of the child it
//! waited for (subprocess: `Exit code: 0` after `call` and after `Popen.communicate`).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use regex::Regex;

use serde::Deserialize;
use toml::Spanned;

use crate::words::say::say;
use crate::spec::fault::{Fault, Problems, Said, said};
use crate::spec::fields::{Fields, Res};
use crate::spec::introspect::field_names;
use crate::spec::rule::{CheckType, Classified, Ctx, Rule};
use crate::outcome::writer::RunTask;

pub(super) const TYPES: &[CheckType] = &[CheckType {
    name: "exit_status",
    fields: field_names::<ExitStatusFields>,
    build,
    needs_trace: true,
}];

/// The fields a `exit_status` check takes besides `name`, `type` and `likely`: any other is refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExitStatusFields {
    line: Option<Spanned<String>>,
    capture: Option<Spanned<String>>,
    exec: Option<Spanned<String>>,
}

/// Each `line` line's `capture` is the exit code (Python's `returncode`: minus the signal for a
/// killed child) of the child process its writer waited for: the last of the writer's own
/// children to end since the writer's previous `line` line. With `exec`, only children that
/// exec'd a program of the system whose path matches count.
#[derive(Debug)]
struct ExitStatusRule {
    line: usize,
    capture: String,
    exec: Option<Regex>,
}

fn build(f: &Fields<'_>) -> Res<Arc<dyn Rule>> {
    let c: ExitStatusFields = f.read()?;
    let line = f.need_kind(&c.line, "line")?;
    let capture = f.need_capture(line, &c.capture, "capture")?;
    let exec = match &c.exec {
        None => None,
        Some(e) => Some(Regex::new(e.get_ref()).map_err(|err| {
            f.check_err(e.span(), say!("spec-bad-exec", error = err.to_string()))
        })?),
    };
    Ok(Arc::new(ExitStatusRule {
        line,
        capture,
        exec,
    }))
}

impl ExitStatusRule {
    /// The writer `pid`'s child processes that ended in `(after, until]`, by end time.
    fn ended<'c>(
        &self,
        ctx: &'c Ctx<'_>,
        pid: i32,
        after: Option<Duration>,
        until: Duration,
    ) -> Vec<&'c RunTask> {
        let mut v: Vec<&RunTask> = ctx
            .run
            .tasks
            .iter()
            .filter(|t| t.tid == t.pid && t.ppid == Some(pid))
            .filter(|t| {
                t.ended_at
                    .is_some_and(|e| e <= until && after.is_none_or(|a| e > a))
            })
            .filter(|t| {
                self.exec
                    .as_ref()
                    .is_none_or(|re| t.ran_system(re))
            })
            .collect();
        v.sort_by_key(|t| t.ended_at);
        v
    }

    fn fault(&self, ctx: &Ctx<'_>, l: &Classified<'_>, after: Option<Duration>) -> Option<Said> {
        let w = l.writer?;
        let printed: i64 = l.cap(&self.capture).parse().ok()?;
        let which = (self.exec.as_ref()).map(|re| said!("exit-code-exec", pattern = re.to_string()));
        let since = after.map(|_| said!("exit-code-since", kind = ctx.kind_name(self.line)));
        let Some(child) = self.ended(ctx, w.pid, after, l.at).pop() else {
            return Some(said!(
                "exit-code-no-child",
                line = l.quote(),
                printed = printed.to_string(),
                pid = w.pid.to_string(),
                which = which,
                since = since
            ));
        };
        let code = child.exit_code?;
        (i64::from(code) != printed).then(|| {
            said!(
                "exit-code-wrong",
                line = l.quote(),
                printed = printed.to_string(),
                pid = child.pid.to_string(),
                exec = child
                    .execs
                    .last()
                    .map(|e| said!("exit-code-child-exec", exec = format!("{e:?}"))),
                code = code.to_string()
            )
        })
    }
}

impl Rule for ExitStatusRule {
    fn reached(&self, ctx: &Ctx<'_>) -> bool {
        ctx.has_any(&[self.line])
    }

    fn judge(&self, ctx: &Ctx<'_>) -> Result<(), Fault> {
        let mut problems = Problems::default();
        // Each writer's previous line of this kind: the child it waited for ended after it.
        let mut previous: HashMap<i32, Duration> = HashMap::new();
        for l in ctx.of_kind(self.line) {
            // Lines flushed together at a process's exit carry its exit's time, not their own.
            let Some(w) = l.writer.filter(|w| !w.burst) else {
                continue;
            };
            let after = previous.get(&w.pid).copied();
            if let Some(fault) = self.fault(ctx, l, after) {
                problems.add(|| fault);
            }
            previous.insert(w.pid, l.at);
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
name = "exit"
pattern = 'Exit code: (?<code>\S+)'
[[check]]
name = "e"
type = "exit_status"
line = "exit"
capture = "code"
"#;

    fn child(pid: i32, ended: f64, code: i32) -> RunTask {
        RunTask {
            pid,
            tid: pid,
            ppid: Some(MAIN_PID),
            role: Role::Process,
            created_at: Duration::ZERO,
            ended_at: Some(Duration::from_secs_f64(ended)),
            exit_code: Some(code),
            execs: vec!["/bin/sh sh".into()],
            exec_paths: vec!["/bin/sh".into()],
            system_execs: vec!["/bin/sh".into()],
            last_exec_at: None,
            cpu_time: None,
        }
    }

    #[test]
    fn each_exit_code_is_its_own_childs() {
        let lines = [("Exit code: 0", 1.0, MAIN_PID), ("Exit code: 0", 2.0, MAIN_PID)];
        let mut honest = traced_run(&lines);
        honest.tasks = vec![child(7, 0.5, 0), child(8, 1.5, 0)];
        assert_eq!(judge_run(SPEC, &honest), Ok(()));
        // The second command never ran: the second code is nobody's.
        let mut one_child = traced_run(&lines);
        one_child.tasks = vec![child(7, 0.5, 0)];
        let e = judge_run(SPEC, &one_child).unwrap_err();
        assert!(e.contains("line 2") && e.contains("no child process"), "{e}");
        let mut failed = traced_run(&lines);
        failed.tasks = vec![child(7, 0.5, 0), child(8, 1.5, 2)];
        let e = judge_run(SPEC, &failed).unwrap_err();
        assert!(e.contains("pid 8") && e.contains("ended with 2"), "{e}");
    }
}
