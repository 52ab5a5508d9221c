//! `relation`: a capture's values against other captures or the run's pids (`==`, `!=`, `in`,
//! `not in`).

use std::collections::HashMap;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::values::norm;
use crate::words::say::say;
use crate::spec::fault::{Arg, Fault, Problems, Said, said};
use crate::spec::fields::{Fields, Res};
use crate::spec::introspect::field_names;
use crate::spec::raw::RawRight;
use crate::spec::rule::{CheckType, Classified, Ctx, Rule};
use crate::spec::values::{Op, Operand};

pub(super) const TYPES: &[CheckType] = &[CheckType {
    name: "relation",
    fields: field_names::<RelationFields>,
    build,
    needs_trace: false,
}];

/// The fields a `relation` check takes besides `name`, `type` and `likely`: any other is refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RelationFields {
    left: Option<Spanned<String>>,
    op: Option<Spanned<String>>,
    right: Option<Spanned<RawRight>>,
}

/// `==` / `!=`: every value of `left` against every value of `right`; `in` / `not in`: each
/// value of `left` is (not) among all values of `right`. No values: nothing to compare, it holds.
#[derive(Debug)]
struct Relation {
    left: Operand,
    op: Op,
    right: Vec<Operand>,
}

fn build(f: &Fields<'_>) -> Res<Arc<dyn Rule>> {
    let c: RelationFields = f.read()?;
    let (left, lspan) = f.need(&c.left, "left")?;
    let left = f.operand(&left, lspan)?;
    let (op, ospan) = f.need(&c.op, "op")?;
    let Some(op) = Op::parse(&op) else {
        return Err(f.check_err(ospan, say!("spec-unknown-op", op = op.as_str())));
    };
    let Some(right) = &c.right else {
        return Err(f.missing(say!("spec-needs-field", ctype = "relation", field = "right")));
    };
    let rspan = right.span();
    let words: Vec<&String> = match right.get_ref() {
        RawRight::One(s) => vec![s],
        RawRight::Many(v) => v.iter().collect(),
    };
    if words.is_empty() {
        return Err(f.check_err(rspan, say!("spec-right-empty")));
    }
    if words.len() > 1 && matches!(op, Op::Eq | Op::Ne) {
        return Err(f.check_err(rspan, say!("spec-right-list-op")));
    }
    let right = words
        .into_iter()
        .map(|w| f.operand(w, rspan.clone()))
        .collect::<Res<Vec<_>>>()?;
    Ok(Arc::new(Relation { left, op, right }))
}

/// Where a relation's value came from.
enum Source<'a> {
    Builtin(&'static str),
    Line(&'a Classified<'a>, &'a str, &'a str),
}

impl Source<'_> {
    fn describe(&self) -> Arg {
        match self {
            Source::Builtin(name) => Arg::from(*name),
            Source::Line(l, kind, capture) => Arg::from(said!(
                "relation-source",
                line = l.quote(),
                operand = format!("{kind}.{capture}")
            )),
        }
    }
}

/// The values an operand takes in this run, each with where it was seen (computed lazily:
/// only quoted values need their source).
fn values<'s>(ctx: &'s Ctx<'_>, o: &'s Operand) -> Vec<(String, Source<'s>)> {
    match o {
        Operand::MainPid => vec![(ctx.run.main_pid.to_string(), Source::Builtin("main_pid"))],
        Operand::AdopterPid => vec![(
            ctx.run.adopter_pid.to_string(),
            Source::Builtin("adopter_pid"),
        )],
        Operand::Capture { line, capture } => ctx
            .of_kind(*line)
            .map(|l| {
                (
                    l.cap(capture).to_string(),
                    Source::Line(l, ctx.kind_name(*line), capture),
                )
            })
            .collect(),
    }
}

fn operand_name(ctx: &Ctx<'_>, o: &Operand) -> String {
    match o {
        Operand::MainPid => "main_pid".into(),
        Operand::AdopterPid => "adopter_pid".into(),
        Operand::Capture { line, capture } => format!("{}.{capture}", ctx.kind_name(*line)),
    }
}

impl Rule for Relation {
    fn reached(&self, ctx: &Ctx<'_>) -> bool {
        match &self.left {
            Operand::Capture { line, .. } => ctx.has_any(&[*line]),
            Operand::MainPid | Operand::AdopterPid => true,
        }
    }

