//! The checks every run gets, whatever the spec: how the main process ended, the timeout, the
//! output limit, processes left behind, and every stdout line matching a pattern.

use crate::outcome::writer::Tracing;
use crate::outcome::{Exit, Line, RunOutcome};
use crate::spec::Spec;
use crate::spec::fault::{Arg, Fault, Problems, Said, said};
use crate::spec::near::Difference;
use crate::spec::rule::Classified;
use crate::words::terminal::visible;
use crate::words::text::cut;

/// The built-in check that the main process exits with status 0.
pub const EXIT_CHECK: &str = "exits with status 0";
/// The built-in check that a run ends before `--timeout`.
pub const TIMEOUT_CHECK: &str = "finishes within the timeout";
/// The built-in check that stdout and stderr stay under the output cap.
pub const OUTPUT_LIMIT_CHECK: &str = "output stays under the limit";
/// The built-in check that a traced run's trace accounts for every byte of stdout: a byte it
/// cannot attribute would leave every check that needs the trace unable to judge the run.
pub const TRACE_CHECK: &str = "the trace accounts for stdout";
/// The built-in check that no process of the port outlives its main process.
pub const LEFT_BEHIND_CHECK: &str = "leaves no process behind";
/// The built-in check that every stdout line matches one of the spec's line kinds.
pub const LINES_CHECK: &str = "every line matches a pattern";
/// The built-in check that no line is a near miss (stray spaces, `\r`, letter case, missing
/// final punctuation), which every other check takes as a line of its kind.
pub const FORMAT_CHECK: &str = "line format";

/// Longer lines are not searched for two lines run together, and are quoted cut short.
const SPLIT_MAX: usize = 512;

/// A built-in check of one run.
pub(crate) struct RunCheck {
    pub(crate) name: &'static str,
    pub(crate) judge: fn(&Spec, &RunOutcome, &[Classified]) -> Result<(), Fault>,
    /// It judges stdout's lines: a run without any does not reach it.
    pub(crate) needs_lines: bool,
}

/// The built-in checks, in report order.
pub(crate) const RUN_CHECKS: [RunCheck; 7] = [
    RunCheck {
        name: EXIT_CHECK,
        judge: check_exit,
        needs_lines: false,
    },
    RunCheck {
        name: TIMEOUT_CHECK,
        judge: check_timeout,
        needs_lines: false,
    },
    RunCheck {
        name: OUTPUT_LIMIT_CHECK,
        judge: check_output_limit,
        needs_lines: false,
    },
    RunCheck {
        name: TRACE_CHECK,
        judge: check_trace,
        needs_lines: false,
    },
    RunCheck {
        name: LEFT_BEHIND_CHECK,
        judge: check_left_behind,
        needs_lines: false,
    },
    RunCheck {
        name: LINES_CHECK,
        judge: check_lines,
        needs_lines: true,
    },
    RunCheck {
        name: FORMAT_CHECK,
        judge: check_format,
        needs_lines: true,
    },
];

fn check_exit(_: &Spec, run: &RunOutcome, _: &[Classified]) -> Result<(), Fault> {
    let what = match run.exit {
        Some(Exit::Code(0)) => return Ok(()),
        Some(Exit::Code(c)) => said!("exit-status", code = c.to_string()),
        Some(Exit::Signal(s)) => said!("exit-signal", signal = s.to_string()),
        None => said!("exit-killed"),
    };
    let tail: Vec<&str> = run.stderr_tail.lines().collect();
    let tail = &tail[tail.len().saturating_sub(5)..];
    if tail.is_empty() {
        Err(said!("exit-stderr-empty", what = what).into())
    } else {
        let mut fault = Fault::from(said!("exit-stderr-tail", what = what));
        fault.stderr = tail.iter().map(|l| visible(&cut(l))).collect();
        Err(fault)
    }
}

fn check_timeout(_: &Spec, run: &RunOutcome, _: &[Classified]) -> Result<(), Fault> {
    if run.timed_out {
        Err(said!(
            "timeout",
            seconds = format!("{:.1}", run.elapsed.as_secs_f64())
        )
        .into())
    } else {
        Ok(())
    }
}

fn check_output_limit(_: &Spec, run: &RunOutcome, _: &[Classified]) -> Result<(), Fault> {
    if run.output_limit_hit {
        Err(said!("output-limit", lines = run.lines.len()).into())
    } else {
        Ok(())
    }
}

fn check_trace(_: &Spec, run: &RunOutcome, _: &[Classified]) -> Result<(), Fault> {
    match &run.tracing {
        // Past the limit the tracer stops keeping bytes: the output limit check fails for it.
        Tracing::Incomplete(_) if run.output_limit_hit => Ok(()),
        Tracing::Incomplete(why) => Err(said!("trace-incomplete", why = why.as_str()).into()),
        // Off (--no-trace) or refused by the system: those checks are "not checked".
        Tracing::On | Tracing::Off | Tracing::Refused(_) => Ok(()),
    }
}

fn check_left_behind(_: &Spec, run: &RunOutcome, _: &[Classified]) -> Result<(), Fault> {
    if run.left_behind.is_empty() {
        return Ok(());
    }
    let n = run.left_behind.len();
    let shown = run.left_behind.iter().map(|p| {
        said!(
            "left-behind-pid",
            pid = p.pid.to_string(),
            cmdline = visible(&cut(&p.cmdline))
        )
    });
    Err(said!("left-behind", count = n, list = Arg::few(shown, n)).into())
}

