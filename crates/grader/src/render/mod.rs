//! The report's renderings, and how text reaches its reader.
//!
//! [`Report::render`] gives the report in a [`Format`]: `text` for a person, `formats` for
//! machines (JSON, JUnit, a Gradescope body), `html` for a page (with a run's timeline);
//! `confidence` (a likely check's tag) and `fence` (the fence's line) serve them. Every text is
//! escaped once for where it is shown: `terminal` (control characters as `\x1b`) and `markup`
//! (HTML, SVG and XML).

pub(crate) mod confidence;
mod diff;
pub(crate) mod fence;
mod formats;
pub(crate) mod html;
pub(crate) mod markup;
mod text;

use crate::verdict::report::Report;

/// A report format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For a person: [`Report::text`].
    Text,
    /// For tools: [`Report::json`].
    Json,
    /// For CI: [`Report::junit`].
    Junit,
    /// For Gradescope: [`Report::gradescope`].
    Gradescope,
}

impl Report {
    /// The report in a format; `color` applies to text only (ANSI colors for a terminal).
    pub fn render(&self, format: Format, color: bool) -> String {
        match format {
            Format::Text => self.text(color),
            Format::Json => self.json(),
            Format::Junit => self.junit(),
            Format::Gradescope => self.gradescope(),
        }
    }
}
