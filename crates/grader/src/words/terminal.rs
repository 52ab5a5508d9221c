//! Text for a terminal or a text file read in one: control characters shown as escapes
//! (`\x1b`), so that text from a port or a submission (an output line, its stderr, a leftover's
//! command line, a thread or file name, a compiler's message) cannot clear the screen, move the
//! cursor or write the clipboard (OSC 52), and bidirectional overrides shown too, so that it
//! cannot reorder what is displayed. (HTML, XML and JSON are `markup`'s.)

use std::fmt::Write as _;

/// `text` with every control character (C0, DEL, C1) and bidirectional override shown as an
/// escape: `\n`, `\t`, `\r` by name, others as `\xHH` or `\u{HHHH}`, and `\` doubled (a
/// name holding a literal `\x1b` is told apart). One line, for a terminal.
pub fn visible(text: &str) -> String {
    escape(text, false)
}

/// As [`visible`], but newlines, tabs and backslashes are kept: for a text file or a log read
/// in a terminal.
pub fn visible_lines(text: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_sent() {
        let osc52 = "a\x1b]52;c;ZXZpbA==\x07b";
        assert_eq!(visible(osc52), "a\\x1b]52;c;ZXZpbA==\\x07b");
        assert_eq!(visible("x\ny\tz\r"), "x\\ny\\tz\\r");
        assert_eq!(visible_lines("x\ny\tz\x1b[2J"), "x\ny\tz\\x1b[2J");
        assert_eq!(visible("\u{9b}2J \u{202e}cba"), "\\u{009b}2J \\u{202e}cba");
        assert_eq!(
            visible("a\\x1b"),
            "a\\\\x1b",
            "a real backslash is told apart"
        );
        assert_eq!(visible("plain name é"), "plain name é");
    }
}
