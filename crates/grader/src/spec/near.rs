//! Near misses: a line that would match a line kind but for whitespace at either end, a `\r`,
//! letter case, missing final punctuation, a byte order mark, a tab for a space, or full-width
//! punctuation (`：` for `:`). Such a line counts as that kind for every check
//! but one: the built-in line format check names the difference, so one small defect fails one
//! check instead of every check that reads that kind.

use std::borrow::Cow;
use std::collections::HashMap;

use super::fault::{Said, said};
use super::lines::LineKind;

/// The final punctuation a line may have dropped.
const PUNCTUATION: [char; 4] = ['.', '!', '?', ':'];

/// How a near miss differs from a line of its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Difference {
    /// Whitespace before the text.
    Leading,
    /// Spaces or tabs after the text.
    Trailing,
    /// A `\r` at the end: a CRLF line end.
    CarriageReturn,
    /// Letters in another case.
    Case,
    /// The final punctuation mark is missing.
    Punctuation(char),
    /// A byte order mark (U+FEFF) before the text.
    Bom,
    /// A tab where the kind has a space.
    Tab,
    /// A full-width mark (`：`, `，`, `（`, `。` ...) where the kind has its ASCII one.
    FullWidth(char),
}

impl Difference {
    /// The difference in words, after "line N".
    pub(crate) fn describe(self) -> Said {
        match self {
            Difference::Leading => said!("near-leading"),
            Difference::Trailing => said!("near-trailing"),
            Difference::CarriageReturn => said!("near-crlf"),
            Difference::Case => said!("near-case"),
            Difference::Punctuation(p) => said!("near-punctuation", mark = p.to_string()),
            Difference::Bom => said!("near-bom"),
            Difference::Tab => said!("near-tab"),
            Difference::FullWidth(c) => said!("near-full-width", mark = c.to_string()),
        }
    }
}

/// A near miss: the kind it would be, its captures, and how it differs.
#[derive(Debug)]
pub(crate) struct NearMatch<'k> {
    pub(crate) kind: usize,
    pub(crate) caps: HashMap<&'k str, String>,
    pub(crate) differences: Vec<Difference>,
}

/// `text` with a leading byte order mark dropped, tabs made spaces and full-width marks made
/// ASCII, and how it was mended (each kind of mending once).
fn mend_chars(text: &str) -> (Cow<'_, str>, Vec<Difference>) {
    let (text, bom) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, vec![Difference::Bom]),
        None => (text, Vec::new()),
    };
    let odd = |c: char| c == '\t' || full_width(c).is_some();
    if !text.contains(odd) {
        return (Cow::Borrowed(text), bom);
    }
    let mut differences = bom;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let d = match (c, full_width(c)) {
            ('\t', _) => {
                out.push(' ');
                Difference::Tab
            }
            (_, Some(ascii)) => {
                out.push(ascii);
                Difference::FullWidth(c)
            }
            _ => {
                out.push(c);
                continue;
            }
        };
        if !differences.contains(&d) {
            differences.push(d);
        }
    }
    (Cow::Owned(out), differences)
}

/// The ASCII mark a full-width punctuation mark stands for (U+FF01..U+FF0F, U+FF1A..U+FF20,
/// U+FF3B..U+FF40, U+FF5B..U+FF5E, the ideographic full stop and space); letters and digits are
/// not marks.
fn full_width(c: char) -> Option<char> {
    match c {
        '\u{3002}' => Some('.'),
        '\u{3000}' => Some(' '),
        '\u{ff01}'..='\u{ff5e}' => {
            let ascii = char::from_u32(c as u32 - 0xfee0)?;
            ascii.is_ascii_punctuation().then_some(ascii)
        }
        _ => None,
    }
}

