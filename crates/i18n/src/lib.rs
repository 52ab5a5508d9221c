//! The message catalogue: every text that `grade`, the demos and the book show a person, in
//! English and in Chinese (简体中文), written in [Project Fluent](https://projectfluent.org/)
//! files under `crates/i18n/locales/<lang>/<domain>.ftl`.
//!
//! A program picks its language once ([`Lang::set_current`], from `--lang` or the environment
//! through [`Lang::from_env`]) and then asks for messages by id with [`tr()`] or the [`tr!`]
//! macro. Adding a domain is adding a `.ftl` file to both folders; a test checks that every
//! message exists in both languages with the same variables.
//!
//! ```
//! use i18n::{tr, Lang};
//! assert_eq!(tr!(Lang::En, "runs", count = 1), "1 run");
//! assert_eq!(tr!(Lang::En, "runs", count = 3), "3 runs");
//! assert_eq!(tr!(Lang::Zh, "runs", count = 3), "3 次运行");
//! ```

mod catalogue;
mod lang;

pub use catalogue::{Catalogue, CatalogueError, message_ids, tr_args};
pub use fluent_bundle::{FluentArgs, FluentValue};
pub use lang::Lang;

/// The message `id` in `lang`, with no variables. An unknown id comes back as the id itself
/// (a test keeps every id used by the workspace present in both languages).
pub fn tr(lang: Lang, id: &str) -> String {
    tr_args(lang, id, None)
}

/// The message `id` in `lang` with named variables: `tr!(lang, "id", name = value, ...)`.
/// Values are anything that converts into a [`FluentValue`] (strings, integers, floats).
#[macro_export]
macro_rules! tr {
    ($lang:expr, $id:expr) => {
        $crate::tr($lang, $id)
    };
    ($lang:expr, $id:expr, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = $crate::FluentArgs::new();
        $( args.set(stringify!($name), $crate::FluentValue::from($value)); )+
        $crate::tr_args($lang, $id, Some(&args))
    }};
}

/// `say!("id", name = value, ...)`: the message `id` in the process's language
/// ([`Lang::current`], set once by a command from its `--lang` or the locale), for sentences
/// written long before anything is rendered (a check's verdict, a build's failure). In the
/// calling crate's unit tests it is always English, whatever the locale of the machine.
#[macro_export]
macro_rules! say {
    ($id:expr) => {
        $crate::tr($crate::said_in(cfg!(test)), $id)
    };
    ($id:expr, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::tr!($crate::said_in(cfg!(test)), $id, $($name = $value),+)
    };
}

/// The language [`say!`] writes in: English in unit tests, else [`Lang::current`].
#[doc(hidden)]
pub fn said_in(unit_test: bool) -> Lang {
    if unit_test { Lang::En } else { Lang::current() }
}
