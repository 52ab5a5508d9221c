//! Text that came from a submission (a file name, an output line, a compiler's message), made
//! safe for where it is shown: a terminal or a text file shows control characters as escapes
//! (`\x1b`), so a name cannot clear the screen, move the cursor or write the clipboard (OSC
//! 52); a spreadsheet cell cannot start a formula (OWASP's CSV injection advice: a cell
//! starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`).

pub(crate) use crate::text::{visible, visible_lines};

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
