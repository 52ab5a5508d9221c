//! `parent_pid`: a parent pid a process prints (`os.getppid()`) against the trace: the process
//! that created it while that one lives, or the process that adopted it once its creator is gone.

use std::sync::Arc;

use super::values::same;
use serde::Deserialize;
use toml::Spanned;

use crate::spec::fault::{Fault, Problems, Said, said};
use crate::spec::fields::{Fields, Res};
use crate::spec::introspect::field_names;
use crate::spec::rule::{CheckType, Classified, Ctx, Rule, TaskIndex};

pub(super) const TYPES: &[CheckType] = &[CheckType {
    name: "parent_pid",
    fields: field_names::<ParentPidFields>,
    build,
    needs_trace: true,
}];

/// The fields a `parent_pid` check takes besides `name`, `type` and `likely`: any other is refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ParentPidFields {
    line: Option<Spanned<String>>,
    capture: Option<Spanned<String>>,
}

/// Each `line` line's `capture` is its writer's parent pid: the process that created the writer,
/// or, if that process ended during the run, the adopter's (the grader, the run's child
/// subreaper). Whether it had ended by the line is not judged: the kernel reparents at the exit,
/// the trace sees the end a little later, so a correct orphan's line can come first. Lines of
/// the main process (whose parent is outside the run) are not judged.
#[derive(Debug)]
struct ParentPidRule {
    line: usize,
    capture: String,
}

fn build(f: &Fields<'_>) -> Res<Arc<dyn Rule>> {
    let c: ParentPidFields = f.read()?;
    let line = f.need_kind(&c.line, "line")?;
    let capture = f.need_capture(line, &c.capture, "capture")?;
    Ok(Arc::new(ParentPidRule { line, capture }))
}

impl ParentPidRule {
    fn fault(&self, ctx: &Ctx<'_>, tasks: &TaskIndex<'_>, l: &Classified<'_>) -> Option<Said> {
        let w = l.writer?;
        let creator = w.ppid?;
        let printed = l.cap(&self.capture);
        if same(printed, &creator.to_string()) {
            return None;
        }
        let ended = tasks.process(creator).and_then(|t| t.ended_at);
        let adopter = ctx.run.adopter_pid;
        match ended {
            Some(_) => (!same(printed, &adopter.to_string())).then(|| {
                said!(
                    "parent-pid-ended",
                    line = l.quote(),
                    printed = printed,
                    pid = w.pid.to_string(),
                    creator = creator.to_string(),
                    adopter = adopter.to_string()
                )
            }),
            _ => Some(said!(
                "parent-pid-alive",
                line = l.quote(),
                printed = printed,
                pid = w.pid.to_string(),
                creator = creator.to_string()
            )),
        }
    }
}

impl Rule for ParentPidRule {
    fn reached(&self, ctx: &Ctx<'_>) -> bool {
        ctx.has_any(&[self.line])
    }

    fn judge(&self, ctx: &Ctx<'_>) -> Result<(), Fault> {
        let mut problems = Problems::default();
        let tasks = TaskIndex::of(&ctx.run.tasks);
        for l in ctx.of_kind(self.line) {
            if let Some(fault) = self.fault(ctx, &tasks, l) {
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
    use crate::outcome::writer::{Role, RunTask};

    const SPEC: &str = r#"
name = "t"
[[line]]
name = "child"
pattern = 'my parent is (?<Q>\d+)\.'
[[check]]
name = "p"
type = "parent_pid"
line = "child"
capture = "Q"
"#;

    fn process(pid: i32, ppid: i32, ended: Option<f64>) -> RunTask {
        RunTask {
            pid,
            tid: pid,
            ppid: Some(ppid),
            role: Role::Process,
            created_at: Duration::ZERO,
            ended_at: ended.map(Duration::from_secs_f64),
            exit_code: None,
            execs: Vec::new(),
            exec_paths: Vec::new(),
            system_execs: Vec::new(),
            last_exec_at: None,
            cpu_time: None,
        }
    }

    #[test]
    fn the_printed_parent_is_the_creator_or_once_it_is_gone_the_adopter() {
        let mut run = traced_run(&[("my parent is 100.", 1.0, 7)]);
        run.adopter_pid = 1;
        run.tasks = vec![process(MAIN_PID, 1, Some(2.0)), process(7, MAIN_PID, Some(3.0))];
        assert_eq!(judge_run(SPEC, &run), Ok(()));
        let mut adopted = traced_run(&[("my parent is 1.", 1.0, 7)]);
        adopted.adopter_pid = 1;
        adopted.tasks = vec![process(MAIN_PID, 1, Some(0.5)), process(7, MAIN_PID, Some(3.0))];
        assert_eq!(judge_run(SPEC, &adopted), Ok(()));
        // Adopted while the creator lives: a made-up parent.
        adopted.tasks[0].ended_at = None;
        let e = judge_run(SPEC, &adopted).unwrap_err();
        assert!(e.contains("alive to the end"), "{e}");
        // A grandchild (made by pid 7, gone) naming the main process as its parent.
        let mut grandchild = traced_run(&[("my parent is 100.", 1.0, 8)]);
        grandchild.adopter_pid = 1;
        grandchild.lines[0].writer = grandchild.lines[0].writer.map(|w| crate::outcome::writer::Writer {
            ppid: Some(7),
            ..w
        });
        grandchild.tasks = vec![process(7, MAIN_PID, Some(0.5)), process(8, 7, None)];
        let e = judge_run(SPEC, &grandchild).unwrap_err();
        assert!(e.contains("made by pid 7, which ended"), "{e}");
    }
}
