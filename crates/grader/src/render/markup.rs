//! Text for HTML, SVG, XML and JSON: markup characters as entities, characters XML cannot
//! carry as U+FFFD, and (as the terminal's escaper does) C1 and bidirectional controls shown,
//! not obeyed. (A terminal's text is `terminal`'s.)

use std::fmt::Write as _;

use crate::words::terminal::is_bidi_control;

/// A control character that is not C0 (DEL, C1) or a bidirectional control: what HTML, XML and
/// JSON would otherwise carry raw.
fn is_hidden(c: char) -> bool {
    matches!(c as u32, 0x7f..=0x9f) || is_bidi_control(c)
}

/// Text safe inside XML content and attribute values; characters XML 1.0 cannot carry at all
/// (most control characters) become U+FFFD.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Escaped so attribute values keep their line breaks.
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            // Shown, not obeyed: a browser would reorder the text by a bidi override.
            c if is_hidden(c) => {
                let _ = write!(out, "\\u{{{:04x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// Serialized JSON with every DEL, C1 control and bidirectional control written as a `\uXXXX`
/// escape (they can only stand inside strings there): the same value, nothing a terminal that
/// shows the file obeys.
pub fn json_safe(json: String) -> String {
    if !json.chars().any(is_hidden) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_hidden(c) {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::terminal::visible;

    #[test]
    fn c1_and_bidi_controls_are_shown_in_every_escaper() {
        let hostile = "a\u{9b}31m\u{202e}b\u{2066}\u{7f}";
        assert_eq!(visible(hostile), "a\\u{009b}31m\\u{202e}b\\u{2066}\\x7f");
        assert_eq!(
            xml_escape(hostile),
            "a\\u{009b}31m\\u{202e}b\\u{2066}\\u{007f}"
        );
        let json = serde_json::to_string(hostile).expect("json");
        let safe = json_safe(json);
        assert!(!safe.chars().any(is_hidden), "{safe}");
        let back: String = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back, hostile, "the same value");
    }
}
