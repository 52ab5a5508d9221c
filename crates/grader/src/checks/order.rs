//! `order`: every `after` line has a `before` line above it, optionally per value of a capture.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::values::norm;
use crate::say::say;
use crate::spec::fields::{Fields, Res};
use crate::spec::introspect::field_names;
use crate::spec::pairs::{Pair, PairKind};
use crate::spec::rule::{CheckType, Classified, Ctx, Rule};
use crate::text::Problems;

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
}

/// Every `after` line has a `before` line above it and no `before` line comes below an `after`
/// line; with `per`, only lines with the same value of that capture are compared.
#[derive(Debug)]
struct Order {
    before: usize,
    after: usize,
    per: Option<String>,
}

fn build(f: &Fields<'_>) -> Res<Arc<dyn Rule>> {
    let c: OrderFields = f.read()?;
    let before = f.need_kind(&c.before, "before")?;
    let after = f.need_kind(&c.after, "after")?;
    let per = f.opt_capture(before, &c.per)?;
    if let Some(p) = &per {
        f.capture_in(after, p, c.per.as_ref().map(|s| s.span()))?;
    }
    Ok(Arc::new(Order { before, after, per }))
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

    fn judge(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        let (before, after, per) = (self.before, self.after, self.per.as_deref());
        let (bk, ak) = (ctx.kind_name(before), ctx.kind_name(after));
        let key = |l: &Classified| per.map(|p| norm(l.cap(p))).unwrap_or_default();
        let with = |l: &Classified| {
            per.map(|p| say!("order-with", capture = p, value = l.cap(p)))
                .unwrap_or_default()
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
                        .add(|| say!("order-before-any", line = l.quote(), before = bk, with = with(l)));
                }
                first_after.entry(k).or_insert(l);
            }
            if l.kind == before {
                let k = key(l);
                if let Some(a) = first_after.get(&k)
                    && a.number != l.number
                {
                    problems.add(|| {
                        say!(
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
        problems.result()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{judge, spec};

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

    #[test]
    fn per_must_be_a_capture_of_both_kinds() {
        let e = spec(&SPEC.replace("pattern = 'Done (?<i>\\d+)'", "pattern = 'Done'")).unwrap_err();
        assert!(e.contains("line kind 'done' has no capture named 'i'"), "{e}");
    }
}
