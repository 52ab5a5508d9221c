//! `order`: every `after` line has a `before` line above it, optionally per value of a capture;
//! with `joined`, written once its writer saw the `before` lines' processes end (a join).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::values::norm;
use crate::spec::fault::{Fault, Problems, Said, said};
use crate::spec::fields::{Fields, Res};
use crate::spec::introspect::field_names;
use crate::spec::pairs::{Pair, PairKind};
use crate::checks::joins::{Knowledge, Saw};
use crate::spec::rule::{CheckType, Classified, Ctx, NotJudged, Rule};

pub(super) const TYPES: &[CheckType] = &[CheckType {
    name: "order",
    fields: field_names::<OrderFields>,
    build,
    needs_trace: false,
}];

/// The fields an `order` check takes besides `name`, `type` and `likely`: any other is refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OrderFields {
    before: Option<Spanned<String>>,
    after: Option<Spanned<String>>,
    per: Option<Spanned<String>>,
    joined: Option<Spanned<bool>>,
}

/// The report's words for a check no run could judge because the trace could not see the join.
const NOT_SEEN: &str = "joined-not-seen";

/// Every `after` line has a `before` line above it and no `before` line comes below an `after`
/// line; with `per`, only lines with the same value of that capture are compared. With
/// `joined`, each `after` line's process also saw the end of every process that wrote a
/// `before` line above it, before the line.
#[derive(Debug)]
struct Order {
    before: usize,
    after: usize,
    per: Option<String>,
    joined: bool,
}

/// What an `order` check finds in one run: its problems, and why the join could not be judged
/// (for the first line it could not be judged for), if it could not.
struct Found {
    problems: Problems,
    unknown: Option<Said>,
}

fn build(f: &Fields<'_>) -> Res<Arc<dyn Rule>> {
    let c: OrderFields = f.read()?;
    let before = f.need_kind(&c.before, "before")?;
    let after = f.need_kind(&c.after, "after")?;
    let per = f.opt_capture(before, &c.per)?;
    if let Some(p) = &per {
        f.capture_in(after, p, c.per.as_ref().map(|s| s.span()))?;
    }
    let joined = c.joined.as_ref().is_some_and(|j| *j.get_ref());
    Ok(Arc::new(Order {
        before,
        after,
        per,
        joined,
    }))
}

impl Order {
    /// The order's problems; then, if it holds and `joined` asks, the join's.
    fn find(&self, ctx: &Ctx<'_>) -> Found {
        let problems = self.order_problems(ctx);
        if !self.joined || problems.total() > 0 {
            return Found {
                problems,
                unknown: None,
            };
        }
        self.join_problems(ctx)
    }

    fn key(&self, l: &Classified<'_>) -> String {
        self.per.as_deref().map(|p| norm(l.cap(p))).unwrap_or_default()
    }

    /// Each `after` line against the processes of the `before` lines above it.
    fn join_problems(&self, ctx: &Ctx<'_>) -> Found {
        let mut problems = Problems::default();
        let mut unknown = None;
        let mut know = Knowledge::default();
        // Per key: each process that wrote a `before` line so far, with its first such line.
        let mut writers: BTreeMap<String, BTreeMap<i32, &Classified<'_>>> = BTreeMap::new();
        for l in ctx.lines {
            if l.kind == self.after {
                let Some(w) = l.writer else {
                    unknown.get_or_insert_with(|| said!("joined-untraced"));
                    continue;
                };
                let before = writers.get(&self.key(l));
                for (&pid, b) in before.into_iter().flatten() {
                    // Lines flushed together at an exit carry the exit's time, not their own.
                    if w.burst {
                        unknown.get_or_insert_with(|| said!("joined-burst", line = l.quote()));
                        break;
                    }
                    match know.saw(ctx.run, w.pid, pid, l.at) {
                        Saw::Yes => {}
                        Saw::Unknown(why) => {
                            unknown.get_or_insert_with(|| said!("joined-why", line = l.quote(), why = why));
                        }
                        Saw::No(how) => problems.add(|| {
                            said!(
                                "joined-before-end",
                                line = l.quote(),
                                parent = w.pid.to_string(),
                                pid = pid.to_string(),
                                other = b.quote(),
                                how = how
                            )
                        }),
                    }
                }
            }
            if l.kind == self.before {
                match l.writer {
                    Some(w) => {
                        writers.entry(self.key(l)).or_default().entry(w.pid).or_insert(l);
                    }
                    None => {
                        unknown.get_or_insert_with(|| said!("joined-untraced"));
                    }
                }
            }
        }
        Found { problems, unknown }
    }
}

