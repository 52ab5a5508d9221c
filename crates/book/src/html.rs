//! HTML pieces: escaping, and a column of source lines with its comments told apart.

use crate::source::{Language, Line, has_cjk};

/// `text` with `&`, `<`, `>` and `"` escaped, for an element's text or an attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// How a comment is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentKind {
    /// One of the notes' comments (Chinese), beside the statement it explains.
    Notes,
    /// A Rust one-line comment in our words: where and why the port differs. Highlighted.
    Differs,
    /// Any other comment: documentation, a Python original's own remarks.
    Plain,
}

/// The kind of `comment` (leader included) in a source of `language`.
pub fn comment_kind(comment: &str, language: Language) -> CommentKind {
    let doc = comment.starts_with("///") || comment.starts_with("//!");
    if doc {
        CommentKind::Plain
    } else if has_cjk(comment) {
        CommentKind::Notes
    } else if language == Language::Rust {
        CommentKind::Differs
    } else {
        CommentKind::Plain
    }
}

fn class(kind: CommentKind) -> &'static str {
    match kind {
        CommentKind::Notes => "notes",
        CommentKind::Differs => "differs",
        CommentKind::Plain => "comment",
    }
}

/// One cell of the side-by-side view: `lines` as a `<pre>`, each comment in a span of its kind.
pub fn code_cell(lines: &[Line], language: Language, side: &str, label: &str) -> String {
    let mut out = format!(
        "<div class=\"cell {side}{}\" data-label=\"{}\"><pre><code>",
        if lines.is_empty() { " empty" } else { "" },
        escape(label)
    );
    let mut blank_before = false;
    for (i, line) in lines.iter().enumerate() {
        // One blank line shows a gap as well as several.
        let blank = line.code.trim().is_empty() && line.comment.is_none();
        if blank && blank_before {
            continue;
        }
        blank_before = blank;
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&escape(&line.code));
        if let Some(comment) = &line.comment {
            if !line.code.trim().is_empty() {
                out.push_str("  ");
            }
            let kind = comment_kind(comment, language);
            out.push_str(&format!(
                "<span class=\"{}\">{}</span>",
                class(kind),
                escape(comment)
            ));
        }
    }
    out.push_str("</code></pre></div>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Source;

    #[test]
    fn comments_are_told_apart() {
        assert_eq!(
            comment_kind("# 子进程要执行的代码", Language::Python),
            CommentKind::Notes
        );
        assert_eq!(
            comment_kind("// Rust differs", Language::Rust),
            CommentKind::Differs
        );
        assert_eq!(comment_kind("/// docs", Language::Rust), CommentKind::Plain);
        assert_eq!(
            comment_kind("//! 进程 docs", Language::Rust),
            CommentKind::Plain
        );
        assert_eq!(comment_kind("# ours", Language::Python), CommentKind::Plain);
    }

    #[test]
    fn a_cell_escapes_code_and_classes_comments() {
        let s = Source::parse("if a < b { // why\n", Language::Rust);
        let cell = code_cell(&s.lines, Language::Rust, "rs", "Rust");
        assert!(
            cell.contains("if a &lt; b {  <span class=\"differs\">// why</span>"),
            "{cell}"
        );
    }
}
