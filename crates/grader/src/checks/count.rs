//! `count`: how many lines of a kind, overall or for each value of a capture.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::values::{Expected, norm};
use crate::words::say::say;
use crate::spec::fault::{Arg, Fault, Problems, QUOTE_MAX, Said, said};
use crate::spec::fields::{Fields, Res};
use crate::spec::introspect::field_names;
use crate::spec::raw::{RawNum, RawValues};
use crate::spec::rule::{CheckType, Classified, Ctx, Rule};
use crate::spec::values::{Num, Values};


pub(super) const TYPES: &[CheckType] = &[CheckType {
    name: "count",
    fields: field_names::<CountFields>,
    build,
    needs_trace: false,
}];

/// The fields a `count` check takes besides `name`, `type` and `likely`: any other is refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CountFields {
    line: Option<Spanned<String>>,
    per: Option<Spanned<String>>,
    values: Option<Spanned<RawValues>>,
    exactly: Option<Spanned<RawNum>>,
    min: Option<Spanned<RawNum>>,
    max: Option<Spanned<RawNum>>,
}

/// The number of `line` lines is within `min..=max`; with `per`, for each value of that
/// capture; with `values` too, for each listed value, and no other value may appear.
#[derive(Debug)]
struct Count {
    line: usize,
    per: Option<String>,
    values: Option<Values>,
    min: Option<Num>,
    max: Option<Num>,
}

fn build(f: &Fields<'_>) -> Res<Arc<dyn Rule>> {
    let c: CountFields = f.read()?;
    let line = f.need_kind(&c.line, "line")?;
    let per = f.opt_capture(line, &c.per)?;
    let values = match &c.values {
        Some(v) if per.is_none() => {
            return Err(f.check_err(v.span(), say!("spec-values-need-per")));
        }
        Some(v) => Some(f.values(v)?),
        None => None,
    };
    let (min, max) = match &c.exactly {
        Some(e) => {
            if let Some(m) = c.min.as_ref().or(c.max.as_ref()) {
                return Err(f.check_err(m.span(), say!("spec-count-either")));
            }
            let n = f.count_num(e)?;
            (Some(n.clone()), Some(n))
        }
        None => (f.opt_count(&c.min)?, f.opt_count(&c.max)?),
    };
    if min.is_none() && max.is_none() {
        return Err(f.missing(say!("spec-count-needs")));
    }
    Ok(Arc::new(Count {
        line,
        per,
        values,
        min,
        max,
    }))
}

impl Rule for Count {
    fn reached(&self, ctx: &Ctx<'_>) -> bool {
        // A count judges the whole output's make-up ("no line of another thread" is `max = 0`):
        // any expected line gives it something to judge.
        !ctx.lines.is_empty()
    }

    fn judge(&self, ctx: &Ctx<'_>) -> Result<(), Fault> {
        let bounds = Bounds {
            min: self.min.as_ref().map(|n| ctx.num(n)),
            max: self.max.as_ref().map(|n| ctx.num(n)),
        };
        let kind = ctx.kind_name(self.line);
        let Some(per) = self.per.as_deref() else {
            let ls: Vec<&Classified> = ctx.of_kind(self.line).collect();
            let want = bounds.want();
            return if bounds.ok(ls.len()) {
                Ok(())
            } else {
                Err(Fault::from(said!(
                    "count-expected",
                    want = want,
                    kind = kind,
                    found = found(&ls)
                )))
            };
        };
        let groups = Groups::of(ctx, self.line, per);
        let per_value = PerValue {
            bounds: &bounds,
            want: bounds.want(),
            kind,
            per,
        };
        let mut problems = Problems::default();
        match self.values.as_ref().map(|v| Expected::of(ctx, v)) {
            Some(exp) => per_value.listed(&groups, &exp, &mut problems),
            None => {
                for v in &groups.order {
                    per_value.judge(v, &groups.lines[v], &mut problems);
                }
            }
        }
        problems.result()
    }
}

/// The range a count must fall in.
struct Bounds {
    min: Option<i64>,
    max: Option<i64>,
}

impl Bounds {
    fn ok(&self, n: usize) -> bool {
        let n = n as i64;
        self.min.is_none_or(|m| n >= m) && self.max.is_none_or(|m| n <= m)
    }

    /// The range in words: "exactly 1", "between 1 and 3".
    fn want(&self) -> Said {
        match (self.min, self.max) {
            (Some(a), Some(b)) if a == b => said!("count-exactly", n = a.to_string()),
            (Some(a), Some(b)) => said!("count-between", min = a.to_string(), max = b.to_string()),
            (Some(a), None) => said!("count-at-least", n = a.to_string()),
            (None, Some(b)) => said!("count-at-most", n = b.to_string()),
            (None, None) => said!("count-any"),
        }
    }
}

