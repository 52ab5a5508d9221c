//! What a check finds wrong with a run, as typed values: which lines, and what is wrong with
//! them, as a catalogue message's id and its arguments ([`Said`]). A check builds these and
//! renders nothing; the words are rendered once, for the report, by [`Fault::words`].
//!
//! The id names the defect (`count-expected`, `order-before`, ...: the messages of `checks.ftl`)
//! and the arguments carry its data, typed: numbers, the quoted lines with their numbers, nested
//! sentences and lists. A report's JSON keeps them beside the rendered message.

use std::borrow::Cow;
use std::fmt;

use i18n::{FluentArgs, FluentValue, Lang};
use serde::{Deserialize, Serialize};

/// A line is quoted this long at most (bytes); longer, it is cut and its length said.
const QUOTE_LEN: usize = 200;

/// Beyond this many offending items a message says "and N more".
pub(crate) const QUOTE_MAX: usize = 3;

/// What a check found wrong with one run: the first few problems, and how many more there were.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Fault {
    /// The problems shown, in the order found (at most a few).
    pub problems: Vec<Said>,
    /// How many more problems there were beyond those shown.
    pub more: usize,
    /// The numbers (from 1) of the stdout lines the shown problems quote or name, in order.
    pub lines: Vec<usize>,
    /// The last lines of stderr it quotes, as shown (each written `  | LINE` after the
    /// problems).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stderr: Vec<String>,
}

impl Fault {
    /// The fault of `problems`, with `more` not shown.
    pub(crate) fn new(problems: Vec<Said>, more: usize) -> Self {
        let mut lines = Vec::new();
        for p in &problems {
            p.lines_into(&mut lines);
        }
        Fault {
            problems,
            more,
            lines,
            stderr: Vec::new(),
        }
    }

    /// The fault in words in `lang`: each problem on its own line, then how many more.
    pub fn words(&self, lang: Lang) -> String {
        let mut m = self
            .problems
            .iter()
            .map(|p| p.words(lang))
            .collect::<Vec<_>>()
            .join("\n");
        if self.more > 0 {
            m.push('\n');
            m.push_str(&i18n::tr!(lang, "problems-more", count = self.more));
        }
        for l in &self.stderr {
            m.push_str("\n  | ");
            m.push_str(l);
        }
        m
    }
}

/// The words in the process's language (English in unit tests).
impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.words(i18n::said_in(cfg!(test))))
    }
}

/// The words in the process's language (English in unit tests).
impl fmt::Display for Said {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.words(i18n::said_in(cfg!(test))))
    }
}

impl From<Said> for Fault {
    fn from(said: Said) -> Self {
        Fault::new(vec![said], 0)
    }
}

/// The problems a check finds in one run, as it finds them: the first few kept, the rest counted.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    shown: Vec<Said>,
    total: usize,
}

impl Problems {
    /// Records a problem; it is only made if it will be shown.
    pub(crate) fn add(&mut self, problem: impl FnOnce() -> Said) {
        if self.total < QUOTE_MAX {
            self.shown.push(problem());
        }
        self.total += 1;
    }

    /// How many problems were recorded.
    pub(crate) fn total(&self) -> usize {
        self.total
    }

    /// No problem is a pass; else the fault of those recorded.
    pub(crate) fn result(self) -> Result<(), Fault> {
        if self.total == 0 {
            return Ok(());
        }
        let more = self.total - self.shown.len();
        Err(Fault::new(self.shown, more))
    }
}

/// A sentence not yet rendered: a catalogue message's id and its arguments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Said {
    /// The message's id in the catalogue: which defect.
    pub id: Cow<'static, str>,
    /// Its arguments, by name.
    pub args: Vec<(Cow<'static, str>, Arg)>,
    /// Sentences that continue it, each written right after it (their words begin with their
    /// own separator).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub then: Vec<Said>,
}

impl Said {
    /// Message `id` with `args`.
    pub(crate) fn new(id: &'static str, args: Vec<(&'static str, Arg)>) -> Self {
        Said {
            id: Cow::Borrowed(id),
            args: args
                .into_iter()
                .map(|(n, a)| (Cow::Borrowed(n), a))
                .collect(),
            then: Vec::new(),
        }
    }

    /// It, continued by `more` (written right after it).
    pub(crate) fn then(mut self, more: Said) -> Self {
        self.then.push(more);
        self
    }

    /// The sentence in `lang`.
    pub fn words(&self, lang: Lang) -> String {
        let mut m = if self.args.is_empty() {
            i18n::tr(lang, &self.id)
        } else {
            let mut args = FluentArgs::new();
            for (name, a) in &self.args {
                args.set(name.as_ref(), a.value(lang));
            }
            i18n::tr_args(lang, &self.id, Some(&args))
        };
        for more in &self.then {
            m.push_str(&more.words(lang));
        }
        m
    }

    /// Appends the line numbers its arguments quote or name.
    fn lines_into(&self, out: &mut Vec<usize>) {
        for (_, a) in &self.args {
            a.lines_into(out);
        }
        for more in &self.then {
            more.lines_into(out);
        }
    }
}

/// An argument of a [`Said`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Arg {
    /// Words or a value shown as it is.
    Text(String),
    /// A number.
    Num(f64),
    /// A line of stdout by its number (from 1), shown as the number.
    LineNo(usize),
    /// A line of stdout quoted: `line N "TEXT"`, its text cut when long.
    Line {
        /// Its number, from 1.
        number: usize,
        /// Its text, cut to a couple of hundred bytes.
        text: String,
        /// The whole line's length in bytes.
        bytes: usize,
    },
    /// A text of the run quoted: `"TEXT"`, cut when long.
    Quote {
        /// The text, cut to a couple of hundred bytes.
        text: String,
        /// The whole text's length in bytes.
        bytes: usize,
    },
    /// Another sentence.
    Said(Box<Said>),
    /// Items listed (`a, b, c`), and how many more were not.
    List {
        /// The items shown.
        items: Vec<Arg>,
        /// How many more there were.
        more: usize,
    },
}

