//! `open`: how many lines of one kind are open at once, waiting for their closing line.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::values::norm;
use crate::words::say::say;
use crate::spec::fault::{Arg, Fault, said};
use crate::spec::fields::{Fields, Res};
use crate::spec::introspect::field_names;
use crate::spec::pairs::{Pair, PairKind};
use crate::spec::raw::{RawNum};
use crate::spec::rule::{CheckType, Classified, Ctx, Rule};
use crate::spec::values::Num;
use crate::outcome::writer::Role;

pub(super) const TYPES: &[CheckType] = &[CheckType {
    name: "open",
    fields: field_names::<OpenFields>,
    build,
    needs_trace: false,
}];

/// The fields an `open` check takes besides `name`, `type` and `likely`: any other is refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OpenFields {
    open: Option<Spanned<String>>,
    close: Option<Spanned<String>>,
    key: Option<Spanned<String>>,
    min: Option<Spanned<RawNum>>,
    max: Option<Spanned<RawNum>>,
    capacity: Option<Spanned<String>>,
}

/// Reading top to bottom, an `open` line opens its `key` value and the next `close` line with
/// the same value closes it: never more than `max` open at once, and at some point at least
/// `min` (or as many as there are `open` lines, if fewer).
///
/// With `capacity = "processes"`, a traced run also reaches `min` when that many processes
/// other than the main one were alive and still starting (none had printed a line yet) at once
/// while lines were open: the work had the workers, they were only slow to start (a fresh
/// interpreter each) for tasks this short. A program that runs its tasks one after another never
/// has them, whatever idle workers it keeps.
#[derive(Debug)]
struct Open {
    open: usize,
    close: usize,
    key: String,
    max: Option<Num>,
    min: Option<Num>,
    capacity: bool,
}

fn build(f: &Fields<'_>) -> Res<Arc<dyn Rule>> {
    let c: OpenFields = f.read()?;
    let open = f.need_kind(&c.open, "open")?;
    let close = f.need_kind(&c.close, "close")?;
    let (key, kspan) = f.need(&c.key, "key")?;
    f.capture_in(open, &key, Some(kspan.clone()))?;
    f.capture_in(close, &key, Some(kspan))?;
    let (min, max) =
        f.min_max(&c.min, &c.max, say!("spec-open-needs"))?;
    let capacity = match &c.capacity {
        None => false,
        Some(v) if v.get_ref() == "processes" && min.is_some() => true,
        Some(v) => {
            return Err(f.check_err(v.span(), say!("spec-open-capacity")));
        }
    };
    Ok(Arc::new(Open {
        open,
        close,
        key,
        max,
        min,
        capacity,
    }))
}

impl Rule for Open {
    fn pair(&self) -> Option<Pair> {
        Some(Pair {
            kind: PairKind::Open,
            first: self.open,
            second: self.close,
            key: self.key.clone(),
        })
    }

    fn reached(&self, ctx: &Ctx<'_>) -> bool {
        ctx.has_any(&[self.open])
    }

    fn judge(&self, ctx: &Ctx<'_>) -> Result<(), Fault> {
        let (open, close, key) = (self.open, self.close, self.key.as_str());
        let (ok, ck) = (ctx.kind_name(open), ctx.kind_name(close));
        let max = self.max.as_ref().map(|n| ctx.num(n));
        let min = self.min.as_ref().map(|n| ctx.num(n));
        // The open lines of each key value, oldest first; a close closes the oldest.
        let mut now: HashMap<String, VecDeque<&Classified>> = HashMap::new();
        let mut count = 0usize;
        let mut peak = 0usize;
        let mut opens = 0usize;
        let mut problem = None;
        for l in ctx.lines {
            if l.kind == close
                && let Some(q) = now.get_mut(&norm(l.cap(key)))
                && q.pop_front().is_some()
            {
                count -= 1;
            }
            if l.kind == open {
                opens += 1;
                now.entry(norm(l.cap(key))).or_default().push_back(l);
                count += 1;
                peak = peak.max(count);
                if problem.is_none() && max.is_some_and(|m| count as i64 > m) {
                    let mut list: Vec<&Classified> = now.values().flatten().copied().collect();
                    list.sort_by_key(|o| o.number);
                    let shown: Vec<Arg> = list
                        .iter()
                        .take(8)
                        .map(|o| said!("open-at", capture = key, value = o.cap(key), n = Arg::LineNo(o.number)).into())
                        .collect();
                    let mut shown = shown;
                    if list.len() > 8 {
                        shown.push(Arg::from("..."));
                    }
                    problem = Some(said!(
                        "open-too-many",
                        line = l.quote(),
                        count = count,
                        open = ok,
                        close = ck,
                        list = Arg::list(shown),
                        max = max.unwrap_or_default().to_string()
                    ));
                }
            }
        }
        if let Some(p) = problem {
            return Err(p.into());
        }
        if let Some(m) = min {
            let need = m.min(opens as i64);
            if (peak as i64) < need && !(self.capacity && workers_alive(ctx, open, close) >= need) {
                return Err(said!(
                    "open-too-few",
                    peak = peak,
                    open = ok,
                    close = ck,
                    need = need.to_string()
                ).into());
            }
        }
        Ok(())
    }
}

