//! The first failing run beside a correct one, for the text report: a reference program's run
//! when one was given, else the spec's line kinds in order, with the first line where they part.

use crate::outcome::RunOutcome;
use crate::spec::Spec;
use crate::spec::rule::classify;
use crate::verdict::beside::{REFERENCE_RUN, RunDiff};
use crate::verdict::report::{CheckReport, CheckStatus};

/// The diff of the first failing run, if any run failed one of `checks` (settled: each with its
/// status over all the runs).
pub(crate) fn first_failing(
    spec: &Spec,
    checks: &[CheckReport],
    runs: &[RunOutcome],
    reference: Option<&RunOutcome>,
) -> Option<RunDiff> {
    let failed = checks
        .iter()
        .filter(|c| c.status == CheckStatus::Failed)
        .flat_map(|c| c.failures.first())
        .min_by_key(|f| f.run)?;
    let run = runs.iter().find(|r| r.run == failed.run)?;
    let lines: Vec<String> = run.lines.iter().map(|l| l.text.clone()).collect();
    let kinds_of = |r: &RunOutcome| -> Vec<Option<usize>> {
        let classified = classify(&spec.lines, &r.lines);
        let mut kinds = vec![None; r.lines.len()];
        for c in classified.iter().filter(|c| c.near.is_empty()) {
            kinds[c.number - 1] = Some(c.kind);
        }
        kinds
    };
    let ours = kinds_of(run);
    let (beside, correct, parts_at) = match reference {
        Some(good) => {
            let theirs = kinds_of(good);
            // Lines are compared by kind: pids and times differ from run to run.
            let parts = (0..ours.len().max(theirs.len())).find(|&i| {
                ours.get(i).copied().flatten().is_none() || ours.get(i) != theirs.get(i)
            });
            let correct = good.lines.iter().map(|l| l.text.clone()).collect();
            (REFERENCE_RUN.to_string(), correct, parts)
        }
        None => {
            // No correct run to compare: the first line of no kind, else the first line the
            // first failing check of this run quotes.
            let quoted = checks
                .iter()
                .filter_map(|c| c.failures.iter().find(|f| f.run == failed.run))
                .find_map(|f| quoted_line(&f.message));
            let parts = ours
                .iter()
                .position(Option::is_none)
                .or(quoted.map(|n| n.saturating_sub(1)));
            let correct = spec
                .lines
                .iter()
                .map(|k| format!("{}: {}", k.name, pattern(k.regex.as_str())))
                .collect();
            ("the spec's line kinds".to_string(), correct, parts)
        }
    };
    Some(RunDiff {
        run: failed.run,
        beside,
        lines,
        correct,
        parts_at,
    })
}

/// A kind's pattern as the spec wrote it (without the anchors added when it was read).
fn pattern(anchored: &str) -> &str {
    anchored
        .strip_prefix("^(?:")
        .and_then(|s| s.strip_suffix(")$"))
        .unwrap_or(anchored)
}

/// The first "line N" a message quotes.
fn quoted_line(message: &str) -> Option<usize> {
    message.split("line ").skip(1).find_map(|rest| {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_quoted_line_number_is_found() {
        assert_eq!(quoted_line(r#"line 3 "x" comes before line 1"#), Some(3));
        assert_eq!(quoted_line("the first line is line 12 \"a\""), Some(12));
        assert_eq!(quoted_line("no output"), None);
        assert_eq!(pattern("^(?:a\\.)$"), "a\\.");
    }
}
