//! Grades a port of one of the notes' programs by its output over many runs.
//!
//! `run` executes a port once under process-tree supervision and yields a [`outcome::RunOutcome`];
//! the spec engine judges a set of outcomes against a data-driven spec.

pub mod outcome;
pub mod run;
