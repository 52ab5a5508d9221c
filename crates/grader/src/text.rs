//! How messages quote a run: lines cut short, lists cut after a few items with the rest counted.

use std::fmt::Write as _;

/// Beyond this many offending items a message says "and N more".
pub(crate) const QUOTE_MAX: usize = 3;

/// A line for quoting: cut short when long.
pub(crate) fn cut(s: &str) -> String {
    const MAX: usize = 200;
    if s.len() <= MAX {
        return s.to_string();
    }
    let mut end = MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    crate::say::say!("quote-cut", text = &s[..end], bytes = s.len())
}

/// Items listed in a sentence: `a, b, c` (in Chinese `a、b、c`).
pub(crate) fn list<S: AsRef<str>>(items: &[S]) -> String {
    let sep = crate::say::say!("list-sep");
    items
        .iter()
        .map(|s| s.as_ref())
        .collect::<Vec<_>>()
        .join(&sep)
}

/// Appends " and N more" when `total` items were more than the quoted ones.
pub(crate) fn more(m: &mut String, total: usize) {
    if total > QUOTE_MAX {
        let _ = write!(
            m,
            " {}",
            crate::say::say!("quote-more", count = total - QUOTE_MAX)
        );
    }
}

/// The problems a check found in one run: the first few in words, the rest counted.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    shown: Vec<String>,
    total: usize,
}

impl Problems {
    /// Records a problem; its message is only written if it will be shown.
    pub(crate) fn add(&mut self, message: impl FnOnce() -> String) {
        if self.total < QUOTE_MAX {
            self.shown.push(message());
        }
        self.total += 1;
    }

    /// How many problems were recorded.
    pub(crate) fn total(&self) -> usize {
        self.total
    }

    /// No problem is a pass; else the first few, one per line.
    pub(crate) fn result(self) -> Result<(), String> {
        if self.total == 0 {
            return Ok(());
        }
        let mut m = self.shown.join("\n");
        if self.total > QUOTE_MAX {
            let _ = write!(
                m,
                "\n{}",
                crate::say::say!("problems-more", count = self.total - QUOTE_MAX)
            );
        }
        Err(m)
    }
}

// Text from the port (its lines, stderr, a leftover's command line, thread and file names) is
// shown through these: `visible` for a terminal, `xml_escape` for HTML and XML, `json_safe`
// for JSON. None lets a control character (C0, DEL, C1 such as the CSI U+009B) or a
// bidirectional override through raw.

/// `text` with every control character (C0, DEL, C1) and bidirectional override shown as an
/// escape: `\n`, `\t`, `\r` by name, others as `\xHH` or `\u{HHHH}`, and `\` doubled (a
/// name holding a literal `\x1b` is told apart). One line, for a terminal.
pub(crate) fn visible(text: &str) -> String {
    escape(text, false)
}

/// As [`visible`], but newlines, tabs and backslashes are kept: for a text file or a log read
/// in a terminal.
pub(crate) fn visible_lines(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, keep_lines: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\t' if keep_lines => out.push(c),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x80 && c.is_control() => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_control() || is_bidi_control(c) => {
                let _ = write!(out, "\\u{{{:04x}}}", c as u32);
            }
            '\\' if !keep_lines => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out
}

/// The characters that reorder how a line is displayed ("Trojan Source").
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A control character that is not C0 (DEL, C1) or a bidirectional control: what HTML, XML and
/// JSON would otherwise carry raw.
fn is_hidden(c: char) -> bool {
    matches!(c as u32, 0x7f..=0x9f) || is_bidi_control(c)
}

/// Serialized JSON with every DEL, C1 control and bidirectional control written as a `\uXXXX`
/// escape (they can only stand inside strings there): the same value, nothing a terminal that
/// shows the file obeys.
pub(crate) fn json_safe(json: String) -> String {
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

/// Text safe inside XML content and attribute values; characters XML 1.0 cannot carry at all
/// (most control characters) become U+FFFD.
pub(crate) fn xml_escape(s: &str) -> String {
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

/// Columns a character takes in the monospace font: CJK and other wide characters two.
pub(crate) fn width(c: char) -> usize {
    match c as u32 {
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// Columns `s` takes in a monospace font or a terminal.
pub(crate) fn columns(s: &str) -> usize {
    s.chars().map(width).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

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
