//! How the grader words things, below every stage: the checks' sentences from the catalogue
//! ([`say`]), how messages quote a run ([`text`]: lines cut short, items listed, columns), and
//! the one escaper for terminals ([`terminal`]).

pub(crate) mod say;
pub(crate) mod terminal;
pub(crate) mod text;
