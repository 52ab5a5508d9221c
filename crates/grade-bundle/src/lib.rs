//! `grade gradescope`: an autograder bundle for Gradescope, which runs one container per
//! submission.
//!
//! The zip holds `setup.sh` (installs Rust and builds the grader from this repository's
//! sources, bundled under `grader-src/`, into `$AUTOGRADER_ROOT/source/grade`),
//! `run_autograder` (grades `$AUTOGRADER_ROOT/submission` with `grade class` as a class of one
//! and writes `$AUTOGRADER_ROOT/results/results.json`), and the spec file when one was given.
//! `AUTOGRADER_ROOT` defaults to `/autograder`.
//!
//! A crate on top of the grader library (`grader`), used by the `grade` command. From the
//! bottom up: `sources` (the repository's files), `scripts` (the two scripts with the
//! grading options baked in), `zipfile` (the zip), `write` (all of it), `cli`.

#![deny(missing_docs)]

mod cli;
mod error;
mod scripts;
mod sources;
mod write;
mod zipfile;

pub use cli::{gradescope_cli, gradescope_command};
pub use error::{BundleError, BundleErrorKind};
pub use write::{BundleOptions, SOURCE_DIR, write_bundle};
