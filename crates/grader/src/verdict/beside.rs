//! A failing run beside a correct one: the data a report carries (its two-column text is
//! `render::diff`'s).

use serde::{Deserialize, Serialize};

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
