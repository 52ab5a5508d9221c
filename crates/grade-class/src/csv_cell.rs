//! A spreadsheet cell from a submission's text: it cannot start a formula (OWASP's CSV
//! injection advice: a cell starting with `=`, `+`, `-`, `@`, tab or carriage return gets a
//! leading `'`). Text for the terminal is `grader::visible`'s.

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
