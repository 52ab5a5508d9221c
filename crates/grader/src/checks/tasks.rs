//! `tasks`: how many processes or threads the program made, as the trace saw them.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::words::say::say;
use crate::spec::fault::{Arg, Fault, Said, said};
use crate::spec::fields::{Fields, Res};
use crate::spec::introspect::field_names;
use crate::spec::raw::{RawNum, RawRight};
use crate::spec::rule::{CheckType, Ctx, Rule};
use crate::spec::values::Num;
use crate::outcome::writer::{Role, RunTask};

pub(super) const TYPES: &[CheckType] = &[CheckType {
    name: "tasks",
    fields: field_names::<TasksFields>,
    build,
    needs_trace: true,
}];

/// The fields a `tasks` check takes besides `name`, `type` and `likely`: any other is refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TasksFields {
    role: Option<Spanned<RawRight>>,
    min: Option<Spanned<RawNum>>,
    max: Option<Spanned<RawNum>>,
    exec: Option<Spanned<String>>,
}

/// The tasks of `role` (`process`: processes other than the main one; `thread`: threads other
/// than a process's main thread) the program made number at least `min` and at most `max`;
/// with `exec`, only processes that exec'd a program of the system whose path (the executable,
/// not argv[0]) matches that pattern count (a copy of another program under that name does
/// not: see `RunTask::system_execs`).
///
/// "The program" is the main process from its last exec on: what a launcher (a shell script, a
/// version manager's shim) ran before exec'ing the port is not the port's.
#[derive(Debug)]
struct Tasks {
    role: Role,
    exec: Option<regex::Regex>,
    min: Option<Num>,
    max: Option<Num>,
}

fn build(f: &Fields<'_>) -> Res<Arc<dyn Rule>> {
    let c: TasksFields = f.read()?;
    let Some(r) = &c.role else {
        return Err(f.missing(say!("spec-tasks-needs-role")));
    };
    let role = match r.get_ref() {
        RawRight::One(w) if w == "process" => Role::Process,
        RawRight::One(w) if w == "thread" => Role::Thread,
        _ => {
            return Err(f.check_err(r.span(), say!("spec-tasks-role")));
        }
    };
    let (min, max) = f.min_max(&c.min, &c.max, say!("spec-tasks-needs"))?;
    let exec = match &c.exec {
        None => None,
        Some(e) => Some(regex::Regex::new(e.get_ref()).map_err(|err| {
            f.check_err(e.span(), say!("spec-bad-exec", error = err.to_string()))
        })?),
    };
    Ok(Arc::new(Tasks {
        role,
        exec,
        min,
        max,
    }))
}

/// The tasks the program made: created after the main process's last exec.
fn made<'r>(ctx: &'r Ctx<'_>, role: Role) -> Vec<&'r RunTask> {
    let main = ctx.run.main_pid;
    let started = ctx
        .run
        .tasks
        .iter()
        .find(|t| t.tid == main)
        .and_then(|t| t.last_exec_at)
        .unwrap_or_default();
    ctx.run
        .tasks
        .iter()
        .filter(|t| t.role == role && t.created_at >= started)
        .collect()
}

impl Rule for Tasks {
    /// A program that printed none of the spec's lines is not judged on its tasks: it did not
    /// get far enough to be the program.
    fn reached(&self, ctx: &Ctx<'_>) -> bool {
        !ctx.run.tasks.is_empty() && !ctx.lines.is_empty()
    }

    fn judge(&self, ctx: &Ctx<'_>) -> Result<(), Fault> {
        let tasks: Vec<&RunTask> = made(ctx, self.role)
            .into_iter()
            .filter(|t| {
                self.exec
                    .as_ref()
                    .is_none_or(|re| t.ran_system(re))
            })
            .collect();
        let n = tasks.len() as i64;
        let what = match self.role {
            Role::Thread => "thread",
            _ => "process",
        };
        let shown = || {
            let v: Vec<Said> = tasks
                .iter()
                .take(5)
                .map(|t| match self.role {
                    Role::Thread => said!(
                        "tasks-thread",
                        tid = t.tid.to_string(),
                        pid = t.pid.to_string()
                    ),
                    _ => match t.execs.last() {
                        Some(e) => said!(
                            "tasks-process-exec",
                            pid = t.pid.to_string(),
                            exec = e.as_str()
                        ),
                        None => said!("tasks-process", pid = t.pid.to_string()),
                    },
                })
                .collect();
            (!v.is_empty()).then(|| said!("tasks-list", list = Arg::list(v)))
        };
        if let Some(m) = self.min.as_ref().map(|m| ctx.num(m))
            && n < m
        {
            let mut why = said!(
                "tasks-too-few",
                count = n.to_string(),
                role = what,
                list = shown(),
                min = m.to_string()
            );
            if let Some(re) = &self.exec {
                let impostors: Vec<String> = made(ctx, self.role)
                    .into_iter()
                    .flat_map(|t| t.impostors(re).map(|p| format!("{p:?}")))
                    .collect();
                if !impostors.is_empty() {
                    why = why.then(said!("exec-impostors", paths = Arg::list(impostors)));
                }
            }
            return Err(why.into());
        }
        if let Some(m) = self.max.as_ref().map(|m| ctx.num(m))
            && n > m
        {
            return Err(said!(
                "tasks-too-many",
                count = n.to_string(),
                role = what,
                list = shown(),
                max = m.to_string()
            ).into());
        }
        Ok(())
    }
}
