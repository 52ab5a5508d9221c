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
pub fn list<S: AsRef<str>>(items: &[S]) -> String {
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
