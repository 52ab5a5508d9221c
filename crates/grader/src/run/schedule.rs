//! A run's explored schedule as text: the choices that differ from the defaults, by decision
//! number (`DECISION:TASK,...`), as `grade explore` prints it and `--schedule` replays it.

use tracer::{Choice, Decision};

/// The string of a schedule: `DECISION:TASK` pairs joined by commas (`3:1,7:2.1`), or `none`.
pub(crate) fn schedule_string(choices: &[(usize, Choice)]) -> String {
    if choices.is_empty() {
        return "none".to_string();
    }
    choices
        .iter()
        .map(|(i, c)| format!("{i}:{c}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads a schedule string (see [`schedule_string`]); the message says what is wrong.
pub(crate) fn parse_schedule(text: &str) -> Result<Vec<(usize, Choice)>, String> {
    let text = text.trim();
    if text.is_empty() || text == "none" {
        return Ok(Vec::new());
    }
    let mut out: Vec<(usize, Choice)> = Vec::new();
    for part in text.split(',') {
        let (i, c) = part
            .trim()
            .split_once(':')
            .ok_or_else(|| part.to_string())?;
        let i: usize = i.trim().parse().map_err(|_| part.to_string())?;
        let c = c.trim();
        let label = !c.is_empty()
            && c.split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        if !label || out.iter().any(|(j, _)| *j == i) {
            return Err(part.to_string());
        }
        out.push((i, c.to_string()));
    }
    out.sort_by_key(|(i, _)| *i);
    Ok(out)
}

/// The decisions of a run that chose among options (a park ended by its valve chose nothing).
pub(crate) fn choice_points(decisions: &[Decision]) -> Vec<&Decision> {
    decisions.iter().filter(|d| !d.options.is_empty()).collect()
}

/// A run's schedule as the choices that differ from the defaults.
pub(crate) fn deviations(decisions: &[Decision]) -> Vec<(usize, Choice)> {
    choice_points(decisions)
        .iter()
        .enumerate()
        .filter(|(_, d)| d.chosen != d.default)
        .map(|(i, d)| (i, d.chosen.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_strings_round_trip_and_bad_ones_are_refused() {
        let s = vec![
            (3, "1".to_string()),
            (7, "0".to_string()),
            (9, "2.1".into()),
        ];
        assert_eq!(schedule_string(&s), "3:1,7:0,9:2.1");
        assert_eq!(parse_schedule("3:1, 7:0,9:2.1"), Ok(s));
        assert_eq!(parse_schedule("none"), Ok(Vec::new()));
        assert_eq!(schedule_string(&[]), "none");
        for bad in ["3", "x:1", "3:a", "3:1,3:2", "3:1.", "-1:1", "3:-"] {
            assert!(parse_schedule(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn deviations_are_the_choices_off_the_default() {
        let d = |options: &[&str], chosen: &str, default: &str| Decision {
            options: options.iter().map(|s| s.to_string()).collect(),
            stops: Vec::new(),
            chosen: chosen.into(),
            at: String::new(),
            current: None,
            default: default.into(),
            preempts: false,
            forced: false,
        };
        let run = [
            d(&["0", "1"], "0", "0"),
            d(&[], "1", "1"),
            d(&["0", "2"], "2", "0"),
            d(&["1"], "1", "1"),
        ];
        assert_eq!(deviations(&run), [(1, "2".to_string())]);
    }
}
