//! A failing run beside a correct one: the data a report carries and its two-column text.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::render::terminal::visible;

/// A failing run's lines beside a correct run's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunDiff {
    /// The failing run's number, from 1.
    pub run: usize,
    /// What the right column is: "the reference run" or "the spec's line kinds".
    pub beside: String,
    /// The failing run's stdout lines.
    pub lines: Vec<String>,
    /// The correct run's lines (a reference run's), or the spec's line patterns in order.
    pub correct: Vec<String>,
    /// The index (from 0) of the first line where the two part, when they do.
    pub parts_at: Option<usize>,
}

/// [`RunDiff::beside`] when the right column is a reference program's run.
pub(crate) const REFERENCE_RUN: &str = "the reference run";

impl RunDiff {
    /// The diff as two columns, `>>` at the first line where they part.
    pub(crate) fn render(&self, out: &mut String) {
        let d = self;
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
}
