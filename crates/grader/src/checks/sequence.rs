//! `sequence`: a capture's values, top to bottom, follow a given order.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::values::Expected;
use crate::words::say::say;
use crate::spec::fault::{Fault, Problems, said};
use crate::spec::fields::{Fields, Res};
use crate::spec::introspect::field_names;
use crate::spec::raw::{RawValues};
use crate::spec::rule::{CheckType, Classified, Ctx, Rule};
use crate::spec::values::Values;

pub(super) const TYPES: &[CheckType] = &[CheckType {
    name: "sequence",
    fields: field_names::<SequenceFields>,
    build,
    needs_trace: false,
}];

/// The fields a `sequence` check takes besides `name`, `type` and `likely`: any other is refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SequenceFields {
    line: Option<Spanned<String>>,
    capture: Option<Spanned<String>>,
    values: Option<Spanned<RawValues>>,
}

/// The values of `capture` among `line` lines follow the order of `values`: repeats allowed,
/// going back is not, and a value not in `values` fails.
#[derive(Debug)]
struct Sequence {
    line: usize,
    capture: String,
    values: Values,
}

fn build(f: &Fields<'_>) -> Res<Arc<dyn Rule>> {
    let c: SequenceFields = f.read()?;
    let line = f.need_kind(&c.line, "line")?;
    let capture = f.need_capture(line, &c.capture, "capture")?;
    let values = match &c.values {
        Some(v) => f.values(v)?,
        None => return Err(f.missing(say!("spec-needs-field", ctype = "sequence", field = "values"))),
    };
    Ok(Arc::new(Sequence {
        line,
        capture,
        values,
    }))
}

impl Rule for Sequence {
    fn reached(&self, ctx: &Ctx<'_>) -> bool {
        ctx.has_any(&[self.line])
    }

    fn judge(&self, ctx: &Ctx<'_>) -> Result<(), Fault> {
        let capture = self.capture.as_str();
        let exp = Expected::of(ctx, &self.values);
        let mut best: Option<(usize, &Classified)> = None;
        let mut problems = Problems::default();
        for l in ctx.of_kind(self.line) {
            let v = l.cap(capture);
            match exp.index(v) {
                None => problems.add(|| {
                    said!(
                        "value-not-listed",
                        line = l.quote(),
                        capture = capture,
                        value = v,
                        listed = exp.describe()
                    )
                }),
                Some(i) => match best {
                    Some((b, bl)) if i < b => problems.add(|| {
                        said!(
                            "sequence-out-of-order",
                            line = l.quote(),
                            capture = capture,
                            value = v,
                            other = bl.quote(),
                            other_value = bl.cap(capture),
                            listed = exp.describe()
                        )
                    }),
                    Some((b, _)) if i == b => {}
                    _ => best = Some((i, l)),
                },
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
name = "get"
pattern = 'Get (?<v>\w+)'
[[check]]
name = "c"
type = "sequence"
line = "get"
capture = "v"
values = ["A", "B", "C"]
"#;

    #[test]
    fn repeats_pass_and_going_back_fails() {
        assert_eq!(judge(SPEC, &["Get A", "Get A", "Get C"]), Ok(()));
        let e = judge(SPEC, &["Get B", "Get A"]).unwrap_err();
        assert!(e.contains(r#"line 2 "Get A" (v=A) comes after line 1 "Get B" (v=B): expected the order A, B, C"#), "{e}");
    }

    #[test]
    fn an_unknown_value_fails() {
        let e = judge(SPEC, &["Get D"]).unwrap_err();
        assert_eq!(e, r#"line 1 "Get D" has v=D, not one of A, B, C"#);
    }

    #[test]
    fn values_are_required() {
        let e = spec(&SPEC.replace("values = [\"A\", \"B\", \"C\"]", "")).unwrap_err();
        assert!(e.contains("a `sequence` check needs `values`"), "{e}");
    }
}
