//! `came_through`: a value a process prints came to it through a pipe or socket from another
//! process: the process read bytes holding it from a channel another process wrote it into,
//! before the line (a distributed worker's task number, from the master; a queue's item, from
//! the writer; a command's output, from the command).

use std::sync::Arc;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::channels::{Channels, Needle, needles};
use crate::say::say;
use crate::spec::fields::{Fields, Res};
use crate::spec::introspect::field_names;
use crate::spec::rule::{CheckType, Classified, Ctx, NotJudged, Rule};
use crate::text::{Problems, cut};
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
/// `or_exec`, a line written by a process that exec'd a matching program holds too (a command
/// writing its own output). A run whose unmet lines were all written by processes that share
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
    message: String,
    /// Its writer's process shares memory: (with whom, the object's name).
    shared: Option<(Vec<i32>, String)>,
    /// Why the trace cannot tell: it had stopped recording channel traffic by the line, or the
    /// traffic was too much to search.
    cut: Option<String>,
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

    /// The writer's process exec'd a program `or_exec` matches.
    fn exec_ok(&self, ctx: &Ctx<'_>, pid: i32) -> bool {
        let Some(re) = &self.or_exec else {
            return false;
        };
        ctx.run
            .tasks
            .iter()
            .filter(|t| t.pid == pid)
            .any(|t| t.exec_paths.iter().any(|p| re.is_match(p)))
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
                        say!(
                            "came-through-stopped",
                            seconds = format!("{:.2}", c.as_secs_f64())
                        )
                    });
                    (why, cut)
                }
                Came::TooMuch => {
                    let why = say!(
                        "came-through-too-much",
                        mib = (SEARCH_BUDGET >> 20).to_string()
                    );
                    (why.clone(), Some(why))
                }
            };
            let shared = ch
                .shared_by(w.pid)
                .map(|s| (s.with.clone(), s.name.clone()));
            let by_exec = match &self.or_exec {
                Some(re) => say!("came-through-exec", pattern = re.to_string()),
                None => String::new(),
            };
            out.push(Unmet {
                cut: unknown,
                pid: w.pid,
                message: say!(
                    "came-through-unmet",
                    line = l.quote(),
                    value = format!("{:?}", cut(value)),
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
    No(String),
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
        return Came::No(say!("came-through-own", end = end));
    }
    let bytes: usize = reads.iter().map(|f| f.len()).sum();
    Came::No(match reads.len() {
        0 => say!("came-through-nothing"),
        n => say!(
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
    f: &crate::channels::Flow,
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
                why: say!(
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
            why: say!(
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

    fn judge(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        let mut problems = Problems::default();
        for u in self.unmet(ctx).into_iter().filter(|u| !u.unknown()) {
            problems.add(|| u.message);
        }
        problems.result()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tracer::{Channel, ChannelKind, Direction, SharedMemory, TaskKind, Trace, Transfer};

    use super::super::duration::traced_run;
    use super::super::testing::{MAIN_PID, judge_run, spec};
    use crate::channels::Channels;
    use crate::outcome::RunOutcome;
    use crate::spec::params::Params;
    use crate::spec::rule::{Ctx, classify};

    const SPEC: &str = r#"
name = "t"
[[line]]
name = "run"
pattern = 'run task (?<N>\d+)'
[[check]]
name = "c"
type = "came_through"
line = "run"
capture = "N"
"#;

    const WORKER: i32 = 200;
    const MASTER: i32 = MAIN_PID;

    fn transfer(pid: i32, ino: u64, d: Direction, ms: u64, bytes: &[u8]) -> Transfer {
        Transfer {
            tid: pid,
            tgid: pid,
            channel: Channel {
                kind: ChannelKind::Socket,
                dev: 8,
                ino,
            },
            direction: d,
            syscall: "x",
            at: Duration::from_millis(ms),
            len: bytes.len(),
            bytes: bytes.to_vec(),
        }
    }

    /// A worker's `run task 1234` line at 1 s, after the transfers.
    fn run(transfers: Vec<Transfer>, shared: bool) -> RunOutcome {
        let mut r = traced_run(&[("run task 1234", 1.0, WORKER)]);
        let mut trace = Trace {
            transfers,
            ..Trace::default()
        };
        if shared {
            for pid in [MASTER, WORKER] {
                trace.tasks.push(tracer::Task {
                    tid: pid,
                    tgid: pid,
                    creator: None,
                    kind: TaskKind::Process,
                    created_at: Duration::ZERO,
                    execs: Vec::new(),
                    ended_at: None,
                    end: None,
                    comm: None,
                    cpu_time: None,
                    shared_memory: vec![SharedMemory {
                        dev: 1,
                        ino: 77,
                        name: "/dev/zero (deleted)".into(),
                    }],
                });
            }
        }
        r.channels = Channels::of(&trace);
        r
    }

    fn not_judged(r: &RunOutcome) -> Option<String> {
        let s = spec(SPEC).expect("spec");
        let params = Params::resolve(&s, &[], 1.0).expect("params");
        let lines = classify(&s.lines, &r.lines);
        let ctx = Ctx {
            kinds: &s.lines,
            params: &params,
            run: r,
            lines: &lines,
        };
        s.checks[0].rule.not_judged(&ctx).map(|n| n.why)
    }

    #[test]
    fn a_value_read_from_another_processs_socket_came_through() {
        // The master sends {"n": 1234}; the worker reads it in two pieces.
        let honest = run(
            vec![
                transfer(MASTER, 1, Direction::Write, 100, b"{\"n\":1234}"),
                transfer(WORKER, 2, Direction::Read, 200, b"{\"n\":12"),
                transfer(WORKER, 2, Direction::Read, 300, b"34}"),
            ],
            false,
        );
        assert_eq!(judge_run(SPEC, &honest), Ok(()));
        // Pickled little-endian: BININT2.
        let pickled = run(
            vec![
                transfer(MASTER, 1, Direction::Write, 100, b"\x80\x04M\xd2\x04."),
                transfer(WORKER, 2, Direction::Read, 200, b"\x80\x04M\xd2\x04."),
            ],
            false,
        );
        assert_eq!(judge_run(SPEC, &pickled), Ok(()));
    }

    #[test]
    fn a_value_from_nowhere_or_from_itself_or_too_late_fails() {
        // It talks to the master, but the master never sent 1234.
        let other = run(
            vec![
                transfer(MASTER, 1, Direction::Write, 100, b"{\"ok\":true}"),
                transfer(WORKER, 2, Direction::Read, 200, b"{\"ok\":true}"),
            ],
            false,
        );
        let e = judge_run(SPEC, &other).unwrap_err();
        assert!(e.contains("line 1") && e.contains("none of the 11 bytes"), "{e}");
        let nothing = run(Vec::new(), false);
        let e = judge_run(SPEC, &nothing).unwrap_err();
        assert!(e.contains("read nothing"), "{e}");
        // Read after the line was printed.
        let late = run(
            vec![
                transfer(MASTER, 1, Direction::Write, 100, b"1234"),
                transfer(WORKER, 2, Direction::Read, 1500, b"1234"),
            ],
            false,
        );
        assert!(judge_run(SPEC, &late).is_err());
        // A socketpair of its own: it wrote 1234 into one end and read it from the other.
        let own = run(
            vec![
                transfer(WORKER, 1, Direction::Write, 100, b"1234"),
                transfer(WORKER, 2, Direction::Read, 200, b"1234"),
            ],
            false,
        );
        let e = judge_run(SPEC, &own).unwrap_err();
        assert!(e.contains("no other process wrote it"), "{e}");
    }

    #[test]
    fn a_line_after_the_trace_stopped_recording_channels_is_not_judged() {
        let mut flood = run(Vec::new(), false);
        flood.channels.cut_at = Some(Duration::from_millis(500));
        let why = not_judged(&flood).expect("not judged");
        assert!(why.contains("stopped recording"), "{why}");
        // Cut after the line: the line is judged.
        flood.channels.cut_at = Some(Duration::from_secs(2));
        assert_eq!(not_judged(&flood), None);
        assert!(judge_run(SPEC, &flood).is_err());
    }

    #[test]
    fn a_check_no_run_judged_is_not_checked_and_says_why() {
        let s = spec(SPEC).expect("spec");
        let params = Params::resolve(&s, &[], 1.0).expect("params");
        // One run through shared memory, one without a line to judge.
        let mut shared = run(Vec::new(), true);
        let mut quiet = traced_run(&[]);
        for r in [&mut shared, &mut quiet] {
            r.tracing = crate::writer::Tracing::On;
        }
        let report = crate::judge::judge(&s, &params, &[shared, quiet]);
        let c = report.checks.last().expect("the check");
        assert_eq!(c.status, crate::report::CheckStatus::NotChecked);
        assert_eq!(c.not_judged.as_deref(), Some(super::SHARED_MEMORY));
        assert!(
            report.text(false).contains("not checked: the channel is shared memory"),
            "{}",
            report.text(false)
        );
    }

    #[test]
    fn shared_memory_is_not_judged_and_a_channel_still_counts() {
        let quiet = run(Vec::new(), true);
        let why = not_judged(&quiet).expect("not judged");
        assert!(why.contains("shared memory") && why.contains("with pid 100"), "{why}");
        let through = run(
            vec![
                transfer(MASTER, 1, Direction::Write, 100, b"1234"),
                transfer(WORKER, 2, Direction::Read, 200, b"1234"),
            ],
            true,
        );
        assert_eq!(not_judged(&through), None);
        assert_eq!(judge_run(SPEC, &through), Ok(()));
    }
}
