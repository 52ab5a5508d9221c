//! Text as the picture draws it: control characters made visible, widths in columns of the
//! monospace font, signal names.

/// A signal's name (`SIGTERM`), or its number.
pub(super) fn signal_name(s: i32) -> String {
    nix::sys::signal::Signal::try_from(s)
        .map(|s| s.as_str().to_string())
        .unwrap_or_else(|_| format!("signal {s}"))
}

/// The text as drawn: a `\r` shown as ␍, a tab as a space, other control characters as �.
pub(super) fn visible(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\r' => '␍',
            '\t' => ' ',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect()
}

pub(super) use crate::words::text::{columns, width};

/// The first `cols` columns of `s`, with … when cut.
pub(super) fn cut_columns(s: &str, cols: usize) -> String {
    if columns(s) <= cols {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        if used + width(c) + 1 > cols {
            break;
        }
        used += width(c);
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_text_is_cut_by_columns() {
        assert_eq!(columns("进程ab"), 6);
        assert_eq!(cut_columns("进程与线程", 5), "进程…");
        assert_eq!(cut_columns("abc", 5), "abc");
        assert_eq!(visible("a\r\tb"), "a␍ b");
        assert_eq!(signal_name(15), "SIGTERM");
    }
}
