//! `first` and `last`: the first or last line of stdout is of a kind.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::spec::fault::{Arg, Fault, said};
use crate::spec::fields::{Fields, Res};
use crate::spec::introspect::field_names;
use crate::spec::rule::{CheckType, Ctx, Rule};

pub(super) const TYPES: &[CheckType] = &[
    CheckType {
        name: "first",
        fields: field_names::<EndLineFields>,
        build: build_first,
        needs_trace: false,
    },
    CheckType {
        name: "last",
        fields: field_names::<EndLineFields>,
        build: build_last,
        needs_trace: false,
    },
];

/// The fields a `first` and `last` check takes besides `name`, `type` and `likely`: any other is refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EndLineFields {
    line: Option<Spanned<String>>,
}

/// The first (or last) line of stdout is a `line` line; empty output fails.
#[derive(Debug)]
struct EndLine {
    line: usize,
    first: bool,
}

fn build_first(f: &Fields<'_>) -> Res<Arc<dyn Rule>> {
    let line = f.need_kind(&f.read::<EndLineFields>()?.line, "line")?;
    Ok(Arc::new(EndLine { line, first: true }))
}

fn build_last(f: &Fields<'_>) -> Res<Arc<dyn Rule>> {
    let line = f.need_kind(&f.read::<EndLineFields>()?.line, "line")?;
    Ok(Arc::new(EndLine { line, first: false }))
}

impl Rule for EndLine {
    fn reached(&self, ctx: &Ctx<'_>) -> bool {
        ctx.has_any(&[self.line])
    }

    fn judge(&self, ctx: &Ctx<'_>) -> Result<(), Fault> {
        let which = if self.first { "first" } else { "last" };
        let lines = &ctx.run.lines;
        let raw = if self.first {
            lines.first().map(|l| (1, l))
        } else {
            lines.last().map(|l| (lines.len(), l))
        };
        let Some((n, l)) = raw else {
            return Err(said!(
                "end-no-output",
                which = which,
                kind = ctx.kind_name(self.line)
            ).into());
        };
        let is_kind = ctx.lines.iter().any(|c| c.number == n && c.kind == self.line);
        if is_kind {
            Ok(())
        } else {
            Err(said!(
                "end-wrong",
                which = which,
                n = Arg::LineNo(n),
                text = Arg::quote(&l.text),
                kind = ctx.kind_name(self.line)
            ).into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::judge;

    fn spec(kind: &str) -> String {
        format!(
            "name = \"t\"\n[[line]]\nname = \"start\"\npattern = 'Start'\n[[line]]\nname = \"x\"\npattern = 'x'\n[[check]]\nname = \"c\"\ntype = \"{kind}\"\nline = \"start\"\n"
        )
    }

    #[test]
    fn first_and_last_look_at_stdout_ends() {
        assert_eq!(judge(&spec("first"), &["Start", "x"]), Ok(()));
        assert_eq!(judge(&spec("last"), &["x", "Start"]), Ok(()));
        let e = judge(&spec("last"), &["Start", "x"]).unwrap_err();
        assert_eq!(e, r#"the last line is line 2 "x", not a 'start' line"#);
    }

    #[test]
    fn an_unmatched_end_line_is_not_the_kind() {
        let e = judge(&spec("first"), &["junk", "Start"]).unwrap_err();
        assert_eq!(e, r#"the first line is line 1 "junk", not a 'start' line"#);
    }

    #[test]
    fn empty_output_has_no_first_line() {
        let e = judge(&spec("first"), &[]).unwrap_err();
        assert_eq!(e, "there is no output, so no first 'start' line");
    }
}
