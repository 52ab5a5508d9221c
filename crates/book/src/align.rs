//! Pairs a Rust port with its Python original by their tags, and says where they disagree.

use crate::source::{Language, Line, Source};

/// One row of the side-by-side view: the statement tagged `tag` on both sides, with the lines
/// that follow it up to the next tag (before the first tag: `tag` is `None`).
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    /// The tag both statements carry.
    pub tag: Option<u32>,
    /// The Python lines of the row (possibly none).
    pub python: &'a [Line],
    /// The Rust lines of the row (possibly none).
    pub rust: &'a [Line],
}

/// Everything wrong with the pairing of `python` and `rust`, one sentence each; empty when
/// they are aligned: each side's tags count 1, 2, 3, ... in file order, once each, both sides
/// have the same tags, and a tagged statement that prints prints the same words on both sides.
pub fn problems(python: &Source, rust: &Source) -> Vec<String> {
    let mut out = Vec::new();
    for (source, side) in [(python, "Python"), (rust, "Rust")] {
        out.extend(counting(source, side));
    }
    let (p, r) = (tag_set(python), tag_set(rust));
    for t in p.iter().filter(|t| !r.contains(t)) {
        out.push(format!(
            "[{t}] is in the Python original, not in the Rust port"
        ));
    }
    for t in r.iter().filter(|t| !p.contains(t)) {
        out.push(format!(
            "[{t}] is in the Rust port, not in the Python original"
        ));
    }
    if out.is_empty() {
        out.extend(printed_words(python, rust));
    }
    out
}

fn tag_set(source: &Source) -> Vec<u32> {
    source.tags().into_iter().map(|(t, _)| t).collect()
}

/// The tags of one side must read 1, 2, 3, ... top to bottom.
fn counting(source: &Source, side: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut expected = 1;
    for (tag, i) in source.tags() {
        let line = source.lines[i].number;
        if tag != expected {
            out.push(format!(
                "{side} line {line}: [{tag}] where [{expected}] comes next (tags count 1, 2, 3, ... once each, in file order)"
            ));
        }
        expected = tag.max(expected) + 1;
    }
    out
}

/// A tagged statement that prints must print the same words (placeholders aside) on both sides.
fn printed_words(python: &Source, rust: &Source) -> Vec<String> {
    let mut out = Vec::new();
    for ((tag, pi), (_, ri)) in python.tags().into_iter().zip(rust.tags()) {
        let p = printed(&statement(python, pi), Language::Python);
        let r = printed(&statement(rust, ri), Language::Rust);
        match (p, r) {
            (Some(a), Some(b)) if a != b => out.push(format!(
                "[{tag}] prints {a:?} in Python but {b:?} in Rust (placeholders aside)"
            )),
            (Some(_), None) => out.push(format!("[{tag}] prints in Python, not in Rust")),
            (None, Some(_)) => out.push(format!("[{tag}] prints in Rust, not in Python")),
            _ => {}
        }
    }
    out
}

/// The code of the statement starting at line `i`: that line and the next ones while a bracket
/// it opened is still open (at most 8 lines).
fn statement(source: &Source, i: usize) -> String {
    let mut text = String::new();
    let mut depth = 0i32;
    for line in source.lines[i..].iter().take(8) {
        text.push_str(line.code.trim());
        text.push(' ');
        for c in line.code.chars() {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth -= 1,
                _ => {}
            }
        }
        if depth <= 0 {
            break;
        }
    }
    text
}

/// The words a print statement prints, placeholders taken out: `Some("")` when its first
/// argument is not a literal, `None` when the statement does not print.
fn printed(code: &str, language: Language) -> Option<String> {
    let calls: &[&str] = match language {
        Language::Python => &["print(", "say("],
        Language::Rust => &["println!(", "print!("],
    };
    let at = calls
        .iter()
        .filter_map(|c| find_call(code, c).map(|i| i + c.len()))
        .min()?;
    let arg = code[at..].trim_start();
    let quote = arg.chars().next().filter(|c| *c == '"' || *c == '\'');
    let Some(q) = quote else {
        return Some(String::new());
    };
    let body: String = arg[1..].chars().take_while(|c| *c != q).collect();
    Some(words(&body, language))
}

/// Where `call` starts in `code` as a call of its own (`say(` but not `essay(`).
fn find_call(code: &str, call: &str) -> Option<usize> {
    code.match_indices(call)
        .find(|(i, _)| {
            code[..*i]
                .chars()
                .last()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'))
        })
        .map(|(i, _)| i)
}

/// A format string's text without its placeholders (`%s`, `%0.2f`; `{}`, `{n:.2}`).
fn words(format: &str, language: Language) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match (language, c) {
            (Language::Python, '%') => {
                if chars.peek() == Some(&'%') {
                    chars.next();
                    out.push('%');
                } else {
                    while chars.next_if(|c| "-#0 +.123456789".contains(*c)).is_some() {}
                    chars.next();
                }
            }
            (Language::Rust, '{') if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            (Language::Rust, '{') => while chars.next().is_some_and(|c| c != '}') {},
            (Language::Rust, '}') if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            _ => out.push(c),
        }
    }
    out
}

