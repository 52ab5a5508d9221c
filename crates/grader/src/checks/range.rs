//! `range`: a capture's values are numbers within bounds, optionally scaled by the time scale.

use std::sync::Arc;

use toml::Spanned;

use serde::Deserialize;

use crate::words::say::say;
use crate::spec::fault::{Fault, Problems, said};
use crate::spec::fields::{Fields, Res};
use crate::spec::introspect::field_names;
use crate::spec::raw::RawNum;
use crate::spec::rule::{CheckType, Ctx, Rule};
use crate::spec::values::{Num, Real};

pub(super) const TYPES: &[CheckType] = &[CheckType {
    name: "range",
    fields: field_names::<RangeFields>,
    build,
    needs_trace: false,
}];

/// The fields a `range` check takes besides `name`, `type` and `likely`: any other is refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RangeFields {
    line: Option<Spanned<String>>,
    capture: Option<Spanned<String>>,
    min: Option<Spanned<RawNum>>,
    max: Option<Spanned<RawNum>>,
    scaled: Option<Spanned<bool>>,
    slack: Option<Spanned<f64>>,
}

/// Every value of `capture` among `line` lines is a number in `[min - slack, max + slack]`,
/// `min` and `max` first multiplied by the time scale when `scaled` (then, in a shaken run,
/// only at least `min - slack`).
#[derive(Debug)]
struct Range {
    line: usize,
    capture: String,
    min: Real,
    max: Real,
    scaled: bool,
    slack: f64,
}

fn build(f: &Fields<'_>) -> Res<Arc<dyn Rule>> {
    let c: RangeFields = f.read()?;
    let line = f.need_kind(&c.line, "line")?;
    let capture = f.need_capture(line, &c.capture, "capture")?;
    let float = |v: &Option<Spanned<RawNum>>, field: &str| -> Res<Real> {
        match v.as_ref().map(|s| (s.get_ref(), s.span())) {
            Some((RawNum::Int(i), _)) => Ok(Real::Lit(*i as f64)),
            Some((RawNum::Float(x), _)) if x.is_finite() => Ok(Real::Lit(*x)),
            // As every other numeric field: a parameter's name in its place.
            Some((RawNum::Word(w), s)) => match f.param(w, s)? {
                Num::Param(p) => Ok(Real::Param(p)),
                Num::Lit(i) => Ok(Real::Lit(i as f64)),
            },
            Some((_, s)) => Err(f.check_err(s, say!("spec-range-field", field = field))),
            None => Err(f.missing(say!("spec-needs-field", ctype = "range", field = field))),
        }
    };
    let min = float(&c.min, "min")?;
    let max = float(&c.max, "max")?;
    if let (Real::Lit(lo), Real::Lit(hi)) = (&min, &max)
        && lo > hi
    {
        return Err(f.missing(say!("spec-range-order", min = lo.to_string(), max = hi.to_string())));
    }
    let slack = match &c.slack {
        Some(s) if !(s.get_ref().is_finite() && *s.get_ref() >= 0.0) => {
            return Err(f.check_err(s.span(), say!("spec-slack")));
        }
        Some(s) => *s.get_ref(),
        None => 0.0,
    };
    Ok(Arc::new(Range {
        line,
        capture,
        min,
        max,
        scaled: c.scaled.as_ref().is_some_and(|s| *s.get_ref()),
        slack,
    }))
}

