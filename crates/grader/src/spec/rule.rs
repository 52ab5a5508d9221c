//! What a check type provides (how it is read, how it judges a run) and the view of one run it
//! judges: the run's stdout lines classified by line kind.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::fault::{Arg, Fault, Said};
use super::fields::{Fields, Res};
use super::lines::{LineKind, WRITER_FIELDS};
use super::near::{Difference, near_match};
use super::pairs::Pair;
use super::params::Params;
use super::values::{Num, Real};
use crate::outcome::writer::{Role, RunTask, Writer};
use crate::outcome::{Line, RunOutcome};

/// A check's demand on one run, as its type reads it from the spec.
pub(crate) trait Rule: fmt::Debug + Send + Sync {
    /// Ok when the run satisfies the check, else what is wrong: the lines at fault and what is
    /// wrong with them, typed (the report renders the words).
    fn judge(&self, run: &Ctx<'_>) -> Result<(), Fault>;

    /// The run has something for this check to judge (a line of a kind it reads). A check that
    /// holds on a run it did not reach is reported "not reached", not "passed".
    fn reached(&self, run: &Ctx<'_>) -> bool;

    /// Why this run cannot judge the check (the machine left too few cores free, the values went
    /// through memory the trace cannot see), if it cannot: the run is then "not checked" for it,
    /// never passed or failed, and the report says why.
    fn not_judged(&self, _run: &Ctx<'_>) -> Option<NotJudged> {
        None
    }

    /// The two line kinds this check pairs up, for pictures of a run (none by default).
    fn pair(&self) -> Option<Pair> {
        None
    }

    /// It needs the CPU time of the run's tasks at each line (the tracer then reads it at every
    /// write to stdout that ends a line).
    fn cpu_at_lines(&self) -> bool {
        false
    }
}

/// Why a run cannot judge a check.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NotJudged {
    /// The catalogue's id of the report's words for a check no run could judge for this reason
    /// (`report-not-judged`: "the machine could not judge it in any run").
    pub(crate) tag: &'static str,
    /// This run's reason, in the report's note.
    pub(crate) why: Said,
}

/// A check type: its name in the spec's `type` field, the fields it takes besides `name`,
/// `type` and `likely` (the fields of the struct its `build` reads, through
/// [`Fields::read`]), and how it reads them into a rule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CheckType {
    pub(crate) name: &'static str,
    pub(crate) fields: fn() -> &'static [&'static str],
    pub(crate) build: fn(&Fields<'_>) -> Res<Arc<dyn Rule>>,
    /// Every check of this type judges what only the trace knows.
    pub(crate) needs_trace: bool,
}

/// A stdout line that matched one of the spec's line kinds.
#[derive(Debug)]
pub(crate) struct Classified<'a> {
    /// 1-based line number in the run's stdout.
    pub(crate) number: usize,
    pub(crate) text: &'a str,
    /// When it arrived (traced: when its newline was written).
    pub(crate) at: std::time::Duration,
    /// The index of its line kind.
    pub(crate) kind: usize,
    caps: HashMap<&'a str, String>,
    /// Empty for an exact match; else how this near miss differs from its kind.
    pub(crate) near: Vec<Difference>,
    /// Who wrote it, when the run was traced.
    pub(crate) writer: Option<Writer>,
}

impl Classified<'_> {
    /// The value of a capture ("" when the group did not take part in the match).
    pub(crate) fn cap(&self, name: &str) -> &str {
        self.caps.get(name).map(String::as_str).unwrap_or("")
    }

    /// The line quoted, for a fault: `line N "TEXT"` in words.
    pub(crate) fn quote(&self) -> Arg {
        Arg::line(self.number, self.text)
    }
}

/// Near misses are looked for in this many lines of a run at most, each this long at most: a
/// flood of junk stays cheap.
const NEAR_TRIES: usize = 1000;
const NEAR_LEN_MAX: usize = 512;

