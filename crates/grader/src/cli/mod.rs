//! The grading options' command line, shared by the applications: the arguments
//! ([`args`]) and the parsers of their values ([`values`]).

pub(crate) mod args;
pub(crate) mod values;
