//! `grade class`: every submission of a class built and graded, in parallel, with a table on
//! stdout, `results.csv`, `results.json` and a sortable `index.html`.
//!
//! A crate on top of the grader library (`grader`, which grades each submission), used by the
//! `grade` command. From the bottom up: `submission` (what each entry of the class folder is),
//! `scratch` (a private folder, a project's copy), `step` (one build step run to its end or its
//! deadline, nothing of it left running), `fence_hook` (where the build fence plugs in),
//! `compile` (what builds share, single files built), `cargo` (a Cargo project built), `build`
//! (a submission into the command that runs it, with its build log), `pool` (worker threads fed
//! through `crossbeam-channel`), `progress` (stderr), `results`, `csv_cell`, `html` and
//! `reports` (what is written), `options`, `prepare` (spec, checks, submissions, tools, build
//! context, output folder, jobs), `rows` (a submission's row), `phases` (every build, then every
//! grading, on the pool), `grading` (all of it, as its steps), `cli` (the command line).

#![deny(missing_docs)]

mod build;
mod buildlog;
mod cargo;
mod cargo_home;
mod cli;
mod compile;
mod csv_cell;
mod deps;
mod error;
mod fence_hook;
mod grading;
mod html;
mod options;
mod phases;
mod pool;
mod prepare;
mod progress;
mod relay;
mod reports;
mod results;
mod rows;
mod scratch;
mod step;
mod submission;
mod toolchain;

pub use cli::{class_cli, class_command};
pub use compile::RUST_EDITION;
pub use error::{ClassError, ClassErrorKind};
pub use grading::grade_class;
pub use options::ClassOptions;
pub use prepare::default_jobs;
pub use results::{BuildStatus, CSV_HEADER, ClassResults, ReportFiles, SubmissionResult, Verdict};
pub use submission::Form;
