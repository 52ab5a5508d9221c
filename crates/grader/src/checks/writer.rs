//! `writer`: what the trace knows of each line's writer. Its role (the main process, another
//! process, a thread), whether its process is the main one, the pid or tid a capture prints, the
//! process that created it, and how it stands to the writers of another kind of line.

use std::collections::HashSet;
use std::sync::Arc;

use regex::Regex;

use serde::Deserialize;
use toml::Spanned;

use super::values::{WriterPids, same};
use crate::say::say;
use crate::spec::fields::{Fields, Res};
use crate::spec::introspect::field_names;
use crate::spec::raw::RawRight;
use crate::spec::rule::{CheckType, Classified, Ctx, Rule, TaskIndex};
use crate::text::Problems;
use crate::writer::{Role, Writer};

pub(super) const TYPES: &[CheckType] = &[CheckType {
    name: "writer",
    fields: field_names::<WriterFields>,
    build,
    needs_trace: true,
}];

/// The fields a `writer` check takes besides `name`, `type` and `likely`: any other is refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WriterFields {
    line: Option<Spanned<String>>,
    role: Option<Spanned<RawRight>>,
    process: Option<Spanned<String>>,
    pid: Option<Spanned<String>>,
    tid: Option<Spanned<String>>,
    made_by: Option<Spanned<String>>,
    same_process: Option<Spanned<String>>,
    other_process: Option<Spanned<String>>,
    per: Option<Spanned<String>>,
    exec: Option<Spanned<String>>,
}

/// Every line of kind `line` is written as the fields say; `per` narrows `made_by`,
/// `same_process` and `other_process` to the other kind's lines with the same value of that
/// capture.
#[derive(Debug)]
struct WriterRule {
    line: usize,
    roles: Vec<Role>,
    /// Some(true): the main process; Some(false): another process.
    main_process: Option<bool>,
    pid: Option<String>,
    tid: Option<String>,
    made_by: Option<MadeBy>,
    same_process: Option<usize>,
    other_process: Option<usize>,
    per: Option<String>,
    exec: Option<Regex>,
}

/// Whose descendant a writer's process must be.
#[derive(Debug, Clone, Copy)]
enum MadeBy {
    /// The run's main process.
    Main,
    /// The process that wrote a line of this kind.
    Kind(usize),
}

/// `role`: one role or a list (none: any role).
fn roles(f: &Fields<'_>, role: &Option<Spanned<RawRight>>) -> Res<Vec<Role>> {
    let Some(r) = role else {
        return Ok(Vec::new());
    };
    let words: Vec<&String> = match r.get_ref() {
        RawRight::One(s) => vec![s],
        RawRight::Many(v) => v.iter().collect(),
    };
    words
        .into_iter()
        .map(|w| {
            Role::parse(w).ok_or_else(|| {
                f.check_err(r.span(), say!("spec-writer-role", role = w.as_str()))
            })
        })
        .collect()
}

/// `process`: "main" (Some(true)) or "other" (Some(false)).
fn main_process(f: &Fields<'_>, process: &Option<Spanned<String>>) -> Res<Option<bool>> {
    let Some(p) = process else {
        return Ok(None);
    };
    match p.get_ref().as_str() {
        "main" => Ok(Some(true)),
        "other" => Ok(Some(false)),
        w => Err(f.check_err(p.span(), say!("spec-writer-process", value = w))),
    }
}

