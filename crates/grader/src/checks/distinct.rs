//! `distinct`: how many different values a capture takes.

use std::collections::HashSet;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::values::norm;
use crate::words::say::say;
use crate::spec::fault::{Fault, said};
use crate::spec::fields::{Fields, Res};
use crate::spec::introspect::field_names;
use crate::spec::raw::{RawNum};
use crate::spec::rule::{CheckType, Classified, Ctx, Rule};
use crate::spec::values::Num;

pub(super) const TYPES: &[CheckType] = &[CheckType {
    name: "distinct",
    fields: field_names::<DistinctFields>,
    build,
    needs_trace: false,
}];

/// The fields a `distinct` check takes besides `name`, `type` and `likely`: any other is refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DistinctFields {
    line: Option<Spanned<String>>,
    capture: Option<Spanned<String>>,
    min: Option<Spanned<RawNum>>,
    max: Option<Spanned<RawNum>>,
}

/// The number of distinct values of `capture` among `line` lines is within the bounds.
#[derive(Debug)]
struct Distinct {
    line: usize,
    capture: String,
    max: Option<Num>,
    min: Option<Num>,
}

fn build(f: &Fields<'_>) -> Res<Arc<dyn Rule>> {
    let c: DistinctFields = f.read()?;
    let line = f.need_kind(&c.line, "line")?;
    let capture = f.need_capture(line, &c.capture, "capture")?;
    let (min, max) = f.min_max(&c.min, &c.max, say!("spec-distinct-needs"))?;
    Ok(Arc::new(Distinct {
        line,
        capture,
        max,
        min,
    }))
}

impl Rule for Distinct {
    fn reached(&self, ctx: &Ctx<'_>) -> bool {
        ctx.has_any(&[self.line])
    }

    fn judge(&self, ctx: &Ctx<'_>) -> Result<(), Fault> {
        let capture = self.capture.as_str();
        let kind = ctx.kind_name(self.line);
        let max = self.max.as_ref().map(|n| ctx.num(n));
        let min = self.min.as_ref().map(|n| ctx.num(n));
        let mut seen: HashSet<String> = HashSet::new();
        let mut first: Vec<&str> = Vec::new();
        let mut over: Option<&Classified> = None;
        for l in ctx.of_kind(self.line) {
            let v = l.cap(capture);
            if seen.insert(norm(v)) {
                if first.len() < 8 {
                    first.push(v);
                }
                if over.is_none() && max.is_some_and(|m| seen.len() as i64 > m) {
                    over = Some(l);
                }
            }
        }
        let mut list = crate::words::text::list(&first);
        if seen.len() > first.len() {
            list = crate::words::text::list(&[list, "...".to_string()]);
        }
        if let Some(l) = over {
            return Err(said!(
                "distinct-too-many",
                count = seen.len(),
                capture = capture,
                kind = kind,
                list = list,
                max = max.unwrap_or_default().to_string(),
                line = l.quote()
            ).into());
        }
        if let Some(m) = min
            && (seen.len() as i64) < m
        {
            return Err(said!(
                "distinct-too-few",
                count = seen.len(),
                capture = capture,
                kind = kind,
                list = list,
                min = m.to_string()
            ).into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{judge, spec};

    fn with(bounds: &str) -> String {
        format!(
            "name = \"t\"\n[[line]]\nname = \"w\"\npattern = 'Worker (?<W>\\d+)'\n[[check]]\nname = \"c\"\ntype = \"distinct\"\nline = \"w\"\ncapture = \"W\"\n{bounds}\n"
        )
    }

    #[test]
    fn max_names_the_first_value_too_many() {
        let s = with("max = 1");
        assert_eq!(judge(&s, &["Worker 5", "Worker 05"]), Ok(()));
        let e = judge(&s, &["Worker 5", "Worker 6"]).unwrap_err();
        assert_eq!(e, r#"2 distinct W among 'w' lines (5, 6): at most 1 allowed; the one too many first at line 2 "Worker 6""#);
    }

    #[test]
    fn min_counts_distinct_values() {
        let e = judge(&with("min = 2"), &["Worker 5", "Worker 5"]).unwrap_err();
        assert_eq!(e, "1 distinct W among 'w' lines (5): at least 2 expected");
    }

    #[test]
    fn a_bound_is_required() {
        let e = spec(&with("")).unwrap_err();
        assert!(e.contains("a `distinct` check needs `max` or `min`"), "{e}");
    }
}
