//! `came_through`: a value a process prints came to it through a pipe or socket from another
//! process: the process read bytes holding it from a channel another process wrote it into,
//! before the line (a distributed worker's task number, from the master; a queue's item, from
//! the writer; a command's output, from the command).

use std::sync::Arc;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::outcome::channels::{Channels, Needle, needles};
use crate::words::say::say;
use crate::spec::fault::{Arg, Fault, Problems, Said, said};
use crate::spec::fields::{Fields, Res};
use crate::spec::introspect::field_names;
use crate::spec::rule::{CheckType, Classified, Ctx, NotJudged, Rule};
use tracer::{ChannelKind, Direction};

pub(super) const TYPES: &[CheckType] = &[CheckType {
    name: "came_through",
    fields: field_names::<CameThroughFields>,
    build,
    needs_trace: true,
}];

/// The catalogue's words for a check no run could judge because the values went through memory
/// the processes share.
const SHARED_MEMORY: &str = "came-through-shared-memory";
/// ... because the trace stopped recording the channels' traffic, or it was too much to search
/// (a flood).
const CUT: &str = "came-through-cut";
/// Bytes of channel traffic one check searches in one run at most: a flood of lines and bytes
/// stays cheap to judge.
const SEARCH_BUDGET: usize = 64 << 20;

/// The fields a `came_through` check takes besides `name`, `type` and `likely`: any other is
/// refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CameThroughFields {
    line: Option<Spanned<String>>,
    capture: Option<Spanned<String>>,
    or_exec: Option<Spanned<String>>,
}

/// Each `line` line's value (its `capture`, else its whole text) came through a channel: its
/// writer's process read bytes holding the value (as text or, for an integer, as a binary
/// integer) from a pipe or socket, the last of them before the line was written, and a process
/// other than the writer's wrote the value into that pipe or the socket's other end. With
/// `or_exec`, a line written by a process that exec'd a matching program of the system holds
/// too (a command writing its own output). A run whose unmet lines were all written by processes that share
/// writable memory with another process is not judged: the value can have come through it.
#[derive(Debug)]
struct CameThroughRule {
    line: usize,
    capture: Option<String>,
    or_exec: Option<Regex>,
}

fn build(f: &Fields<'_>) -> Res<Arc<dyn Rule>> {
    let c: CameThroughFields = f.read()?;
    let line = f.need_kind(&c.line, "line")?;
    let capture = f.opt_capture(line, &c.capture)?;
    let or_exec = match &c.or_exec {
        None => None,
        Some(e) => Some(Regex::new(e.get_ref()).map_err(|err| {
            f.check_err(
                e.span(),
                say!("spec-bad-or-exec", error = err.to_string()),
            )
        })?),
    };
    Ok(Arc::new(CameThroughRule {
        line,
        capture,
        or_exec,
    }))
}

/// A line whose value did not come through a channel.
struct Unmet {
    /// Its writer's process.
    pid: i32,
    message: Said,
    /// Its writer's process shares memory: (with whom, the object's name).
    shared: Option<(Vec<i32>, String)>,
    /// Why the trace cannot tell: it had stopped recording channel traffic by the line, or the
    /// traffic was too much to search.
    cut: Option<Said>,
}

impl Unmet {
    /// The run cannot tell whether its value came through a channel.
    fn unknown(&self) -> bool {
        self.shared.is_some() || self.cut.is_some()
    }
}

impl CameThroughRule {
    /// The value a line must have received.
    fn value<'l>(&self, l: &'l Classified<'_>) -> &'l str {
        match &self.capture {
            Some(c) => l.cap(c),
            None => l.text,
        }
    }

    /// The writer's process exec'd a program of the system `or_exec` matches (a copy of another
    /// program under that name is not the command).
    fn exec_ok(&self, ctx: &Ctx<'_>, pid: i32) -> bool {
        let Some(re) = &self.or_exec else {
            return false;
        };
        ctx.run
            .tasks
            .iter()
            .filter(|t| t.pid == pid)
            .any(|t| t.ran_system(re))
    }

    /// Every line whose value did not come through a channel.
    fn unmet(&self, ctx: &Ctx<'_>) -> Vec<Unmet> {
        let ch = &ctx.run.channels;
        let mut budget = SEARCH_BUDGET;
        let mut out = Vec::new();
        for l in ctx.of_kind(self.line) {
            let Some(w) = l.writer else {
                continue;
            };
            let value = self.value(l);
            if value.is_empty() || self.exec_ok(ctx, w.pid) {
                continue;
            }
            let (why, unknown) = match came(ch, w.pid, value, l.at, &mut budget) {
                Came::Yes => continue,
                Came::No(why) => {
                    let cut = ch.cut_at.filter(|c| *c <= l.at).map(|c| {
                        said!(
                            "came-through-stopped",
                            seconds = format!("{:.2}", c.as_secs_f64())
                        )
                    });
                    (why, cut)
                }
                Came::TooMuch => {
                    let why = said!(
                        "came-through-too-much",
                        mib = (SEARCH_BUDGET >> 20).to_string()
                    );
                    (why.clone(), Some(why))
                }
            };
            let shared = ch
                .shared_by(w.pid)
                .map(|s| (s.with.clone(), s.name.clone()));
            let by_exec = self
                .or_exec
                .as_ref()
                .map(|re| said!("came-through-exec", pattern = re.to_string()));
            out.push(Unmet {
                cut: unknown,
                pid: w.pid,
                message: said!(
                    "came-through-unmet",
                    line = l.quote(),
                    value = Arg::quote(value),
                    pid = w.pid.to_string(),
                    exec = by_exec,
                    why = why
                ),
                shared,
            });
        }
        out
    }
}