fn build(f: &Fields<'_>) -> Res<Arc<dyn Rule>> {
    let c: WriterFields = f.read()?;
    let line = f.need_kind(&c.line, "line")?;
    let roles = roles(f, &c.role)?;
    let main_process = main_process(f, &c.process)?;
    let pid = f.opt_capture(line, &c.pid)?;
    let tid = f.opt_capture(line, &c.tid)?;
    let kind = |field: &Option<toml::Spanned<String>>| -> Res<Option<usize>> {
        match field {
            None => Ok(None),
            Some(s) => f.kind_of(&(s.get_ref().clone(), s.span())).map(Some),
        }
    };
    let made_by = match &c.made_by {
        Some(s) if s.get_ref() == "main_pid" => Some(MadeBy::Main),
        other => kind(other)?.map(MadeBy::Kind),
    };
    let same_process = kind(&c.same_process)?;
    let other_process = kind(&c.other_process)?;
    let per = f.opt_capture(line, &c.per)?;
    if let Some(p) = &per {
        let made_by_kind = match made_by {
            Some(MadeBy::Kind(k)) => Some(k),
            _ => None,
        };
        for other in [made_by_kind, same_process, other_process].into_iter().flatten() {
            f.capture_in(other, p, c.per.as_ref().map(|s| s.span()))?;
        }
    }
    let exec = match &c.exec {
        None => None,
        Some(e) => Some(Regex::new(e.get_ref()).map_err(|err| {
            f.check_err(e.span(), say!("spec-bad-exec", error = err.to_string()))
        })?),
    };
    if roles.is_empty()
        && main_process.is_none()
        && pid.is_none()
        && tid.is_none()
        && made_by.is_none()
        && same_process.is_none()
        && other_process.is_none()
        && exec.is_none()
    {
        return Err(f.missing(say!("spec-writer-needs")));
    }
    Ok(Arc::new(WriterRule {
        line,
        roles,
        main_process,
        pid,
        tid,
        made_by,
        same_process,
        other_process,
        per,
        exec,
    }))
}

impl WriterRule {
    /// The lookups of one run, built once.
    fn lookups<'a>(&self, ctx: &'a Ctx<'_>) -> Lookups<'a> {
        let pids = |k: Option<usize>| k.map(|k| WriterPids::of(ctx, k, self.per.as_deref()));
        let made_by = match self.made_by {
            Some(MadeBy::Kind(k)) => Some(k),
            _ => None,
        };
        Lookups {
            made_by: pids(made_by),
            same_process: pids(self.same_process),
            other_process: pids(self.other_process),
            tasks: TaskIndex::of(&ctx.run.tasks),
        }
    }

    /// What is wrong with one line's writer, if anything.
    fn fault(
        &self,
        ctx: &Ctx<'_>,
        look: &Lookups<'_>,
        l: &Classified<'_>,
        w: &Writer,
    ) -> Option<String> {
        let main = ctx.run.main_pid;
        let who = || say!("writer-who", line = l.quote(), writer = w.describe(main));
        // In a flushed buffer the process is known, not the thread: main and thread are alike.
        // Only block-buffered stdio (stdout a pipe) flushes such buffers; at a terminal stdio
        // flushes each line, so a burst there is one thread's write. The process must still be
        // right: a thread's line needs a process that made a thread before the line came out.
        let thread_unknown = |want: &[Role]| {
            let had_thread = || look.tasks.had_thread(w.pid, l.at);
            w.burst
                && !ctx.run.stdout_tty
                && w.role != Role::Process
                && want.iter().any(|r| *r != Role::Process)
                && (!want.contains(&Role::Thread) || want.contains(&w.role) || had_thread())
        };
        if !self.roles.is_empty() && !self.roles.contains(&w.role) && !thread_unknown(&self.roles)
        {
            let want = self
                .roles
                .iter()
                .map(|r| role_words(*r))
                .reduce(|first, second| say!("either", first = first, second = second))
                .unwrap_or_default();
            return Some(say!("writer-expected", who = who(), want = want));
        }
        if let Some(m) = self.main_process
            && (w.pid == main) != m
        {
            let want = role_words(if m { Role::Main } else { Role::Process });
            return Some(say!("writer-expected", who = who(), want = want));
        }
        if let Some(c) = &self.pid
            && !same(l.cap(c), &w.pid.to_string())
        {
            return Some(say!(
                "writer-wrong-pid",
                who = who(),
                printed = l.cap(c),
                capture = c.as_str()
            ));
        }
        if let Some(c) = &self.tid
            && (!w.burst || ctx.run.stdout_tty)
            && !same(l.cap(c), &w.tid.to_string())
        {
            return Some(say!(
                "writer-wrong-tid",
                who = who(),
                printed = l.cap(c),
                capture = c.as_str()
            ));
        }
        let kname = |k: usize| ctx.kind_name(k).to_string();
        if let Some(by) = self.made_by {
            let main_only = HashSet::from([main]);
            let (pids, whose) = match (by, &look.made_by) {
                (MadeBy::Kind(k), Some(of_kind)) => (
                    of_kind.for_line(l),
                    say!("writer-of-kind", kind = kname(k), per = self.per_words(l)),
                ),
                _ => (&main_only, say!("role-main")),
            };
            if !pids.is_empty() && !ancestors(&look.tasks, w.pid).iter().any(|p| pids.contains(p)) {
                return Some(say!(
                    "writer-not-made-by",
                    who = who(),
                    whose = whose,
                    pids = list(pids)
                ));
            }
        }
        if let (Some(k), Some(same)) = (self.same_process, &look.same_process) {
            let pids = same.for_line(l);
            if !pids.is_empty() && !pids.contains(&w.pid) {
                return Some(say!(
                    "writer-not-same",
                    who = who(),
                    kind = kname(k),
                    per = self.per_words(l),
                    pids = list(pids)
                ));
            }
        }
        if let (Some(k), Some(other)) = (self.other_process, &look.other_process)
            && other.for_line(l).contains(&w.pid)
        {
            return Some(say!(
                "writer-not-other",
                who = who(),
                kind = kname(k),
                per = self.per_words(l)
            ));
        }
        if let Some(re) = &self.exec {
            let own = || look.tasks.own(w.pid).iter();
            // The executable's path: argv[0] is whatever the caller chose.
            // And the system's program: a copy of another under the name is not it.
            if !own().any(|t| t.ran_system(re)) {
                let impostors: Vec<String> = own()
                    .flat_map(|t| t.impostors(re).map(|p| format!("{p:?}")))
                    .collect();
                if !impostors.is_empty() {
                    return Some(say!(
                        "writer-exec-impostor",
                        who = who(),
                        pattern = re.to_string(),
                        paths = crate::text::list(&impostors)
                    ));
                }
                let execs: Vec<&String> = own().flat_map(|t| &t.execs).collect();
                if execs.is_empty() {
                    return Some(say!(
                        "writer-wrong-exec-none",
                        who = who(),
                        pattern = re.to_string()
                    ));
                }
                return Some(say!(
                    "writer-wrong-exec",
                    who = who(),
                    pattern = re.to_string(),
                    execs = crate::text::list(
                        &execs.iter().map(|e| format!("{e:?}")).collect::<Vec<_>>()
                    )
                ));
            }
        }
        None
    }