/// The lines found, quoted (the first few), or "none".
fn found(ls: &[&Classified]) -> Said {
    if ls.is_empty() {
        said!("count-found-none")
    } else {
        let lines = Arg::few(ls.iter().map(|l| l.quote()), ls.len());
        said!("count-found", count = ls.len(), lines = lines)
    }
}

/// A kind's lines grouped by the (normalised) value of a capture, and the values in the order
/// they first appear.
struct Groups<'c> {
    lines: BTreeMap<String, Vec<&'c Classified<'c>>>,
    order: Vec<String>,
}

impl<'c> Groups<'c> {
    fn of(ctx: &'c Ctx<'_>, line: usize, per: &str) -> Self {
        let mut lines: BTreeMap<String, Vec<&Classified>> = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        for l in ctx.of_kind(line) {
            let v = norm(l.cap(per));
            if !lines.contains_key(&v) {
                order.push(v.clone());
            }
            lines.entry(v).or_default().push(l);
        }
        Groups { lines, order }
    }
}

/// Judging the count of each value of the `per` capture.
struct PerValue<'a> {
    bounds: &'a Bounds,
    want: Said,
    kind: &'a str,
    per: &'a str,
}

impl PerValue<'_> {
    /// The lines of value `v` are as many as the bounds say.
    fn judge(&self, v: &str, ls: &[&Classified], problems: &mut Problems) {
        if !self.bounds.ok(ls.len()) {
            problems.add(|| {
                said!(
                    "count-expected-per",
                    want = self.want.clone(),
                    kind = self.kind,
                    capture = self.per,
                    value = v,
                    found = found(ls)
                )
            });
        }
    }

    /// With `values`: no value outside the list, and each listed value's count within bounds
    /// (every listed value when there is a minimum; only those seen otherwise: a huge range is
    /// not walked).
    fn listed(&self, groups: &Groups<'_>, exp: &Expected, problems: &mut Problems) {
        for (v, ls) in &groups.lines {
            if exp.index(v).is_none() {
                problems.add(|| {
                    said!(
                        "value-not-listed",
                        line = ls[0].quote(),
                        capture = self.per,
                        value = v.as_str(),
                        listed = exp.describe()
                    )
                });
            }
        }
        if self.bounds.min.is_some_and(|m| m > 0) {
            for v in exp.iter() {
                if problems.total() > QUOTE_MAX {
                    break;
                }
                let ls = groups.lines.get(&norm(&v)).cloned().unwrap_or_default();
                self.judge(&v, &ls, problems);
            }
        } else {
            for (v, ls) in &groups.lines {
                if exp.index(v).is_some() {
                    self.judge(v, ls, problems);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{judge, spec};

    const LINES: &str = r#"
name = "t"
[[line]]
name = "task"
pattern = 'Task (?<i>\d+)'
"#;

    fn with(check: &str) -> String {
        format!("{LINES}\n[[check]]\nname = \"c\"\ntype = \"count\"\nline = \"task\"\n{check}\n")
    }

    #[test]
    fn exactly_counts_every_line_of_the_kind() {
        let s = with("exactly = 2");
        assert_eq!(judge(&s, &["Task 1", "Task 2"]), Ok(()));
        let e = judge(&s, &["Task 1"]).unwrap_err();
        assert_eq!(e, r#"expected exactly 2 'task' line(s), found 1: line 1 "Task 1""#);
    }

    #[test]
    fn per_value_with_values_names_the_missing_and_the_unlisted() {
        let s = with("per = \"i\"\nvalues = \"0..3\"\nexactly = 1");
        assert_eq!(judge(&s, &["Task 2", "Task 0", "Task 1"]), Ok(()));
        let e = judge(&s, &["Task 0", "Task 7", "Task 2"]).unwrap_err();
        assert!(e.contains(r#"line 2 "Task 7" has i=7, not one of 0, 1, 2"#), "{e}");
        assert!(e.contains("with i=1, found none"), "{e}");
    }

    #[test]
    fn per_value_without_values_judges_the_values_seen() {
        let s = with("per = \"i\"\nmax = 1");
        let e = judge(&s, &["Task 1", "Task 01"]).unwrap_err();
        assert!(e.starts_with("expected at most 1 'task' line(s) with i=1, found 2"), "{e}");
    }

    #[test]
    fn reading_refuses_values_without_per_and_exactly_with_max() {
        let e = spec(&with("values = [1]\nexactly = 1")).unwrap_err();
        assert!(e.contains("`values` needs `per`"), "{e}");
        let e = spec(&with("exactly = 1\nmax = 2")).unwrap_err();
        assert!(e.contains("use either `exactly` or `min`/`max`"), "{e}");
        let e = spec(&with("")).unwrap_err();
        assert!(e.contains("needs `exactly`, `min` or `max`"), "{e}");
    }
}