/// The most processes other than the main one alive at once between the first `open` line and
/// the last `close` line (0 untraced). Processes made before the main process's last exec (a
/// launcher's) do not count.
fn workers_alive(ctx: &Ctx<'_>, open: usize, close: usize) -> i64 {
    let times: Vec<Duration> = ctx
        .lines
        .iter()
        .filter(|l| l.kind == open || l.kind == close)
        .map(|l| l.at)
        .collect();
    let (Some(&first), Some(to)) = (times.iter().min(), times.iter().max()) else {
        return 0;
    };
    let main = ctx.run.main_pid;
    let program_start = ctx
        .run
        .tasks
        .iter()
        .find(|t| t.tid == main)
        .and_then(|t| t.last_exec_at)
        .unwrap_or_default();
    // Lines flushed together at a process's exit (buffered output) say nothing of when the work
    // was done: then the window opens with the program.
    let buffered = ctx
        .lines
        .iter()
        .any(|l| (l.kind == open || l.kind == close) && l.writer.is_some_and(|w| w.burst));
    let from = &if buffered { program_start } else { first };
    // +1 at a birth, -1 at a death, within [from, to]; a death sorts before a birth at one time.
    let mut events: Vec<(Duration, i64)> = Vec::new();
    // Each process's first line, looked up per worker.
    let mut first_lines: HashMap<i32, Duration> = HashMap::new();
    for l in &ctx.run.lines {
        if let Some(w) = l.writer {
            let at = first_lines.entry(w.pid).or_insert(l.at);
            *at = (*at).min(l.at);
        }
    }
    for t in ctx.run.tasks.iter().filter(|t| {
        t.role == Role::Process && t.created_at >= program_start && t.created_at <= *to
    }) {
        // A worker counts while it is still starting: until its first line. One that sits idle
        // after its task (a pool that runs its tasks one after another) is no capacity.
        let first_line = first_lines.get(&t.pid).copied();
        let end = t
            .ended_at
            .unwrap_or(Duration::MAX)
            .min(first_line.unwrap_or(Duration::MAX));
        if end < *from {
            continue;
        }
        events.push((t.created_at.max(*from), 1));
        events.push((end, -1));
    }
    events.sort();
    let (mut now, mut most) = (0i64, 0i64);
    for (_, d) in events {
        now += d;
        most = most.max(now);
    }
    most
}

#[cfg(test)]
mod tests {
    use super::super::testing::{judge, spec};

    fn with(bounds: &str) -> String {
        format!(
            "name = \"t\"\n[[line]]\nname = \"run\"\npattern = 'Run (?<i>\\d+)'\n[[line]]\nname = \"done\"\npattern = 'Done (?<i>\\d+)'\n[[check]]\nname = \"c\"\ntype = \"open\"\nopen = \"run\"\nclose = \"done\"\nkey = \"i\"\n{bounds}\n"
        )
    }

    #[test]
    fn max_quotes_the_open_lines() {
        let s = with("max = 2");
        assert_eq!(judge(&s, &["Run 1", "Run 2", "Done 1", "Run 3"]), Ok(()));
        let e = judge(&s, &["Run 1", "Run 2", "Run 3"]).unwrap_err();
        assert_eq!(e, r#"at line 3 "Run 3", 3 'run' lines are open without their 'done' line (i=1 at line 1, i=2 at line 2, i=3 at line 3): at most 2 allowed"#);
    }

    #[test]
    fn min_is_capped_by_the_number_of_opens() {
        let s = with("min = 3");
        assert_eq!(judge(&s, &["Run 1", "Run 2", "Done 1", "Done 2"]), Ok(()));
        let e = judge(&s, &["Run 1", "Done 1", "Run 2", "Done 2", "Run 3"]).unwrap_err();
        assert!(e.starts_with("at most 1 'run' line(s) were open at once"), "{e}");
    }

    #[test]
    fn a_bound_is_required() {
        let e = spec(&with("")).unwrap_err();
        assert!(e.contains("an `open` check needs `max` (a bound) or `min`"), "{e}");
    }
}