impl Rule for Order {
    fn pair(&self) -> Option<Pair> {
        Some(Pair {
            kind: PairKind::Order,
            first: self.before,
            second: self.after,
            key: self.per.clone()?,
        })
    }

    fn reached(&self, ctx: &Ctx<'_>) -> bool {
        ctx.has_any(&[self.before, self.after])
    }

    fn judge(&self, ctx: &Ctx<'_>) -> Result<(), Fault> {
        self.find(ctx).problems.result()
    }

    fn not_judged(&self, ctx: &Ctx<'_>) -> Option<NotJudged> {
        if !self.joined {
            return None;
        }
        let found = self.find(ctx);
        if found.problems.total() > 0 {
            return None;
        }
        Some(NotJudged {
            tag: NOT_SEEN,
            why: found.unknown?,
        })
    }
}

impl Order {
    /// The order's problems alone.
    fn order_problems(&self, ctx: &Ctx<'_>) -> Problems {
        let (before, after, per) = (self.before, self.after, self.per.as_deref());
        let (bk, ak) = (ctx.kind_name(before), ctx.kind_name(after));
        let key = |l: &Classified| per.map(|p| norm(l.cap(p))).unwrap_or_default();
        let with = |l: &Classified| {
            per.map(|p| said!("order-with", capture = p, value = l.cap(p)))
        };
        let mut seen_before: BTreeSet<String> = BTreeSet::new();
        let mut first_after: BTreeMap<String, &Classified> = BTreeMap::new();
        let mut problems = Problems::default();
        for l in ctx.lines {
            // A kind that is both `before` and `after` is judged as `after` first.
            if l.kind == after {
                let k = key(l);
                if !seen_before.contains(&k) {
                    problems
                        .add(|| said!("order-before-any", line = l.quote(), before = bk, with = with(l)));
                }
                first_after.entry(k).or_insert(l);
            }
            if l.kind == before {
                let k = key(l);
                if let Some(a) = first_after.get(&k)
                    && a.number != l.number
                {
                    problems.add(|| {
                        said!(
                            "order-after",
                            line = l.quote(),
                            before = bk,
                            other = a.quote(),
                            after = ak,
                            with = with(l)
                        )
                    });
                }
                seen_before.insert(k);
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{MAIN_PID, judge, judge_run, spec};

    const SPEC: &str = r#"
name = "t"
[[line]]
name = "run"
pattern = 'Run (?<i>\d+)'
[[line]]
name = "done"
pattern = 'Done (?<i>\d+)'
[[check]]
name = "c"
type = "order"
before = "run"
after = "done"
per = "i"
"#;

    #[test]
    fn per_value_order_holds_across_interleaving() {
        assert_eq!(judge(SPEC, &["Run 1", "Run 2", "Done 2", "Done 1"]), Ok(()));
    }

    #[test]
    fn an_after_line_first_is_quoted() {
        let e = judge(SPEC, &["Done 1", "Run 1"]).unwrap_err();
        assert!(e.contains(r#"line 1 "Done 1" comes before any 'run' line with i=1"#), "{e}");
        assert!(e.contains(r#"line 2 "Run 1" ('run') comes after line 1 "Done 1" ('done') with i=1"#), "{e}");
    }

    const JOINED: &str = r#"
name = "t"
[[line]]
name = "child"
pattern = 'child'
[[line]]
name = "end"
pattern = 'end'
[[check]]
name = "c"
type = "order"
before = "child"
after = "end"
joined = true
"#;

    /// The main process 100 prints "end" at 50 ms; its child 7 printed "child" at 10 ms and
    /// ended at 20 ms; the main process reaped it at `reaped` ms, if at all.
    fn joined_run(reaped: Option<u64>) -> crate::outcome::RunOutcome {
        use crate::outcome::writer::{Role, RunTask};
        use std::time::Duration;
        let mut r = super::super::duration::traced_run(&[("child", 0.01, 7), ("end", 0.05, MAIN_PID)]);
        let task = |pid: i32, ppid: Option<i32>| RunTask {
            pid,
            tid: pid,
            ppid,
            role: if ppid.is_some() { Role::Process } else { Role::Main },
            created_at: Duration::ZERO,
            ended_at: Some(Duration::from_millis(20)),
            exit_code: Some(0),
            cpu_time: None,
            execs: Vec::new(),
            exec_paths: Vec::new(),
            system_execs: Vec::new(),
            last_exec_at: None,
        };
        r.tasks = vec![task(MAIN_PID, None), task(7, Some(MAIN_PID))];
        r.ends.recorded = true;
        r.ends.reaps = reaped
            .map(|at| tracer::Reap {
                tid: MAIN_PID,
                tgid: MAIN_PID,
                pid: Some(7),
                kept: false,
                syscall: "wait4",
                at: Duration::from_millis(at),
            })
            .into_iter()
            .collect();
        r
    }

    fn not_judged(r: &crate::outcome::RunOutcome) -> Option<String> {
        use crate::spec::params::Params;
        use crate::spec::rule::{Ctx, classify};
        let s = spec(JOINED).expect("spec");
        let params = Params::resolve(&s, &[], 1.0).expect("params");
        let classified = classify(&s.lines, &r.lines);
        let ctx = Ctx {
            kinds: &s.lines,
            params: &params,
            run: r,
            lines: &classified,
        };
        s.checks[0].rule.not_judged(&ctx).map(|n| n.why.to_string())
    }

    #[test]
    fn joined_wants_the_end_seen_before_the_line() {
        let joined = joined_run(Some(30));
        assert_eq!((judge_run(JOINED, &joined), not_judged(&joined)), (Ok(()), None));
        // A spin, then the line, then the join.
        let late = joined_run(Some(60));
        let e = judge_run(JOINED, &late).unwrap_err();
        assert!(
            e.contains(r#"line 2 "end" was written before its writer (pid 100) saw pid 7"#)
                && e.contains("only at 0.060 s"),
            "{e}"
        );
        assert_eq!(not_judged(&late), None, "a fault is judged");
        let never = judge_run(JOINED, &joined_run(None)).unwrap_err();
        assert!(never.contains("had not waited"), "{never}");
        // Without the trace, a right order is not judged; a wrong one still fails.
        let untraced = judge(JOINED, &["child", "end"]);
        assert_eq!(untraced, Ok(()));
        assert!(judge(JOINED, &["end", "child"]).is_err());
    }

    #[test]
    fn joined_is_not_judged_for_a_child_made_by_another_process() {
        let mut r = joined_run(None);
        r.tasks[1].ppid = Some(8);
        assert_eq!(judge_run(JOINED, &r), Ok(()));
        let why = not_judged(&r).expect("not judged");
        assert!(why.contains("made by pid 8"), "{why}");
    }

    #[test]
    fn per_must_be_a_capture_of_both_kinds() {
        let e = spec(&SPEC.replace("pattern = 'Done (?<i>\\d+)'", "pattern = 'Done'")).unwrap_err();
        assert!(e.contains("line kind 'done' has no capture named 'i'"), "{e}");
    }
}
