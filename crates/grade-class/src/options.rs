//! How to grade a class: the options of `grade class`.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use grader::GradeOptions;

/// How to grade a class.
#[derive(Debug, Clone)]
pub struct ClassOptions {
    /// The class folder: one submission per entry.
    pub dir: PathBuf,
    /// The built-in example to grade against; with `spec`, only its name in the reports.
    pub example: Option<String>,
    /// A spec file instead of the built-in one.
    pub spec: Option<PathBuf>,
    /// How to grade each submission.
    pub grading: GradeOptions,
    /// Worker threads (at least 1); `None`: [`default_jobs`](crate::default_jobs) for the example.
    pub jobs: Option<usize>,
    /// Where the results and each submission's reports and build log go (made if missing).
    pub out: PathBuf,
    /// A build past this long (all its steps) is killed and failed.
    pub build_timeout: Duration,
    /// Arguments given to every submission's program (e.g. `5` for the notes' `Pool(5)`).
    pub args: Vec<OsString>,
    /// `--allow-git`: a Cargo submission's git dependencies over `https://` are fetched
    /// (inside the fetch fence) instead of refused.
    pub allow_git: bool,
    /// Variables of `grade`'s environment passed to every build step (`--build-env`); the
    /// others are not, but the locale and time zone.
    pub build_env: Vec<String>,
}
