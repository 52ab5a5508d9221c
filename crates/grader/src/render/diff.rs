//! A failing run beside a correct one, as two columns of text.

use std::fmt::Write as _;

use crate::verdict::beside::{REFERENCE_RUN, RunDiff};
use crate::words::terminal::visible;

/// The diff as two columns, `>>` at the first line where they part.
pub(crate) fn diff_text(d: &RunDiff, out: &mut String) {
    const WIDTH: usize = 48;
    let lang = i18n::Lang::current();
    let id = match d.beside == REFERENCE_RUN {
        true => "diff-beside-reference",
        false => "diff-beside-spec",
    };
    let _ = writeln!(out, "{}", i18n::tr!(lang, id, run = d.run));
    // The run's lines escaped, to show a stray \r or tab; the patterns as written.
    let fit = |s: &str, escape: bool| -> String {
        let shown: String = if escape { visible(s) } else { s.to_string() };
        if shown.chars().count() > WIDTH {
            let cut: String = shown.chars().take(WIDTH - 3).collect();
            format!("{cut}...")
        } else {
            shown
        }
    };
    for i in 0..d.lines.len().max(d.correct.len()).min(60) {
        let mark = if d.parts_at == Some(i) { ">>" } else { "  " };
        let left = d.lines.get(i).map(|l| fit(l, true)).unwrap_or_default();
        let right = d
            .correct
            .get(i)
            .map(|l| fit(l, d.beside == REFERENCE_RUN))
            .unwrap_or_default();
        let _ = writeln!(out, "{mark} {:>3}  {left:<WIDTH$} | {right}", i + 1);
    }
}