/// The lines that match a kind, each with the first kind it matches, and the near misses (see
/// [`near_match`]); non-UTF-8 lines match none.
pub(crate) fn classify<'a>(kinds: &'a [LineKind], lines: &'a [Line]) -> Vec<Classified<'a>> {
    let mut out = Vec::new();
    let mut tries = 0;
    for (i, line) in lines.iter().enumerate() {
        if !line.utf8 {
            continue;
        }
        let exact = kinds.iter().enumerate().find_map(|(k, kind)| {
            let m = kind.regex.captures(&line.text)?;
            let caps = kind
                .captures
                .iter()
                .filter_map(|c| Some((c.as_str(), m.name(c)?.as_str().to_string())))
                .collect();
            Some((k, caps))
        });
        let found = match exact {
            Some((kind, caps)) => Some((kind, caps, Vec::new())),
            None if tries < NEAR_TRIES && line.text.len() <= NEAR_LEN_MAX => {
                tries += 1;
                near_match(kinds, &line.text).map(|m| (m.kind, m.caps, m.differences))
            }
            None => None,
        };
        if let Some((kind, mut caps, near)) = found {
            if let Some(w) = line.writer {
                let [pid, tid, ppid, role] = WRITER_FIELDS;
                caps.insert(pid, w.pid.to_string());
                caps.insert(tid, w.tid.to_string());
                caps.insert(ppid, w.ppid.map(|p| p.to_string()).unwrap_or_default());
                caps.insert(role, w.role.name().to_string());
            }
            out.push(Classified {
                number: i + 1,
                text: &line.text,
                at: line.at,
                kind,
                caps,
                near,
                writer: line.writer,
            });
        }
    }
    out
}

/// One run as a check sees it.
#[derive(Debug)]
pub(crate) struct Ctx<'a> {
    /// The spec's line kinds.
    pub(crate) kinds: &'a [LineKind],
    /// Every parameter the spec declares, with its value.
    pub(crate) params: &'a Params,
    pub(crate) run: &'a RunOutcome,
    /// The run's lines that matched a kind, in order.
    pub(crate) lines: &'a [Classified<'a>],
}

impl Ctx<'_> {
    /// A number's value in this grading.
    pub(crate) fn num(&self, n: &Num) -> i64 {
        match n {
            Num::Lit(v) => *v,
            // Building checked the name, and the params hold every one the spec declares.
            Num::Param(p) => self.params.get(p).unwrap_or_default(),
        }
    }

    /// A bound's value in this grading.
    pub(crate) fn real(&self, r: &Real) -> f64 {
        match r {
            Real::Lit(x) => *x,
            Real::Param(p) => self.params.get(p).unwrap_or_default() as f64,
        }
    }

    /// The name of line kind `k`.
    pub(crate) fn kind_name(&self, k: usize) -> &str {
        &self.kinds[k].name
    }

    /// The run has a line of any of `kinds`.
    pub(crate) fn has_any(&self, kinds: &[usize]) -> bool {
        self.lines.iter().any(|l| kinds.contains(&l.kind))
    }

    /// The lines of kind `k`, in order.
    pub(crate) fn of_kind(&self, k: usize) -> impl Iterator<Item = &Classified<'_>> {
        self.lines.iter().filter(move |l| l.kind == k)
    }
}

/// The run's tasks looked up by pid, built once per judging: a check that asks of each line's
/// writer stays linear in the lines (a hostile port prints tens of thousands).
#[derive(Debug, Default)]
pub(crate) struct TaskIndex<'a> {
    /// Each process's own task (its main thread: tid = pid), in trace order (a pid reused).
    processes: HashMap<i32, Vec<&'a RunTask>>,
    /// When each process first made a thread.
    first_thread: HashMap<i32, Duration>,
}

impl<'a> TaskIndex<'a> {
    /// The index of `tasks`.
    pub(crate) fn of(tasks: &'a [RunTask]) -> Self {
        let mut index = TaskIndex::default();
        for t in tasks {
            if t.pid == t.tid {
                index.processes.entry(t.pid).or_default().push(t);
            }
            if t.role == Role::Thread {
                let at = index.first_thread.entry(t.pid).or_insert(t.created_at);
                *at = (*at).min(t.created_at);
            }
        }
        index
    }

    /// The first task of process `pid` (its main thread), if the trace saw it.
    pub(crate) fn process(&self, pid: i32) -> Option<&'a RunTask> {
        self.processes.get(&pid).and_then(|v| v.first().copied())
    }

    /// Every task that was process `pid`'s main thread.
    pub(crate) fn own(&self, pid: i32) -> &[&'a RunTask] {
        self.processes.get(&pid).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Process `pid` had made a thread by `at`.
    pub(crate) fn had_thread(&self, pid: i32, at: Duration) -> bool {
        self.first_thread.get(&pid).is_some_and(|t| *t <= at)
    }
}