/// `text` as a near miss of a kind (None when it matches one exactly); the first kind in file order that
/// matches the mended text, mending as little as possible.
pub(crate) fn near_match<'k>(kinds: &'k [LineKind], text: &str) -> Option<NearMatch<'k>> {
    if kinds.iter().any(|k| k.regex.is_match(text)) {
        return None;
    }
    let (text, chars) = mend_chars(text);
    let text = text.as_ref();
    let core = text.trim();
    let mut spacing = Vec::new();
    if core.len() + (text.len() - text.trim_start().len()) < text.len() {
        let tail = &text[text.trim_end().len()..];
        if tail.ends_with('\r') {
            spacing.push(Difference::CarriageReturn);
        }
        if tail.trim_end_matches('\r').chars().any(char::is_whitespace) {
            spacing.push(Difference::Trailing);
        }
    }
    if text.trim_start().len() < text.len() {
        spacing.insert(0, Difference::Leading);
    }
    spacing.splice(0..0, chars);
    let mut mended: Vec<(Cow<str>, Option<char>)> = vec![(Cow::Borrowed(core), None)];
    if !core.ends_with(PUNCTUATION) {
        mended.extend(
            PUNCTUATION
                .iter()
                .map(|p| (Cow::Owned(format!("{core}{p}")), Some(*p))),
        );
    }
    for case in [false, true] {
        for (candidate, punct) in &mended {
            if !case && punct.is_none() && spacing.is_empty() {
                // The line itself: it matched nothing already.
                continue;
            }
            for (k, kind) in kinds.iter().enumerate() {
                let regex = if case { &kind.loose } else { &kind.regex };
                let Some(m) = regex.captures(candidate) else {
                    continue;
                };
                let caps = kind
                    .captures
                    .iter()
                    .filter_map(|c| Some((c.as_str(), m.name(c)?.as_str().to_string())))
                    .collect();
                let mut differences = spacing.clone();
                if case {
                    differences.push(Difference::Case);
                }
                if let Some(p) = punct {
                    differences.push(Difference::Punctuation(*p));
                }
                return Some(NearMatch {
                    kind: k,
                    caps,
                    differences,
                });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::lines::line_kinds;
    use crate::spec::raw::RawSpec;

    fn kinds() -> Vec<LineKind> {
        let text = "name = \"t\"\n[[line]]\nname = \"task\"\npattern = 'Task (?<i>\\d+) done\\.'\n";
        let raw: RawSpec = toml::from_str(text).expect("toml");
        line_kinds(&raw.line, text, "t").expect("kinds")
    }

    fn diffs(text: &str) -> Option<Vec<Difference>> {
        near_match(&kinds(), text).map(|m| m.differences)
    }

    #[test]
    fn each_difference_is_named() {
        use Difference::*;
        assert_eq!(diffs("Task 1 done.\r"), Some(vec![CarriageReturn]));
        assert_eq!(diffs("Task 1 done. "), Some(vec![Trailing]));
        assert_eq!(diffs("  Task 1 done."), Some(vec![Leading]));
        assert_eq!(diffs("task 1 DONE."), Some(vec![Case]));
        assert_eq!(diffs("Task 1 done"), Some(vec![Punctuation('.')]));
        assert_eq!(
            diffs(" task 1 done \r"),
            Some(vec![
                Leading,
                CarriageReturn,
                Trailing,
                Case,
                Punctuation('.')
            ])
        );
        assert_eq!(diffs("\u{feff}Task 1 done."), Some(vec![Bom]));
        assert_eq!(diffs("Task\t1 done."), Some(vec![Tab]));
        assert_eq!(
            diffs("Task 1 done\u{3002}"),
            Some(vec![FullWidth('\u{3002}')])
        );
        assert_eq!(
            diffs("Task 1 done\u{ff0e}"),
            Some(vec![FullWidth('\u{ff0e}')])
        );
        assert_eq!(
            diffs("Task \u{ff11} done."),
            None,
            "a full-width digit is no mark"
        );
        assert_eq!(diffs("Task one done."), None);
        assert_eq!(diffs("Task 1 done."), None, "an exact line is no near miss");
    }

    #[test]
    fn captures_come_from_the_mended_line() {
        let kinds = kinds();
        let m = near_match(&kinds, "Task 07 done\r").expect("near miss");
        assert_eq!(m.kind, 0);
        assert_eq!(m.caps.get("i").map(String::as_str), Some("07"));
    }
}
