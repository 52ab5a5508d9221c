//! Text that came from a submission (a file name, an output line, a compiler's message), made
//! safe for where it is shown: a terminal or a text file shows control characters as escapes
//! (`\x1b`), so a name cannot clear the screen, move the cursor or write the clipboard (OSC
//! 52); a spreadsheet cell cannot start a formula (OWASP's CSV injection advice: a cell
//! starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`).

use std::fmt::Write as _;

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
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A CSV cell as OWASP recommends: a leading `'` when it starts with `=`, `+`, `-`, `@`, tab
/// or carriage return, so that a spreadsheet takes it as text. (Quoting is the CSV writer's.)
pub(crate) fn csv_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
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

    #[test]
    fn formulas_become_text() {
        for (cell, want) in [
            ("=cmd|' /c calc'!A0", "'=cmd|' /c calc'!A0"),
            ("+x", "'+x"),
            ("-x", "'-x"),
            ("@SUM(1+1)", "'@SUM(1+1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("alice", "alice"),
            ("", ""),
        ] {
            assert_eq!(csv_cell(cell), want);
        }
    }
}