impl Arg {
    /// Line `number` of stdout, `text`, quoted.
    pub(crate) fn line(number: usize, text: &str) -> Self {
        Arg::Line {
            number,
            text: cut_raw(text).to_string(),
            bytes: text.len(),
        }
    }

    /// `text` quoted.
    pub(crate) fn quote(text: &str) -> Self {
        Arg::Quote {
            text: cut_raw(text).to_string(),
            bytes: text.len(),
        }
    }

    /// `items` listed, all shown.
    pub(crate) fn list<T: Into<Arg>>(items: impl IntoIterator<Item = T>) -> Self {
        Arg::List {
            items: items.into_iter().map(Into::into).collect(),
            more: 0,
        }
    }

    /// The first few of `items` listed (as many as a message quotes), then how many more of
    /// `total` there were.
    pub(crate) fn few<T: Into<Arg>>(items: impl IntoIterator<Item = T>, total: usize) -> Self {
        Arg::List {
            items: items.into_iter().take(QUOTE_MAX).map(Into::into).collect(),
            more: total.saturating_sub(QUOTE_MAX),
        }
    }

    /// Its value for the catalogue, in `lang`.
    fn value(&self, lang: Lang) -> FluentValue<'_> {
        match self {
            Arg::Text(s) => FluentValue::from(s.as_str()),
            Arg::Num(x) => FluentValue::from(*x),
            Arg::LineNo(n) => FluentValue::from(*n),
            Arg::Line {
                number,
                text,
                bytes,
            } => FluentValue::from(i18n::tr!(
                lang,
                "line-quote",
                n = *number,
                text = quoted(lang, text, *bytes)
            )),
            Arg::Quote { text, bytes } => FluentValue::from(quoted(lang, text, *bytes)),
            Arg::Said(s) => FluentValue::from(s.words(lang)),
            Arg::List { items, more } => {
                let sep = i18n::tr(lang, "list-sep");
                let mut m = items
                    .iter()
                    .map(|a| a.words(lang))
                    .collect::<Vec<_>>()
                    .join(&sep);
                if *more > 0 {
                    m.push(' ');
                    m.push_str(&i18n::tr!(lang, "quote-more", count = *more));
                }
                FluentValue::from(m)
            }
        }
    }

    /// The argument in words, in `lang`.
    fn words(&self, lang: Lang) -> String {
        match self.value(lang) {
            FluentValue::String(s) => s.into_owned(),
            FluentValue::Number(n) => n.as_string().into_owned(),
            _ => String::new(),
        }
    }

    fn lines_into(&self, out: &mut Vec<usize>) {
        match self {
            Arg::LineNo(n) | Arg::Line { number: n, .. } => out.push(*n),
            Arg::Said(s) => s.lines_into(out),
            Arg::List { items, .. } => items.iter().for_each(|a| a.lines_into(out)),
            Arg::Text(_) | Arg::Num(_) | Arg::Quote { .. } => {}
        }
    }
}

/// `s` cut for quoting: its first couple of hundred bytes (at a character's boundary).
pub(crate) fn cut_raw(s: &str) -> &str {
    if s.len() <= QUOTE_LEN {
        return s;
    }
    let mut end = QUOTE_LEN;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A text cut by [`cut_raw`] (of `bytes` bytes whole), quoted: `"TEXT"`, or with its length
/// said when cut.
pub(crate) fn quoted(lang: Lang, text: &str, bytes: usize) -> String {
    format!("{:?}", cut_words(lang, text, bytes))
}

/// A cut text in words: as it is when whole, else with the length of the whole (`bytes`).
fn cut_words(lang: Lang, text: &str, bytes: usize) -> String {
    if bytes <= text.len() {
        text.to_string()
    } else {
        i18n::tr!(lang, "quote-cut", text = text, bytes = bytes)
    }
}

macro_rules! arg_from {
    ($($t:ty => |$v:ident| $e:expr),* $(,)?) => {
        $(impl From<$t> for Arg {
            fn from($v: $t) -> Self {
                $e
            }
        })*
    };
}

arg_from! {
    String => |s| Arg::Text(s),
    &str => |s| Arg::Text(s.to_string()),
    &String => |s| Arg::Text(s.clone()),
    Said => |s| Arg::Said(Box::new(s)),
    Option<Said> => |s| s.map_or(Arg::Text(String::new()), Arg::from),
    usize => |n| Arg::Num(n as f64),
    u64 => |n| Arg::Num(n as f64),
    u32 => |n| Arg::Num(f64::from(n)),
    i64 => |n| Arg::Num(n as f64),
    i32 => |n| Arg::Num(f64::from(n)),
    f64 => |n| Arg::Num(n),
}

/// `said!("id", name = value, ...)`: the catalogue's message `id` with its arguments, typed and
/// not yet rendered (a [`Said`]); each value converts into an [`Arg`].
macro_rules! said {
    ($id:expr) => {
        $crate::spec::fault::Said::new($id, Vec::new())
    };
    ($id:expr, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::spec::fault::Said::new(
            $id,
            vec![$((stringify!($name), $crate::spec::fault::Arg::from($value))),+],
        )
    };
}

pub(crate) use said;
