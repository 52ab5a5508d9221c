//! The checks' own sentences (why a run failed, why it was not judged, what caused it) from the
//! message catalogue (`checks.ftl`), in this process's language: [`i18n::say!`].
//!
//! Checks write their messages while judging, long before a report is rendered, so they read
//! the process's language ([`i18n::Lang::current`], set once by `grade` from `--lang` or the
//! locale). Unit tests always get English, whatever the locale of the machine running them.

pub(crate) use i18n::say;
