//! How messages quote a run: lines cut short, lists cut after a few items with the rest counted.

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
    crate::words::say::say!("quote-cut", text = &s[..end], bytes = s.len())
}

/// Items listed in a sentence: `a, b, c` (in Chinese `a、b、c`).
pub fn list<S: AsRef<str>>(items: &[S]) -> String {
    let sep = crate::words::say::say!("list-sep");
    items
        .iter()
        .map(|s| s.as_ref())
        .collect::<Vec<_>>()
        .join(&sep)
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
pub fn columns(s: &str) -> usize {
    s.chars().map(width).sum()
}
