//! Whether one line's writer is as a `writer` check says: one step per field (role, process,
//! pid, tid, made_by, same_process, other_process, exec), each saying what is wrong in the
//! catalogue's words; the first step that finds a fault gives the line's.

use std::collections::HashSet;

use super::super::values::{WriterPids, same};
use super::{MadeBy, WriterRule};
use crate::spec::fault::{Arg, Said, said};
use crate::spec::rule::{Classified, Ctx, TaskIndex};
use crate::outcome::writer::{Role, Writer};

/// What judging one run looks up for each line, built once per run.
#[derive(Debug)]
pub(super) struct Lookups<'a> {
    made_by: Option<WriterPids>,
    same_process: Option<WriterPids>,
    other_process: Option<WriterPids>,
    tasks: TaskIndex<'a>,
}

/// One line being judged: the run, its lookups, the line and its writer.
#[derive(Clone, Copy)]
struct Seen<'s, 'c> {
    ctx: &'s Ctx<'c>,
    look: &'s Lookups<'s>,
    l: &'s Classified<'c>,
    w: &'s Writer,
}

impl Seen<'_, '_> {
    /// "LINE was written by WRITER", the start of each fault's sentence.
    fn who(&self) -> Said {
        let writer = self.w.describe(self.ctx.run.main_pid);
        said!("writer-who", line = self.l.quote(), writer = writer)
    }

    /// Whether the writer's thread cannot be known, so that a main-thread or thread role
    /// stands for the other. In a flushed buffer the process is known, not the thread: main
    /// and thread are alike. Only block-buffered stdio (stdout a pipe) flushes such buffers; at
    /// a terminal stdio flushes each line, so a burst there is one thread's write. The process
    /// must still be right: a thread's line needs a process that made a thread before the line
    /// came out.
    fn thread_unknown(&self, want: &[Role]) -> bool {
        let w = self.w;
        let had_thread = || self.look.tasks.had_thread(w.pid, self.l.at);
        w.burst
            && !self.ctx.run.stdout_tty
            && w.role != Role::Process
            && want.iter().any(|r| *r != Role::Process)
            && (!want.contains(&Role::Thread) || want.contains(&w.role) || had_thread())
    }

    /// The name of line kind `k`.
    fn kind_name(&self, k: usize) -> String {
        self.ctx.kind_name(k).to_string()
    }
}