/// The rows of an aligned pair (call [`problems`] first: rows pair tags by position).
pub fn rows<'a>(python: &'a Source, rust: &'a Source) -> Vec<Row<'a>> {
    let p = bounds(python);
    let r = bounds(rust);
    p.into_iter()
        .zip(r)
        .map(|((tag, pa, pb), (_, ra, rb))| Row {
            tag,
            python: trim_blank(&python.lines[pa..pb]),
            rust: trim_blank(&rust.lines[ra..rb]),
        })
        .collect()
}

/// Each row's tag and line range: before the first tag, then from each tag to the next. A row
/// starts at the comment lines right above its tagged line: they explain that statement.
fn bounds(source: &Source) -> Vec<(Option<u32>, usize, usize)> {
    let tags = source.tags();
    let mut starts: Vec<usize> = Vec::with_capacity(tags.len());
    for (k, (_, at)) in tags.iter().enumerate() {
        let floor = if k == 0 { 0 } else { tags[k - 1].1 + 1 };
        let mut start = *at;
        while start > floor && is_comment_only(&source.lines[start - 1]) {
            start -= 1;
        }
        starts.push(start);
    }
    let mut out = Vec::with_capacity(tags.len() + 1);
    out.push((
        None,
        0,
        starts.first().copied().unwrap_or(source.lines.len()),
    ));
    for (k, (tag, _)) in tags.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(source.lines.len());
        out.push((Some(*tag), starts[k], end));
    }
    out
}

fn is_comment_only(line: &Line) -> bool {
    line.code.trim().is_empty()
        && line
            .comment
            .as_deref()
            .is_some_and(|c| !c.starts_with("//!"))
}

/// `lines` without blank lines at either end.
fn trim_blank(lines: &[Line]) -> &[Line] {
    let end = lines
        .iter()
        .rposition(|l| !l.code.trim().is_empty() || l.comment.is_some())
        .map_or(0, |i| i + 1);
    let start = lines[..end]
        .iter()
        .position(|l| !l.code.trim().is_empty() || l.comment.is_some())
        .unwrap_or(end);
    &lines[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn py(t: &str) -> Source {
        Source::parse(t, Language::Python)
    }
    fn rs(t: &str) -> Source {
        Source::parse(t, Language::Rust)
    }

    #[test]
    fn aligned_sources_have_no_problem_and_pair_up() {
        let p = py("import os\nprint('Run %s (%s)...' % (a, b))  # [1]\np.join()  # [2]\n");
        let r = rs(
            "use x;\nprintln!(\n    // [1]\n    \"Run {} ({})...\",\n    a, b);\nlet y = 1;\np.join()?; // [2]\n",
        );
        assert!(problems(&p, &r).is_empty(), "{:?}", problems(&p, &r));
        let rows = rows(&p, &r);
        assert_eq!(rows.len(), 3);
        assert_eq!((rows[1].python.len(), rows[1].rust.len()), (1, 4));
        assert_eq!(rows[1].tag, Some(1));
    }

    #[test]
    fn the_comment_above_a_tagged_statement_goes_in_its_row() {
        let p = py("import os\n\n# 子进程要执行的代码\ndef run(name):  # [1]\n    pass\n");
        let r = rs("use x;\n\n// 子进程要执行的代码\nfn run() { // [1]\n}\n");
        let rows = rows(&p, &r);
        assert_eq!(rows[0].python.len(), 1, "{:?}", rows[0].python);
        assert_eq!(
            rows[1].python[0].comment.as_deref(),
            Some("# 子进程要执行的代码")
        );
        assert_eq!(
            rows[1].rust[0].comment.as_deref(),
            Some("// 子进程要执行的代码")
        );
    }

    #[test]
    fn a_missing_a_duplicated_or_a_swapped_tag_is_named() {
        let p = py("a  # [1]\nb  # [2]\nc  # [3]\n");
        assert!(problems(&p, &rs("a // [1]\nb // [2]\n"))[0].contains("[3] is in the Python"));
        assert!(!problems(&p, &rs("a // [1]\nb // [2]\nc // [2]\nd // [3]\n")).is_empty());
        let swapped = problems(&p, &rs("a // [1]\nc // [3]\nb // [2]\n"));
        assert!(
            swapped[0].contains("[3] where [2] comes next"),
            "{swapped:?}"
        );
    }

    #[test]
    fn a_tagged_print_must_print_the_same_words() {
        let p = py("print('Put %s to queue...' % v)  # [1]\n");
        assert!(problems(&p, &rs("println!(\"Put {v} to queue...\"); // [1]\n")).is_empty());
        let wrong = problems(&p, &rs("println!(\"Get {v} from queue.\"); // [1]\n"));
        assert!(wrong[0].contains("prints"), "{wrong:?}");
        let none = problems(&p, &rs("q.put(v); // [1]\n"));
        assert!(none[0].contains("not in Rust"), "{none:?}");
    }
}
