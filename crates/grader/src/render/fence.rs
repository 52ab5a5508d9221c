//! How every report format shows the fence: its line, and the notes of what it refused.

use std::fmt::Write;

use super::markup::xml_escape;
use crate::verdict::report::Report;

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
    let lang = i18n::Lang::current();
    let mut s = String::new();
    if !report.fence.is_empty() {
        let _ = write!(s, "\n{}", fence_said(&report.fence, lang));
    }
    for note in &report.notes {
        let _ = write!(
            s,
            "\n{}",
            i18n::tr!(lang, "report-note", note = note.as_str())
        );
    }
    s
}

/// The fence's status line (`fenced: user+net... namespaces, landlock ..., seccomp ...;
/// missing: ...`, or `not fenced (--no-fence)`) in a few words of `lang`: whether the runs are
/// fenced and whether a part is missing. What stderr says as the runs start.
pub fn fence_short(line: &str, lang: i18n::Lang) -> String {
    if line.starts_with("fenced") {
        match line.contains("; missing:") {
            true => i18n::tr(lang, "grade-fence-partial"),
            false => i18n::tr(lang, "grade-fence-on"),
        }
    } else if line.contains("--no-fence") {
        i18n::tr(lang, "grade-fence-off-asked")
    } else {
        i18n::tr!(lang, "grade-fence-off", why = line)
    }
}

/// The report's fence line: whole in English (`fence: ...`); in another language, its short
/// form (the fence's own words are English).
pub(crate) fn fence_said(fence: &str, lang: i18n::Lang) -> String {
    match lang {
        i18n::Lang::En => format!("fence: {fence}"),
        _ => i18n::tr!(lang, "report-fence", fence = fence_short(fence, lang)),
    }
}
