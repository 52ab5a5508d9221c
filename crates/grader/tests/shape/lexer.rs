//! Rust source cut into the tokens the shape checks need: identifiers, `::` and punctuation,
//! each with its line; comments, strings and character literals dropped.

/// One token and the line (from 1) it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub line: usize,
}

impl Token {
    pub fn is(&self, text: &str) -> bool {
        self.text == text
    }

    pub fn is_ident(&self) -> bool {
        self.text
            .starts_with(|c: char| c.is_alphabetic() || c == '_')
    }
}

/// The tokens of `src`.
pub fn tokens(src: &str) -> Vec<Token> {
    let chars: Vec<char> = src.chars().collect();
    let mut lexer = Lexer {
        chars: &chars,
        at: 0,
        line: 1,
        out: Vec::new(),
    };
    lexer.run();
    lexer.out
}

struct Lexer<'s> {
    chars: &'s [char],
    at: usize,
    line: usize,
    out: Vec<Token>,
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.at + ahead).copied()
    }

    /// Moves past one character, counting lines.
    fn bump(&mut self) {
        if self.peek(0) == Some('\n') {
            self.line += 1;
        }
        self.at += 1;
    }

    fn run(&mut self) {
        while let Some(c) = self.peek(0) {
            match c {
                '/' if self.peek(1) == Some('/') => self.skip_line(),
                '/' if self.peek(1) == Some('*') => self.skip_block_comment(),
                '"' => self.skip_string(),
                'r' | 'b' if self.raw_string_start().is_some() => self.skip_raw_string(),
                'b' if self.peek(1) == Some('"') => {
                    self.bump();
                    self.skip_string();
                }
                'b' if self.peek(1) == Some('\'') => {
                    self.bump();
                    self.skip_char_or_lifetime();
                }
                '\'' => self.skip_char_or_lifetime(),
                c if c.is_alphanumeric() || c == '_' => self.word(),
                ':' if self.peek(1) == Some(':') => self.punct(2),
                '-' | '=' if self.peek(1) == Some('>') => self.punct(2),
                c if c.is_whitespace() => self.bump(),
                _ => self.punct(1),
            }
        }
    }

    fn skip_line(&mut self) {
        while self.peek(0).is_some_and(|c| c != '\n') {
            self.bump();
        }
    }

    fn skip_block_comment(&mut self) {
        let mut depth = 0;
        while let Some(c) = self.peek(0) {
            if c == '/' && self.peek(1) == Some('*') {
                depth += 1;
                self.bump();
            } else if c == '*' && self.peek(1) == Some('/') {
                depth -= 1;
                self.bump();
                if depth == 0 {
                    self.bump();
                    return;
                }
            }
            self.bump();
        }
    }

    fn skip_string(&mut self) {
        self.bump();
        while let Some(c) = self.peek(0) {
            self.bump();
            match c {
                '\\' => self.bump(),
                '"' => return,
                _ => {}
            }
        }
    }

    /// The number of `#` of a raw string starting here (`r"`, `r#"`, `br##"`...).
    fn raw_string_start(&self) -> Option<usize> {
        let mut i = usize::from(self.peek(0) == Some('b'));
        if self.peek(i) != Some('r') {
            return None;
        }
        if self.at > 0 {
            let before = self.chars[self.at - 1];
            if before.is_alphanumeric() || before == '_' {
                return None;
            }
        }
        i += 1;
        let mut hashes = 0;
        while self.peek(i) == Some('#') {
            hashes += 1;
            i += 1;
        }
        (self.peek(i) == Some('"')).then_some(hashes)
    }

    fn skip_raw_string(&mut self) {
        let hashes = self.raw_string_start().unwrap_or(0);
        while self.peek(0) != Some('"') {
            self.bump();
        }
        self.bump();
        while let Some(c) = self.peek(0) {
            self.bump();
            if c == '"' && (0..hashes).all(|k| self.peek(k) == Some('#')) {
                for _ in 0..hashes {
                    self.bump();
                }
                return;
            }
        }
    }

    /// A character literal (`'a'`, `'\n'`, `'\u{1b}'`) is dropped; a lifetime's quote too.
    fn skip_char_or_lifetime(&mut self) {
        match (self.peek(1), self.peek(2)) {
            (Some('\\'), _) => {
                // The quote, the backslash and the escaped character, then to the closing quote.
                for _ in 0..3 {
                    self.bump();
                }
                while self.peek(0).is_some_and(|c| c != '\'') {
                    self.bump();
                }
                self.bump();
            }
            (Some(_), Some('\'')) => {
                for _ in 0..3 {
                    self.bump();
                }
            }
            _ => self.bump(),
        }
    }

    fn word(&mut self) {
        let (start, line) = (self.at, self.line);
        while self
            .peek(0)
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            self.bump();
        }
        let text = self.chars[start..self.at].iter().collect();
        self.out.push(Token { text, line });
    }

    fn punct(&mut self, len: usize) {
        let (start, line) = (self.at, self.line);
        for _ in 0..len {
            self.bump();
        }
        let text = self.chars[start..self.at].iter().collect();
        self.out.push(Token { text, line });
    }
}

#[test]
fn strings_comments_and_chars_are_dropped() {
    let src = "fn a() { let s = \"}\"; // }\n let c = '}'; let q = '\\''; let r = r#\"}\"#; /* } */ }\nfn b<'x>() {}";
    let words: Vec<String> = tokens(src).into_iter().map(|t| t.text).collect();
    assert_eq!(words.iter().filter(|w| *w == "}").count(), 2, "{words:?}");
    assert!(words.contains(&"b".to_string()));
    assert_eq!(tokens(src).last().map(|t| t.line), Some(3));
}
