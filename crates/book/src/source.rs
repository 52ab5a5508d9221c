//! A source file read line by line: each line's text without its alignment tag, the tag
//! (`# [N]` in Python, `// [N]` in Rust, at the end of the line), and its comments told apart.
//! A tag alone on its line tags the line above it: rustfmt moves a comment that ends a line
//! opening a block or a call (`if pid == 0 { // [3]`) onto a line of its own. A tag on a
//! line that continues a method chain (`.unwrap_or_else(...); // [4]`, as rustfmt splits a long
//! chain) tags the line the chain starts on.

use std::path::Path;

use crate::error::{Error, Result};

/// Which language a source is in: it decides the comment and tag syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// `#` comments, `# [N]` tags.
    Python,
    /// `//` comments, `// [N]` tags.
    Rust,
}

impl Language {
    /// The comment leader: `#` or `//`.
    pub fn comment(self) -> &'static str {
        match self {
            Language::Python => "#",
            Language::Rust => "//",
        }
    }
}

/// One line of a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number in the file.
    pub number: usize,
    /// The code part (no tag, no trailing comment), trailing spaces removed; on a line that is
    /// only a comment, the comment's indentation.
    pub code: String,
    /// The comment on the line, leader included (`# 子进程要执行的代码`), if any.
    pub comment: Option<String>,
    /// The alignment tag `N` of `# [N]` / `// [N]`, if the line has one.
    pub tag: Option<u32>,
}

/// A whole source file, tags taken off.
#[derive(Debug, Clone)]
pub struct Source {
    /// Its language.
    pub language: Language,
    /// Every line, in order (lines of the `// [book]` header left out).
    pub lines: Vec<Line>,
}

/// The header lines the book reads and does not show.
pub const HEADER: &str = "// [book]";
/// The comment that introduces the header (not shown either).
const HEADER_NOTE: &str = "// The book (crates/book)";

impl Source {
    /// Reads `path` as `language`. Errors: the file cannot be read.
    pub fn read(path: &Path, language: Language) -> Result<Source> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Ok(Source::parse(&text, language))
    }

    /// Parses `text` as `language`.
    pub fn parse(text: &str, language: Language) -> Source {
        let mut lines: Vec<Line> = Vec::new();
        let numbered = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.starts_with(HEADER) && !l.starts_with(HEADER_NOTE))
            .map(|(i, l)| split_line(i + 1, l, language));
        for line in numbered {
            let alone = line.code.trim().is_empty() && line.comment.is_none() && line.tag.is_some();
            match lines.last_mut() {
                Some(above) if alone && above.tag.is_none() => above.tag = line.tag,
                _ => lines.push(line),
            }
        }
        chain_tags_to_their_start(&mut lines);
        Source { language, lines }
    }

    /// The tags in file order, each with the index (into `lines`) of its line.
    pub fn tags(&self) -> Vec<(u32, usize)> {
        self.lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| l.tag.map(|t| (t, i)))
            .collect()
    }
}

/// Moves each tag on a `.method()` continuation line up to the line its chain starts on.
fn chain_tags_to_their_start(lines: &mut [Line]) {
    for i in 0..lines.len() {
        if lines[i].tag.is_none() || !lines[i].code.trim_start().starts_with('.') {
            continue;
        }
        let start = (0..i)
            .rev()
            .find(|&k| !lines[k].code.trim_start().starts_with('.'));
        if let Some(k) = start.filter(|&k| lines[k].tag.is_none()) {
            lines[k].tag = lines[i].tag.take();
        }
    }
}

/// Splits one line into code, comment and tag.
fn split_line(number: usize, text: &str, language: Language) -> Line {
    let (rest, tag) = take_tag(text.trim_end(), language);
    let (code, comment) = match comment_start(rest, language) {
        // A comment on a line of its own keeps its indentation as the line's code.
        Some(at) => (
            match rest[..at].trim_end() {
                "" => rest[..at].to_string(),
                code => code.to_string(),
            },
            Some(rest[at..].trim_end().to_string()),
        ),
        None => (rest.to_string(), None),
    };
    Line {
        number,
        code,
        comment,
        tag,
    }
}

/// Takes a trailing `# [N]` / `// [N]` off `text`.
fn take_tag(text: &str, language: Language) -> (&str, Option<u32>) {
    let Some(open) = text.strip_suffix(']').and_then(|t| t.rfind('[')) else {
        return (text, None);
    };
    let Ok(n) = text[open + 1..text.len() - 1].parse::<u32>() else {
        return (text, None);
    };
    let before = text[..open].trim_end();
    match before.strip_suffix(language.comment()) {
        Some(code) if code.is_empty() || code.ends_with(' ') => (code.trim_end(), Some(n)),
        _ => (text, None),
    }
}

/// Where the comment of `text` starts: the first comment leader outside a string literal.
fn comment_start(text: &str, language: Language) -> Option<usize> {
    let leader = language.comment();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        // A Rust `'` is as often a lifetime or a char as a quote: only `"` opens a string there.
        let opens = c == '"' || (c == '\'' && language == Language::Python);
        if opens {
            quote = Some(c);
        } else if text[i..].starts_with(leader) {
            return Some(i);
        }
    }
    None
}

/// Whether `text` holds a CJK character: the notes' comments are Chinese, ours are English.
pub fn has_cjk(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_comments_come_apart() {
        let py = Source::parse("p.join()  # 等待 # [7]\nx = '#[1]'\n", Language::Python);
        assert_eq!(py.lines[0].code, "p.join()");
        assert_eq!(py.lines[0].comment.as_deref(), Some("# 等待"));
        assert_eq!(py.lines[0].tag, Some(7));
        assert_eq!(py.lines[1].code, "x = '#[1]'");
        assert_eq!(py.lines[1].tag, None);
        let rs = Source::parse("let s = \"a // b\"; // [2]\n", Language::Rust);
        assert_eq!(rs.lines[0].code, "let s = \"a // b\";");
        assert_eq!(rs.lines[0].comment, None);
        assert_eq!(rs.tags(), vec![(2, 0)]);
    }

    #[test]
    fn a_tag_alone_on_its_line_tags_the_line_above() {
        let rs = Source::parse("if pid == 0 {\n    // [3]\n    x();\n", Language::Rust);
        assert_eq!(rs.lines.len(), 2);
        assert_eq!((rs.lines[0].tag, rs.lines[0].number), (Some(3), 1));
        assert_eq!(rs.lines[1].code, "    x();");
    }

    #[test]
    fn a_tag_on_a_chain_tags_its_first_line() {
        let rs = Source::parse(
            "let t = m\n    .get(1)\n    .unwrap(); // [4]\n",
            Language::Rust,
        );
        assert_eq!(rs.tags(), vec![(4, 0)]);
    }

    #[test]
    fn a_bracket_that_is_not_a_tag_stays_code() {
        let rs = Source::parse("let v = a[3]", Language::Rust);
        assert_eq!(rs.lines[0].tag, None);
        assert_eq!(rs.lines[0].code, "let v = a[3]");
    }
}