    fn per_words(&self, l: &Classified<'_>) -> String {
        match &self.per {
            Some(p) => say!("writer-per", capture = p.as_str(), value = l.cap(p)),
            None => String::new(),
        }
    }
}

/// The processes above `pid`: its parent, its parent's parent, ... as far as the trace knows.
fn ancestors(tasks: &TaskIndex<'_>, pid: i32) -> Vec<i32> {
    let mut out = Vec::new();
    let mut at = pid;
    while let Some(p) = tasks.process(at).and_then(|t| t.ppid) {
        if out.contains(&p) || out.len() > 64 {
            break;
        }
        out.push(p);
        at = p;
    }
    out
}

fn role_words(r: Role) -> String {
    match r {
        Role::Main => say!("role-main"),
        Role::Process => say!("role-process"),
        Role::Thread => say!("role-thread"),
    }
}

/// What judging one run looks up for each line, built once per run.
#[derive(Debug)]
struct Lookups<'a> {
    made_by: Option<WriterPids>,
    same_process: Option<WriterPids>,
    other_process: Option<WriterPids>,
    tasks: TaskIndex<'a>,
}

fn list(pids: &HashSet<i32>) -> String {
    let mut v: Vec<i32> = pids.iter().copied().collect();
    v.sort_unstable();
    let shown: Vec<String> = v
        .iter()
        .take(5)
        .map(|p| say!("pid-n", pid = p.to_string()))
        .collect();
    crate::text::list(&shown)
}

impl Rule for WriterRule {
    fn reached(&self, ctx: &Ctx<'_>) -> bool {
        ctx.has_any(&[self.line])
    }

    fn judge(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        let mut problems = Problems::default();
        let look = self.lookups(ctx);
        for l in ctx.of_kind(self.line) {
            // A line without a writer (an untraced run) is not this check's to judge.
            if let Some(w) = &l.writer
                && let Some(fault) = self.fault(ctx, &look, l, w)
            {
                problems.add(|| fault);
            }
        }
        problems.result()
    }
}
