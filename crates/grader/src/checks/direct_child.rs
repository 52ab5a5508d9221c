//! `direct_child`: a line's writer is the very child of another kind's writer, not a grandchild
//! (os.fork returns twice: the process that prints the child's line is the forker's own child).

use std::collections::HashSet;
use std::sync::Arc;

use super::values::WriterPids;
use serde::Deserialize;
use toml::Spanned;

use crate::spec::fault::{Arg, Fault, Problems, Said, said};
use crate::spec::fields::{Fields, Res};
use crate::spec::introspect::field_names;
use crate::spec::rule::{CheckType, Classified, Ctx, Rule};

pub(super) const TYPES: &[CheckType] = &[CheckType {
    name: "direct_child",
    fields: field_names::<DirectChildFields>,
    build,
    needs_trace: true,
}];

/// The fields a `direct_child` check takes besides `name`, `type` and `likely`: any other is refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DirectChildFields {
    line: Option<Spanned<String>>,
    made_by: Option<Spanned<String>>,
    per: Option<Spanned<String>>,
    same_program: Option<bool>,
}

/// Every `line` line's writer process was created by the process that wrote the `made_by`
/// lines (`"main_pid"`: the main process) itself, not through another process; with `per`, only
/// `made_by` lines with the same value of that capture count. With `same_program`, the writer
/// also exec'd nothing since it was created: it runs the program it was forked from.
#[derive(Debug)]
struct DirectChildRule {
    line: usize,
    /// `None`: the main process.
    made_by: Option<usize>,
    per: Option<String>,
    /// os.fork returns twice: a program started by Popen or posix_spawn is a child, not a fork.
    same_program: bool,
}

fn build(f: &Fields<'_>) -> Res<Arc<dyn Rule>> {
    let c: DirectChildFields = f.read()?;
    let line = f.need_kind(&c.line, "line")?;
    let (by, span) = f.need(&c.made_by, "made_by")?;
    let made_by = match by.as_str() {
        "main_pid" => None,
        _ => Some(f.kind_of(&(by, span))?),
    };
    let per = f.opt_capture(line, &c.per)?;
    if let (Some(p), Some(k)) = (&per, made_by) {
        f.capture_in(k, p, c.per.as_ref().map(|s| s.span()))?;
    }
    Ok(Arc::new(DirectChildRule {
        line,
        made_by,
        per,
        same_program: c.same_program.unwrap_or(false),
    }))
}

impl DirectChildRule {
    fn fault(
        &self,
        ctx: &Ctx<'_>,
        made_by: Option<&WriterPids>,
        l: &Classified<'_>,
    ) -> Option<Said> {
        let w = l.writer?;
        let main = HashSet::from([ctx.run.main_pid]);
        let (parents, whose): (&HashSet<i32>, Said) = match (self.made_by, made_by) {
            (Some(k), Some(pids)) => (
                pids.for_line(l),
                said!("writer-of-kind", kind = ctx.kind_name(k), per = ""),
            ),
            _ => (&main, said!("role-main")),
        };
        if parents.is_empty() || w.ppid.is_some_and(|p| parents.contains(&p)) {
            return self.program_fault(ctx, l);
        }
        let mut pids: Vec<i32> = parents.iter().copied().collect();
        pids.sort_unstable();
        Some(said!(
            "direct-child-not",
            line = l.quote(),
            writer = w.describe(ctx.run.main_pid),
            whose = whose,
            pids = Arg::list(pids.iter().map(|p| said!("pid-n", pid = p.to_string())))
        ))
    }
}

impl DirectChildRule {
    /// With `same_program`: the writer's process exec'd a program after it was created.
    fn program_fault(&self, ctx: &Ctx<'_>, l: &Classified<'_>) -> Option<Said> {
        let w = l.writer?;
        if !self.same_program {
            return None;
        }
        let task = ctx.run.tasks.iter().find(|t| t.pid == w.pid && t.tid == w.pid)?;
        let program = task.exec_paths.last()?;
        Some(said!(
            "direct-child-execd",
            line = l.quote(),
            pid = w.pid.to_string(),
            program = crate::words::terminal::visible(program)
        ))
    }
}

impl Rule for DirectChildRule {
    fn reached(&self, ctx: &Ctx<'_>) -> bool {
        ctx.has_any(&[self.line])
    }

    fn judge(&self, ctx: &Ctx<'_>) -> Result<(), Fault> {
        let mut problems = Problems::default();
        let made_by = self
            .made_by
            .map(|k| WriterPids::of(ctx, k, self.per.as_deref()));
        for l in ctx.of_kind(self.line) {
            if let Some(fault) = self.fault(ctx, made_by.as_ref(), l) {
                problems.add(|| fault);
            }
        }
        problems.result()
    }
}

#[cfg(test)]
mod tests {
    use super::super::duration::traced_run;
    use super::super::testing::{MAIN_PID, judge_run};

    const SPEC: &str = r#"
name = "t"
[[line]]
name = "start"
pattern = 'start'
[[line]]
name = "child"
pattern = 'child'
[[check]]
name = "c"
type = "direct_child"
line = "child"
made_by = "start"
"#;

    #[test]
    fn a_child_passes_and_a_grandchild_fails() {
        let run = traced_run(&[("start", 0.1, MAIN_PID), ("child", 0.2, 7)]);
        assert_eq!(judge_run(SPEC, &run), Ok(()));
        let mut grandchild = run;
        grandchild.lines[1].writer = grandchild.lines[1].writer.map(|w| crate::outcome::writer::Writer {
            ppid: Some(6),
            ..w
        });
        let e = judge_run(SPEC, &grandchild).unwrap_err();
        assert!(e.contains("expected a child of the writer of the 'start' line (pid 100) itself"), "{e}");
    }

    #[test]
    fn with_same_program_a_child_that_execd_fails() {
        use crate::outcome::writer::{Role, RunTask};
        let spec = format!("{SPEC}same_program = true\n");
        let mut run = traced_run(&[("start", 0.1, MAIN_PID), ("child", 0.2, 7)]);
        let child = |exec_paths: Vec<String>| RunTask {
            pid: 7,
            tid: 7,
            ppid: Some(MAIN_PID),
            role: Role::Process,
            created_at: std::time::Duration::from_millis(150),
            ended_at: None,
            exit_code: None,
            cpu_time: None,
            execs: exec_paths.clone(),
            system_execs: exec_paths.clone(),
            exec_paths,
            last_exec_at: None,
        };
        run.tasks = vec![child(Vec::new())];
        assert_eq!(judge_run(&spec, &run), Ok(()), "a fork that exec'd nothing");
        run.tasks = vec![child(vec!["/usr/bin/python3.12".into()])];
        let e = judge_run(&spec, &run).unwrap_err();
        assert!(e.contains("exec'd /usr/bin/python3.12"), "{e}");
        assert_eq!(judge_run(SPEC, &run), Ok(()), "without same_program, any child");
    }
}
