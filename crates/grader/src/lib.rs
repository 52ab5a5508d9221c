//! Grades a port of one of the notes' programs by its output over many runs.
//!
//! A [`Spec`] (TOML, see `SPEC.md`) says what a correct program's output guarantees and what it
//! only likely shows; [`run_once`] executes a port once under process-tree supervision and
//! yields a [`RunOutcome`]; [`judge`] holds the outcomes against the spec and gives a [`Report`].
//! [`grade`] does both, for the `grade` command and for tests:
//!
//! ```no_run
//! use grader::{grade, GradeOptions, Spec};
//! let spec = Spec::builtin("pool")?;
//! let opts = GradeOptions { runs: 20, time_scale: Some(0.01), ..GradeOptions::default() };
//! let report = grade(&spec, &opts, &["target/debug/pool-demo".into()])?;
//! assert!(report.passed, "{}", report.text(false));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Every run is traced (`tracer` crate) unless told not to: each line then has its writer (pid,
//! tid, main process / another process / thread) and the run its tasks, which the spec's writer
//! facts and the `writer` and `tasks` checks judge; a share of the runs is shaken.
//!
//! Inside, stage by stage, from the bottom up: `words` (the checks' sentences from the
//! catalogue, how messages quote a run, the one escaper for terminals); `outcome` (what a run
//! produced: its lines, assembled per writer, who wrote them, its channels and ends); `spec` (the
//! format, knowing no check type by name, and the typed fault a check finds); `checks` (one file
//! per check type, what the trace says of joins, and specs loaded from text, files and the
//! built-in table); `run` (one supervised, traced run, and which runs are shaken); `verdict` (the
//! runs judged: the checks every run gets, the spec's checks, confidence and coverage, the
//! report's data); `render` (its renderings, and the escaper for markup); `timeline` (a run's
//! picture); `grade` (all of it: options, fences, setup, the runs, when to stop, its errors);
//! `explore` (every schedule of a small program); `cli` (the grading options' command line).
//!
//! The applications are crates on top of this one: `grade` (the command), `grade-class` (a
//! whole class, `grade class`) and `grade-bundle` (a Gradescope autograder, `grade gradescope`).
//! What they share is exported here too: the grading options' command line ([`GradingArgs`], and
//! the parsers of the values the commands take besides: [`positive`], [`size`], [`key_value`],
//! [`env_var`]), the escapers for terminals ([`visible`]) and markup ([`xml_escape`],
//! [`json_safe`]), and how a sentence lists items ([`word_list`]). Everything else exported is
//! what those functions take and give: the report's data down to each failing run's typed
//! [`Fault`] and [`RunNotes`], a run's outcome, a spec, a timeline.

#![deny(missing_docs)]

mod checks;
mod cli;
mod explore;
mod grade;
mod outcome;
mod render;
mod run;
mod spec;
mod timeline;
mod verdict;
mod words;

pub use checks::load::closest;
pub use cli::args::{GradingArgs, clap_line, one_line};
pub use cli::values::{env_var, key_value, positive, size};
pub use explore::{ExploreOptions, ExploreReport, FailingOrder, explore};
pub use grade::error::{GradeError, GradeErrorKind};
pub use grade::fencing::{GradeFence, fence_status};
pub use grade::{
    GradeOptions, Progress, TIME_SCALE_ENV, TIME_SCALE_MAX, TIMEOUT_MAX, check_options,
    ensure_subreaper, grade, grade_runs,
};
pub use outcome::channels::{Channels, Flow, Piece, SharedWith};
pub use outcome::ends::Ends;
pub use outcome::writer::{Role, RunTask, Tracing, Writer};
pub use outcome::{Exit, LeftBehind, Line, RunOutcome};
pub use render::Format;
pub use render::fence::fence_short;
pub use render::html::html_report;
pub use render::markup::{json_safe, xml_escape};
pub use run::shaking::Scheduler;
pub use run::{PassEnv, RUN_ID_ENV, RunConfig, RunError, RunErrorKind, StdoutKind, run_once};
pub use spec::Spec;
pub use spec::error::{SpecError, SpecErrorKind};
pub use spec::fault::{Arg, Fault, Said};
pub use spec::params::{ParamError, Params};
pub use timeline::{
    Link, OpenSpan, Timeline, TimelineLine, TraceRunError, TraceRunOptions, TracedRun, WriterLine,
    run_timeline, trace_command, writer_lines,
};
pub use verdict::beside::RunDiff;
pub use verdict::coverage::Coverage;
pub use verdict::every_run::{
    EXIT_CHECK, FORMAT_CHECK, LEFT_BEHIND_CHECK, LINES_CHECK, OUTPUT_LIMIT_CHECK, TIMEOUT_CHECK,
    TRACE_CHECK,
};
pub use verdict::facts::stopped_line;
pub use verdict::facts::{LineFact, RunFacts, RunLines, ShakenRun};
pub use verdict::failure::{Cause, OnStderr, Pct, Replay, RunNotes};
pub use verdict::judge::{check_list, judge};
pub use verdict::report::{CheckKind, CheckReport, CheckStatus, Failure, Report};
pub use words::terminal::{visible, visible_lines};
pub use words::text::{columns, list as word_list};
