//! How every report format shows the fence: its line, and the notes of what it refused.

use std::fmt::Write;

use crate::report::Report;
use crate::text::xml_escape;

/// JUnit: `<properties>` with `fence` and one `note` per note.
pub(crate) fn junit_properties(report: &Report, out: &mut String) {
    if report.fence.is_empty() && report.notes.is_empty() {
        return;
    }
    out.push_str("    <properties>\n");
    if !report.fence.is_empty() {
        let _ = writeln!(
            out,
            "      <property name=\"fence\" value=\"{}\"/>",
            xml_escape(&report.fence)
        );
    }
    for note in &report.notes {
        let _ = writeln!(
            out,
            "      <property name=\"note\" value=\"{}\"/>",
            xml_escape(note)
        );
    }
    out.push_str("    </properties>\n");
}

/// Gradescope: the fence line and the notes after the summary of the top-level `output`.
pub(crate) fn gradescope_suffix(report: &Report) -> String {
    let mut s = String::new();
    if !report.fence.is_empty() {
        let _ = write!(s, "\nfence: {}", report.fence);
    }
    for note in &report.notes {
        let _ = write!(s, "\nnote: {note}");
    }
    s
}