/// Whether a value came through a channel.
enum Came {
    Yes,
    /// No: what the process did read, in words.
    No(Said),
    /// The search budget ran out first.
    TooMuch,
}

/// Takes `cost` bytes of search from `budget`; false when it ran out.
fn charge(budget: &mut usize, cost: usize) -> bool {
    match budget.checked_sub(cost) {
        Some(left) => {
            *budget = left;
            true
        }
        None => false,
    }
}

/// Whether process `pid` read `value` from a channel another process wrote it into, the last
/// byte of it by `until`.
fn came(
    ch: &Channels,
    pid: i32,
    value: &str,
    until: std::time::Duration,
    budget: &mut usize,
) -> Came {
    let all = needles(value);
    let reads: Vec<_> = ch
        .flows
        .iter()
        .filter(|f| f.pid == pid && f.direction == Direction::Read)
        .collect();
    let mut only_own: Option<String> = None;
    for f in &reads {
        for needle in &all {
            if !charge(budget, f.kept_len()) {
                return Came::TooMuch;
            }
            if f.first_holding(needle).is_none_or(|at| at > until) {
                continue;
            }
            match from_another(ch, f, pid, needle, budget) {
                Some(true) => return Came::Yes,
                Some(false) => {}
                None => return Came::TooMuch,
            }
            only_own.get_or_insert_with(|| end_name(f.channel.kind, f.channel.ino));
        }
    }
    if let Some(end) = only_own {
        return Came::No(said!("came-through-own", end = end));
    }
    let bytes: usize = reads.iter().map(|f| f.len()).sum();
    Came::No(match reads.len() {
        0 => said!("came-through-nothing"),
        n => said!(
            "came-through-none-holds",
            bytes = bytes.to_string(),
            ends = n.to_string()
        ),
    })
}

/// Whether another process than `pid` wrote `needle` into the channel `f` reads (or bytes the
/// trace did not keep); `None` when the search budget ran out.
fn from_another(
    ch: &Channels,
    f: &crate::outcome::channels::Flow,
    pid: i32,
    needle: &Needle,
    budget: &mut usize,
) -> Option<bool> {
    for ino in ch.sources(&f.channel) {
        for w in ch.writes_into(&f.channel, ino).filter(|w| w.pid != pid) {
            if !charge(budget, w.kept_len()) {
                return None;
            }
            if w.may_hold(needle) {
                return Some(true);
            }
        }
    }
    Some(false)
}

/// `pipe:[INO]` or `socket:[INO]`, as /proc names them.
fn end_name(kind: ChannelKind, ino: u64) -> String {
    match kind {
        ChannelKind::Pipe => format!("pipe:[{ino}]"),
        ChannelKind::Socket => format!("socket:[{ino}]"),
    }
}

impl Rule for CameThroughRule {
    fn reached(&self, ctx: &Ctx<'_>) -> bool {
        ctx.has_any(&[self.line])
    }

    fn not_judged(&self, ctx: &Ctx<'_>) -> Option<NotJudged> {
        let unmet = self.unmet(ctx);
        if unmet.is_empty() || !unmet.iter().all(Unmet::unknown) {
            return None;
        }
        if let Some((u, why)) = unmet.iter().find_map(|u| Some((u, u.cut.as_ref()?))) {
            return Some(NotJudged {
                tag: CUT,
                why: said!(
                    "came-through-cut-why",
                    why = why.clone(),
                    pid = u.pid.to_string()
                ),
            });
        }
        let first = unmet.first()?;
        let (with, name) = first.shared.clone()?;
        Some(NotJudged {
            tag: SHARED_MEMORY,
            why: said!(
                "came-through-shared-why",
                pid = first.pid.to_string(),
                count = unmet.len().to_string(),
                name = name,
                with = with
                    .iter()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
    }

    fn judge(&self, ctx: &Ctx<'_>) -> Result<(), Fault> {
        let mut problems = Problems::default();
        for u in self.unmet(ctx).into_iter().filter(|u| !u.unknown()) {
            problems.add(|| u.message);
        }
        problems.result()
    }
}

#[cfg(test)]
mod tests;