impl WriterRule {
    /// The lookups of one run, built once.
    pub(super) fn lookups<'a>(&self, ctx: &'a Ctx<'_>) -> Lookups<'a> {
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

    /// What is wrong with one line's writer, if anything: the first fault of the steps.
    pub(super) fn fault(
        &self,
        ctx: &Ctx<'_>,
        look: &Lookups<'_>,
        l: &Classified<'_>,
        w: &Writer,
    ) -> Option<Said> {
        let seen = Seen { ctx, look, l, w };
        self.role_fault(seen)
            .or_else(|| self.process_fault(seen))
            .or_else(|| self.pid_fault(seen))
            .or_else(|| self.tid_fault(seen))
            .or_else(|| self.made_by_fault(seen))
            .or_else(|| self.same_process_fault(seen))
            .or_else(|| self.other_process_fault(seen))
            .or_else(|| self.exec_fault(seen))
    }

    /// `role`: the writer has none of the roles listed.
    fn role_fault(&self, seen: Seen<'_, '_>) -> Option<Said> {
        let role = seen.w.role;
        if self.roles.is_empty() || self.roles.contains(&role) || seen.thread_unknown(&self.roles) {
            return None;
        }
        let want = self
            .roles
            .iter()
            .map(|r| role_words(*r))
            .reduce(|first, second| said!("either", first = first, second = second));
        Some(said!("writer-expected", who = seen.who(), want = want))
    }

    /// `process`: the writer's process is the main one, or not, against what is wanted.
    fn process_fault(&self, seen: Seen<'_, '_>) -> Option<Said> {
        let m = self.main_process?;
        if (seen.w.pid == seen.ctx.run.main_pid) == m {
            return None;
        }
        let want = role_words(if m { Role::Main } else { Role::Process });
        Some(said!("writer-expected", who = seen.who(), want = want))
    }

    /// `pid`: the line prints another pid than its writer's.
    fn pid_fault(&self, seen: Seen<'_, '_>) -> Option<Said> {
        let c = self.pid.as_ref()?;
        let printed = seen.l.cap(c);
        if same(printed, &seen.w.pid.to_string()) {
            return None;
        }
        let who = seen.who();
        Some(said!("writer-wrong-pid", who = who, printed = printed, capture = c.as_str()))
    }

    /// `tid`: the line prints another thread id than its writer's (unknown in a flushed
    /// buffer).
    fn tid_fault(&self, seen: Seen<'_, '_>) -> Option<Said> {
        let c = self.tid.as_ref()?;
        let printed = seen.l.cap(c);
        if (seen.w.burst && !seen.ctx.run.stdout_tty) || same(printed, &seen.w.tid.to_string()) {
            return None;
        }
        let who = seen.who();
        Some(said!("writer-wrong-tid", who = who, printed = printed, capture = c.as_str()))
    }

    /// `made_by`: no process above the writer's is the main one, or a writer of the other kind
    /// of line.
    fn made_by_fault(&self, seen: Seen<'_, '_>) -> Option<Said> {
        let by = self.made_by?;
        let main_only = HashSet::from([seen.ctx.run.main_pid]);
        let (pids, whose) = match (by, &seen.look.made_by) {
            (MadeBy::Kind(k), Some(of_kind)) => (
                of_kind.for_line(seen.l),
                said!("writer-of-kind", kind = seen.kind_name(k), per = self.per_words(seen.l)),
            ),
            _ => (&main_only, said!("role-main")),
        };
        let above = ancestors(&seen.look.tasks, seen.w.pid);
        if pids.is_empty() || above.iter().any(|p| pids.contains(p)) {
            return None;
        }
        let who = seen.who();
        Some(said!("writer-not-made-by", who = who, whose = whose, pids = list(pids)))
    }

    /// `same_process`: the writer is not the process that wrote the other kind of line.
    fn same_process_fault(&self, seen: Seen<'_, '_>) -> Option<Said> {
        let (Some(k), Some(same)) = (self.same_process, &seen.look.same_process) else {
            return None;
        };
        let pids = same.for_line(seen.l);
        if pids.is_empty() || pids.contains(&seen.w.pid) {
            return None;
        }
        Some(said!(
            "writer-not-same",
            who = seen.who(),
            kind = seen.kind_name(k),
            per = self.per_words(seen.l),
            pids = list(pids)
        ))
    }

    /// `other_process`: the writer also wrote the other kind of line.
    fn other_process_fault(&self, seen: Seen<'_, '_>) -> Option<Said> {
        let (Some(k), Some(other)) = (self.other_process, &seen.look.other_process) else {
            return None;
        };
        if !other.for_line(seen.l).contains(&seen.w.pid) {
            return None;
        }
        Some(said!(
            "writer-not-other",
            who = seen.who(),
            kind = seen.kind_name(k),
            per = self.per_words(seen.l)
        ))
    }

    /// `exec`: the writer's process ran no system program whose path matches (by the
    /// executable's path: argv[0] is whatever the caller chose; and the system's program: a
    /// copy of another under the name is not it).
    fn exec_fault(&self, seen: Seen<'_, '_>) -> Option<Said> {
        let re = self.exec.as_ref()?;
        let own = || seen.look.tasks.own(seen.w.pid).iter();
        if own().any(|t| t.ran_system(re)) {
            return None;
        }
        let impostors: Vec<String> = own()
            .flat_map(|t| t.impostors(re).map(|p| format!("{p:?}")))
            .collect();
        let execs: Vec<String> = own()
            .flat_map(|t| &t.execs)
            .map(|e| format!("{e:?}"))
            .collect();
        let (who, pattern) = (seen.who(), re.to_string());
        Some(if !impostors.is_empty() {
            let paths = Arg::list(impostors);
            said!("writer-exec-impostor", who = who, pattern = pattern, paths = paths)
        } else if execs.is_empty() {
            said!("writer-wrong-exec-none", who = who, pattern = pattern)
        } else {
            let execs = Arg::list(execs);
            said!("writer-wrong-exec", who = who, pattern = pattern, execs = execs)
        })
    }

    /// " with CAPTURE=VALUE" when the check is `per` a capture, else nothing.
    fn per_words(&self, l: &Classified<'_>) -> Option<Said> {
        let p = self.per.as_ref()?;
        Some(said!("writer-per", capture = p.as_str(), value = l.cap(p)))
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

/// How a fault names a role.
fn role_words(r: Role) -> Said {
    match r {
        Role::Main => said!("role-main"),
        Role::Process => said!("role-process"),
        Role::Thread => said!("role-thread"),
    }
}

/// Up to five pids, as a list in words.
fn list(pids: &HashSet<i32>) -> Arg {
    let mut v: Vec<i32> = pids.iter().copied().collect();
    v.sort_unstable();
    Arg::list(v.iter().take(5).map(|p| said!("pid-n", pid = p.to_string())))
}
