//! The functions of a source file and how many lines each takes, from its `fn` line to its
//! closing brace (test items left out).

use super::lexer::{Token, tokens};
use super::modules::without_test_items;

/// A function with a body: its name, first line and length in lines.
#[derive(Debug)]
pub struct Function {
    pub name: String,
    pub line: usize,
    pub lines: usize,
}

/// Every function with a body in `src`, nested ones too, test items left out.
pub fn functions(src: &str) -> Vec<Function> {
    let toks = without_test_items(tokens(src));
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if !t.is("fn") || !toks.get(i + 1).is_some_and(Token::is_ident) {
            continue;
        }
        if let Some(end) = body_end(&toks, i + 2) {
            out.push(Function {
                name: toks[i + 1].text.clone(),
                line: t.line,
                lines: end - t.line + 1,
            });
        }
    }
    out
}

/// The line of the brace closing the body that starts after token `i`; `None` for a function
/// without a body (`fn f();` in a trait, `fn(u8)` types aside).
fn body_end(toks: &[Token], i: usize) -> Option<usize> {
    let mut parens = 0i32;
    let mut j = i;
    while let Some(t) = toks.get(j) {
        match t.text.as_str() {
            "(" | "[" | "<" => parens += 1,
            ")" | "]" | ">" => parens -= 1,
            ";" if parens <= 0 => return None,
            "{" if parens <= 0 => break,
            _ => {}
        }
        j += 1;
    }
    let mut depth = 0usize;
    for t in &toks[j..] {
        if t.is("{") {
            depth += 1;
        } else if t.is("}") {
            depth -= 1;
            if depth == 0 {
                return Some(t.line);
            }
        }
    }
    None
}

#[test]
fn bodies_are_measured() {
    let src = "trait T { fn a(&self); }\nfn b() -> Vec<u8> {\n    vec![1]\n}\n#[cfg(test)]\nmod tests {\n    fn c() {}\n}\n";
    let found: Vec<(String, usize)> = functions(src)
        .into_iter()
        .map(|f| (f.name, f.lines))
        .collect();
    assert_eq!(found, [("b".to_string(), 3)]);
}
