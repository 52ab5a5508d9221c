//! `quotient`: a figure a line prints is two others of the same line, one over the other, as
//! printed (multicore: the cores kept busy `B` are the CPU time `C` over the wall time `W`).

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::spec::fault::{Fault, Problems, Said, said};
use crate::spec::fields::{Fields, Res};
use crate::spec::introspect::field_names;
use crate::spec::rule::{CheckType, Classified, Ctx, Rule};

pub(super) const TYPES: &[CheckType] = &[CheckType {
    name: "quotient",
    fields: field_names::<QuotientFields>,
    build,
    needs_trace: false,
}];

/// The fields a `quotient` check takes besides `name`, `type` and `likely`: any other is refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuotientFields {
    line: Option<Spanned<String>>,
    capture: Option<Spanned<String>>,
    dividend: Option<Spanned<String>>,
    divisor: Option<Spanned<String>>,
}

/// Every `line` line's `capture` is its `dividend` over its `divisor`, each as printed: within
/// the rounding of the three (half a unit of each one's last printed digit), nothing more.
#[derive(Debug)]
struct QuotientRule {
    line: usize,
    capture: String,
    dividend: String,
    divisor: String,
}

fn build(f: &Fields<'_>) -> Res<Arc<dyn Rule>> {
    let c: QuotientFields = f.read()?;
    let line = f.need_kind(&c.line, "line")?;
    let capture = f.need_capture(line, &c.capture, "capture")?;
    let dividend = f.need_capture(line, &c.dividend, "dividend")?;
    let divisor = f.need_capture(line, &c.divisor, "divisor")?;
    Ok(Arc::new(QuotientRule {
        line,
        capture,
        dividend,
        divisor,
    }))
}

/// A printed number and half a unit of its last digit (`1.98`: 0.005; `2`: 0.5).
fn printed(text: &str) -> Option<(f64, f64)> {
    let text = text.trim();
    let value: f64 = text.parse().ok().filter(|v: &f64| v.is_finite())?;
    let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
    let decimals = i32::try_from(decimals).ok()?;
    Some((value, 0.5 * 10f64.powi(-decimals)))
}

impl QuotientRule {
    fn fault(&self, l: &Classified<'_>) -> Option<Said> {
        let (q, dq) = printed(l.cap(&self.capture))?;
        let (a, da) = printed(l.cap(&self.dividend))?;
        let (b, db) = printed(l.cap(&self.divisor))?;
        // What the unrounded figures allow: a divisor that may be 0 allows anything.
        if b.abs() <= db {
            return None;
        }
        let ends = [(a - da) / (b - db), (a - da) / (b + db), (a + da) / (b - db), (a + da) / (b + db)];
        let low = ends.iter().copied().fold(f64::INFINITY, f64::min);
        let high = ends.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let fits = q + dq >= low && q - dq <= high;
        (!fits).then(|| {
            said!(
                "quotient-wrong",
                line = l.quote(),
                capture = self.capture.as_str(),
                printed = l.cap(&self.capture),
                dividend = self.dividend.as_str(),
                divisor = self.divisor.as_str(),
                a = l.cap(&self.dividend),
                b = l.cap(&self.divisor),
                value = format!("{:.3}", a / b)
            )
        })
    }
}

impl Rule for QuotientRule {
    fn reached(&self, ctx: &Ctx<'_>) -> bool {
        ctx.has_any(&[self.line])
    }

    fn judge(&self, ctx: &Ctx<'_>) -> Result<(), Fault> {
        let mut problems = Problems::default();
        for l in ctx.of_kind(self.line) {
            if let Some(fault) = self.fault(l) {
                problems.add(|| fault);
            }
        }
        problems.result()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::judge;

    const SPEC: &str = r#"
name = "t"
[[line]]
name = "busy"
pattern = 'Cores kept busy: (?<B>\d+\.\d\d) \(CPU time (?<C>\d+\.\d\d) s / wall time (?<W>\d+\.\d\d) s\)\.'
[[check]]
name = "q"
type = "quotient"
line = "busy"
capture = "B"
dividend = "C"
divisor = "W"
"#;

    #[test]
    fn a_figure_that_is_not_the_one_over_the_other_fails() {
        let line = |b: &str, c: &str, w: &str| {
            format!("Cores kept busy: {b} (CPU time {c} s / wall time {w} s).")
        };
        // Honest figures, the quotient of the unrounded ones rounded.
        for (b, c, w) in [
            ("1.98", "9.91", "5.01"),
            ("0.00", "0.00", "0.05"),
            ("1.00", "0.05", "0.05"),
            // 0.054 / 0.045 = 1.2 (printed 0.05 and 0.05 or 0.04)
            ("1.20", "0.05", "0.04"),
            ("1.20", "0.05", "0.05"),
            // A wall time that may have been 0: anything goes.
            ("7.00", "0.01", "0.00"),
        ] {
            assert_eq!(judge(SPEC, &[&line(b, c, w)]), Ok(()), "{b} {c} {w}");
        }
        let e = judge(SPEC, &[&line("2.00", "0.01", "0.50")]).unwrap_err();
        assert!(e.contains("C / W = 0.01 / 0.50 = 0.020"), "{e}");
        assert!(judge(SPEC, &[&line("1.05", "1.00", "1.00")]).is_err());
    }
}
