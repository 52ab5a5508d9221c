//! The checks' own sentences (why a run failed, why it was not judged, what caused it) from the
//! message catalogue (`checks.ftl`), in this process's language.
//!
//! Checks write their messages while judging, long before a report is rendered, so they read
//! the process's language ([`i18n::Lang::current`], set once by `grade` from `--lang` or the
//! locale). Unit tests always get English, whatever the locale of the machine running them.

/// The language checks write in.
pub(crate) fn lang() -> i18n::Lang {
    if cfg!(test) {
        i18n::Lang::En
    } else {
        i18n::Lang::current()
    }
}

/// `say!("id", name = value, ...)`: the catalogue message `id` in [`lang()`].
macro_rules! say {
    ($id:expr) => {
        i18n::tr($crate::say::lang(), $id)
    };
    ($id:expr, $($name:ident = $value:expr),+ $(,)?) => {
        i18n::tr!($crate::say::lang(), $id, $($name = $value),+)
    };
}

pub(crate) use say;