fn round(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

impl Rule for Range {
    fn reached(&self, ctx: &Ctx<'_>) -> bool {
        ctx.has_any(&[self.line])
    }

    fn judge(&self, ctx: &Ctx<'_>) -> Result<(), Fault> {
        let (min, max, scaled, slack) =
            (ctx.real(&self.min), ctx.real(&self.max), self.scaled, self.slack);
        let capture = self.capture.as_str();
        let scale = if scaled {
            ctx.params.time_scale()
        } else {
            1.0
        };
        let (lo, hi) = (min * scale - slack, max * scale + slack);
        let how = match (scaled, slack > 0.0) {
            (true, true) => Some(said!(
                "range-scaled-slack",
                min = min.to_string(),
                max = max.to_string(),
                scale = scale.to_string(),
                slack = slack.to_string()
            )),
            (true, false) => Some(said!(
                "range-scaled",
                min = min.to_string(),
                max = max.to_string(),
                scale = scale.to_string()
            )),
            (false, true) => Some(said!(
                "range-slack",
                min = min.to_string(),
                max = max.to_string(),
                slack = slack.to_string()
            )),
            (false, false) => None,
        };
        // A time the port measured itself (`scaled`) includes the holds of a shaken run: there
        // only its lower bound is judged (a hold lengthens a time, never shortens it).
        let held = scaled && ctx.run.shaken();
        let mut problems = Problems::default();
        for l in ctx.of_kind(self.line) {
            let v = l.cap(capture);
            match v.parse::<f64>() {
                Ok(x) if x >= lo && (x <= hi || held) => {}
                Ok(_) => problems.add(|| {
                    said!(
                        "range-outside",
                        line = l.quote(),
                        capture = capture,
                        value = v,
                        lo = round(lo).to_string(),
                        hi = round(hi).to_string(),
                        how = how.clone()
                    )
                }),
                Err(_) => {
                    problems.add(|| {
                        said!(
                            "range-not-number",
                            line = l.quote(),
                            capture = capture,
                            value = format!("{v:?}")
                        )
                    })
                }
            }
        }
        problems.result()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{judge, judge_run, judge_scaled, spec};

    fn with(fields: &str) -> String {
        format!(
            "name = \"t\"\n[[line]]\nname = \"took\"\npattern = 'Took (?<s>\\S+) s'\n[[check]]\nname = \"c\"\ntype = \"range\"\nline = \"took\"\ncapture = \"s\"\n{fields}\n"
        )
    }

    #[test]
    fn scaled_bounds_follow_the_time_scale() {
        let s = with("min = 1\nmax = 2\nscaled = true\nslack = 0.05");
        assert_eq!(judge_scaled(&s, &["Took 0.15 s"], 0.1), Ok(()));
        let e = judge_scaled(&s, &["Took 1.5 s"], 0.1).unwrap_err();
        assert_eq!(e, r#"line 1 "Took 1.5 s" has s = 1.5, outside [0.05, 0.25] ([1, 2] x time scale 0.1, +/- slack 0.05)"#);
    }

    #[test]
    fn a_shaken_run_judges_a_scaled_time_from_below_only() {
        use crate::outcome::{Line, RunOutcome};
        let run = |text: &str, shake_seed| RunOutcome {
            lines: vec![Line {
                text: text.into(),
                utf8: true,
                at: std::time::Duration::ZERO,
                writer: None,
            }],
            shake_seed,
            ..RunOutcome::default()
        };
        let s = with("min = 1\nmax = 2\nscaled = true\nslack = 0.5");
        // Held at its sleep while another task slept: longer than the port's own sleep.
        assert_eq!(judge_run(&s, &run("Took 4.1 s", Some(7))), Ok(()));
        assert!(judge_run(&s, &run("Took 4.1 s", None)).is_err());
        assert!(judge_run(&s, &run("Took 0.2 s", Some(7))).is_err());
        let unscaled = with("min = 1\nmax = 2");
        assert!(judge_run(&unscaled, &run("Took 4.1 s", Some(7))).is_err());
    }

    #[test]
    fn a_value_that_is_no_number_fails() {
        let e = judge(&with("min = 0\nmax = 1"), &["Took x s"]).unwrap_err();
        assert_eq!(e, r#"line 1 "Took x s" has s = "x", not a number"#);
    }

    #[test]
    fn reading_checks_the_bounds() {
        let e = spec(&with("min = 2\nmax = 1")).unwrap_err();
        assert!(e.contains("`min` 2 is above `max` 1"), "{e}");
        let e = spec(&with("min = 0\nmax = 1\nslack = -1.0")).unwrap_err();
        assert!(e.contains("`slack` must be a number >= 0"), "{e}");
        let e = spec(&with("min = 0")).unwrap_err();
        assert!(e.contains("a `range` check needs `max`"), "{e}");
    }
}