fn check_lines(spec: &Spec, run: &RunOutcome, classified: &[Classified]) -> Result<(), Fault> {
    let matches = |s: &str| spec.lines.iter().any(|k| k.regex.is_match(s));
    let mut problems = Problems::default();
    let mut known = classified.iter().map(|c| c.number).peekable();
    for (i, line) in run.lines.iter().enumerate() {
        // A near miss is a line of its kind here: the format check speaks of it.
        if known.next_if_eq(&(i + 1)).is_some() {
            continue;
        }
        let n = i + 1;
        let text = &line.text;
        // Only the lines quoted are searched for the cause: a flood of bad lines stays cheap.
        problems.add(|| {
            if !line.utf8 {
                said!("line-not-utf8", n = Arg::LineNo(n), text = Arg::quote(text))
            } else if let Some((a, b)) = run_together(text, &matches) {
                said!(
                    "line-run-together",
                    n = Arg::LineNo(n),
                    text = Arg::quote(text),
                    first = format!("{a:?}"),
                    second = format!("{b:?}")
                )
            } else if let Some(prefix) = cut_in_two(text, run.lines.get(i + 1), &matches) {
                said!(
                    "line-cut-in-two",
                    n = Arg::LineNo(n),
                    text = Arg::quote(text),
                    prefix = format!("{prefix:?}"),
                    next = Arg::LineNo(n + 1)
                )
            } else {
                said!(
                    "line-no-pattern",
                    n = Arg::LineNo(n),
                    text = Arg::quote(text)
                )
            }
        });
    }
    problems.result()
}

fn check_format(spec: &Spec, run: &RunOutcome, classified: &[Classified]) -> Result<(), Fault> {
    let near: Vec<&Classified> = classified.iter().filter(|c| !c.near.is_empty()).collect();
    // The last line's missing newline is named once, the line judged as if it had one.
    let unterminated = run
        .unterminated
        .then(|| {
            let (n, last) = run.lines.iter().enumerate().max_by_key(|(_, l)| l.at)?;
            // A writer killed mid-line (a terminated Queue reader) did not choose to stop there.
            let killed = last.writer.is_some_and(|w| {
                run.tasks
                    .iter()
                    .any(|t| t.pid == w.pid && t.tid == w.pid && t.exit_code.is_some_and(|c| c < 0))
            });
            if killed {
                return None;
            }
            Some(said!(
                "format-no-newline",
                n = Arg::LineNo(n + 1),
                text = Arg::quote(&last.text)
            ))
        })
        .flatten();
    let Some(first) = near.first() else {
        return unterminated.map_or(Ok(()), |u| Err(u.into()));
    };
    // One defect on every line is said once: "every line ends with \r\n".
    if near.len() == run.lines.len()
        && near.len() > 1
        && let [d] = first.near.as_slice()
        && near.iter().all(|c| c.near == first.near)
    {
        return Err(said!(
            "format-every-line",
            what = d.describe(),
            quote = quote_near(spec, first),
            advice = advice(*d)
        )
        .into());
    }
    let mut problems = Problems::default();
    if let Some(u) = unterminated {
        problems.add(|| u);
    }
    for c in &near {
        problems.add(|| {
            let said = Arg::list(c.near.iter().map(|d| d.describe()));
            said!(
                "format-line",
                n = Arg::LineNo(c.number),
                what = said,
                quote = quote_near(spec, c)
            )
        });
    }
    problems.result()
}

/// A near miss quoted with the kind it otherwise is.
fn quote_near(spec: &Spec, c: &Classified) -> Said {
    said!(
        "format-otherwise",
        text = Arg::quote(c.text),
        kind = spec.lines[c.kind].name.as_str()
    )
}

fn advice(d: Difference) -> Option<Said> {
    match d {
        Difference::CarriageReturn => Some(said!("format-advice-crlf")),
        _ => None,
    }
}

/// `text` as two whole expected lines with no newline between them.
fn run_together<'t>(text: &'t str, matches: &dyn Fn(&str) -> bool) -> Option<(&'t str, &'t str)> {
    if text.len() > SPLIT_MAX {
        return None;
    }
    text.char_indices()
        .skip(1)
        .map(|(k, _)| text.split_at(k))
        .find(|(a, b)| matches(a) && matches(b))
}

/// `text` as the start of one expected line, then a whole other line, the first one's rest being
/// the next line: what a line written in two calls looks like when another process wrote between.
fn cut_in_two<'t>(
    text: &'t str,
    next: Option<&Line>,
    matches: &dyn Fn(&str) -> bool,
) -> Option<&'t str> {
    let next = next?;
    if text.len() > SPLIT_MAX || !next.utf8 {
        return None;
    }
    text.char_indices()
        .skip(1)
        .map(|(k, _)| text.split_at(k))
        .find(|(a, b)| matches(b) && matches(&format!("{a}{}", next.text)))
        .map(|(a, _)| a)
}

/// A built-in check's name in `lang` when it is not English (from the catalogue).
pub(crate) fn title(name: &str, lang: i18n::Lang) -> Option<String> {
    let id = match name {
        EXIT_CHECK => "check-exit",
        TIMEOUT_CHECK => "check-timeout",
        OUTPUT_LIMIT_CHECK => "check-output-limit",
        TRACE_CHECK => "check-trace",
        LEFT_BEHIND_CHECK => "check-left-behind",
        LINES_CHECK => "check-lines",
        FORMAT_CHECK => "check-format",
        _ => return None,
    };
    (lang != i18n::Lang::En).then(|| i18n::tr(lang, id))
}