    fn judge(&self, ctx: &Ctx<'_>) -> Result<(), Fault> {
        let op = self.op;
        let lefts = values(ctx, &self.left);
        let rights: Vec<(String, Source)> =
            self.right.iter().flat_map(|o| values(ctx, o)).collect();
        // Distinct right values (normalized), each with its first source: lookups stay linear.
        let mut distinct: HashMap<String, usize> = HashMap::new();
        for (i, (v, _)) in rights.iter().enumerate() {
            distinct.entry(norm(v)).or_insert(i);
        }
        // For ==, the earliest right value unlike the left one is among the first two.
        let mut first_two: Vec<(&String, usize)> = distinct.iter().map(|(k, i)| (k, *i)).collect();
        first_two.sort_by_key(|(_, i)| *i);
        first_two.truncate(2);
        let lname = operand_name(ctx, &self.left);
        let rname = self
            .right
            .iter()
            .map(|o| operand_name(ctx, o))
            .collect::<Vec<_>>()
            .join(", ");
        let mut problems = Problems::default();
        for (lv, lsrc) in &lefts {
            let key = norm(lv);
            let hit = distinct.get(&key).copied();
            let bad = match op {
                // The right value that breaks the relation, if any.
                Op::Ne => hit,
                Op::Eq => first_two.iter().find(|(k, _)| **k != key).map(|(_, i)| *i),
                Op::In | Op::NotIn => {
                    if hit.is_some() != (op == Op::In) {
                        problems.add(|| {
                            let set: Vec<Said> = rights
                                .iter()
                                .take(8)
                                .map(|(rv, src)| {
                                    said!(
                                        "relation-value-from",
                                        value = rv.as_str(),
                                        source = src.describe()
                                    )
                                })
                                .collect();
                            let here = if set.is_empty() {
                                said!("relation-set-empty")
                            } else {
                                said!("relation-set-are", values = Arg::list(set))
                            };
                            said!(
                                "relation-set",
                                left = lsrc.describe(),
                                value = lv.as_str(),
                                lname = lname.as_str(),
                                op = op.symbol(),
                                rname = rname.as_str(),
                                set = here
                            )
                        });
                    }
                    None
                }
            };
            if let Some(i) = bad {
                let (rv, rsrc) = &rights[i];
                problems.add(|| {
                    said!(
                        "relation-pair",
                        left = lsrc.describe(),
                        lvalue = lv.as_str(),
                        right = rsrc.describe(),
                        rvalue = rv.as_str(),
                        lname = lname.as_str(),
                        op = op.symbol(),
                        rname = rname.as_str()
                    )
                });
            }
        }
        problems.result()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{MAIN_PID, judge, spec};

    fn with(op: &str, right: &str) -> String {
        format!(
            "name = \"t\"\n[[line]]\nname = \"child\"\npattern = 'Child (?<P>\\d+)'\n[[line]]\nname = \"parent\"\npattern = 'Parent (?<P>\\d+)'\n[[check]]\nname = \"c\"\ntype = \"relation\"\nleft = \"child.P\"\nop = \"{op}\"\nright = {right}\n"
        )
    }

    #[test]
    fn not_in_quotes_the_clash_with_the_main_pid() {
        let s = with("not in", "[\"parent.P\", \"main_pid\"]");
        assert_eq!(judge(&s, &["Parent 100", "Child 7"]), Ok(()));
        let e = judge(&s, &[&format!("Child {MAIN_PID}")]).unwrap_err();
        assert!(e.starts_with(r#"line 1 "Child 100" has child.P = 100: expected child.P not in [parent.P, main_pid], which here are 100 (main_pid)"#), "{e}");
    }

    #[test]
    fn equality_quotes_both_sides() {
        let s = with("==", "\"parent.P\"");
        assert_eq!(judge(&s, &["Parent 7", "Child 007"]), Ok(()));
        let e = judge(&s, &["Parent 7", "Child 8"]).unwrap_err();
        assert_eq!(e, r#"line 2 "Child 8" has child.P = 8 and line 1 "Parent 7" has parent.P = 7: expected child.P == parent.P"#);
    }

    #[test]
    fn no_values_hold_and_lists_need_in() {
        assert_eq!(judge(&with("==", "\"main_pid\""), &[]), Ok(()));
        let e = spec(&with("==", "[\"parent.P\", \"main_pid\"]")).unwrap_err();
        assert!(e.contains("a list on the right needs op `in` or `not in`"), "{e}");
        let e = spec(&with("<", "\"main_pid\"")).unwrap_err();
        assert!(e.contains("unknown op '<'"), "{e}");
    }
}
