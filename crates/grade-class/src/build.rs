//! Building one submission into the command that runs it, with a build log: a Cargo project
//! (`cargo`), or a single file (`compile`).

use std::path::Path;

use super::buildlog::shown;
use super::cargo::build_cargo;
use super::compile::{BuildContext, Built, Job, build_file};
use super::error::ClassError;
use super::submission::{Form, Submission};
use i18n::say;

/// Builds `sub` in `work` (a private folder of its own, made here), writing the build log to
/// `log_path`. Errors only for our own failures (the log or scratch cannot be written); the
/// student's are `Built::Failed`.
pub(crate) fn build(
    sub: &Submission,
    work: &Path,
    log_path: &Path,
    ctx: &BuildContext,
) -> Result<Built, ClassError> {
    let mut job = Job::start(work, log_path, ctx)?;
    let built = match sub.form {
        Form::Cargo => build_cargo(sub, &mut job)?,
        Form::Rust | Form::Python | Form::Unknown => build_file(sub, &mut job)?,
    };
    match &built {
        Built::Command(cmd) => job
            .log
            .line(&say!("class-log-build-ok", command = shown(cmd)))?,
        Built::Failed(why) => job
            .log
            .line(&say!("class-log-build-failed", why = why.as_str()))?,
    }
    job.log.finish()?;
    Ok(built)
}
