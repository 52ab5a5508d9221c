//! What every build shares, one build under way, and the builds of single files (the
//! dispatch on a submission's form is `build`'s).
//!
//! Every submission is first copied into a private folder of its own (`work`): what is built
//! and run is that copy, so that no build or run is ever given read access to the class
//! folder or to another submission.
//!
//! - A Cargo project: see `cargo` (copy, dependency check, private `CARGO_HOME`, fenced fetch,
//!   fenced build).
//! - A single `.rs` file is built with the teacher's `rustc -O --edition 2024` inside the build
//!   fence.
//! - A single `.py` file has nothing to build: it runs with `python3`.
//!
//! Every step has the class's build timeout (one deadline for the whole build); past it the
//! step and everything it started are killed, and the build has failed.

use std::ffi::OsString;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use fence::RunAs;

use super::buildlog::{Log, step};
use super::error::ClassError;
use super::fence_hook::{BuildPaths, StepKind, step_options};
use super::relay::Policy;
use super::scratch::{COPY_MAX_BYTES, copy_project, give_to_nobody};
use super::submission::{Form, Submission};
use super::toolchain::Toolchain;
use i18n::say;

/// The edition a single `.rs` file is compiled with: the one `cargo new` gives.
pub const RUST_EDITION: &str = "2024";

/// A submission built, or why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Built {
    /// The command that runs it: program, then arguments.
    Command(Vec<OsString>),
    /// Why it could not be built, in one line (the details are in its build log).
    Failed(String),
}

/// What every build of a class shares.
#[derive(Debug, Clone)]
pub(crate) struct BuildContext {
    /// The teacher's toolchain (`None` when no submission needs one).
    pub(crate) toolchain: Option<Toolchain>,
    /// The teacher's registry cache, copied into each Cargo build's private `CARGO_HOME`.
    pub(crate) registry: Option<PathBuf>,
    /// `--allow-git`: git dependencies over https are fetched (inside the fetch fence).
    pub(crate) allow_git: bool,
    /// One deadline for all the steps of a build.
    pub(crate) timeout: Duration,
    /// The environment every build step starts from (see [`build_env`]); the fence and the
    /// step add theirs.
    pub(crate) env: Vec<(OsString, OsString)>,
}

/// Variables of the teacher's environment a build step keeps: the locale and the time zone.
/// Everything else (tokens, cloud keys, `CARGO_*` and `RUSTFLAGS` settings) stays out: a build
/// script could print it into the build log, which the student's reports quote.
const KEPT_ENV: [&str; 5] = ["LANG", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TZ"];

/// The environment of every build step: [`KEPT_ENV`] and the variables named by
/// `--build-env`, from `grade`'s own environment, those that are set.
pub(crate) fn build_env(named: &[String]) -> Vec<(OsString, OsString)> {
    KEPT_ENV
        .iter()
        .copied()
        .chain(named.iter().map(String::as_str))
        .filter_map(|k| Some((OsString::from(k), std::env::var_os(k)?)))
        .collect()
}

impl BuildContext {
    /// A build step's command: `program` with an empty environment but [`BuildContext::env`].
    pub(crate) fn command(&self, program: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear().envs(self.env.iter().map(|(k, v)| (k, v)));
        cmd
    }
}

/// One build under way: its log, its private folder, its deadline.
pub(crate) struct Job<'a> {
    pub(crate) log: Log,
    pub(crate) work: PathBuf,
    pub(crate) deadline: Instant,
    pub(crate) ctx: &'a BuildContext,
}

impl Job<'_> {
    /// Runs `cmd` as a build step (fenced with `paths` and `kind` when given), its stdout into
    /// `stdout` or the log. `None` when it succeeded, else why the build failed.
    pub(crate) fn step(
        &mut self,
        cmd: &mut Command,
        fence: Option<(&BuildPaths, StepKind)>,
        stdout: Option<fs::File>,
    ) -> Result<Option<String>, ClassError> {
        let options = match (fence, &self.ctx.toolchain) {
            (Some((paths, kind)), Some(tc)) => Some(step_options(paths, tc, kind)),
            _ => None,
        };
        let policy = Policy {
            any_host: self.ctx.allow_git,
        };
        step(
            &mut self.log,
            cmd,
            options.as_ref(),
            policy,
            stdout,
            self.deadline,
            self.ctx.timeout,
        )
    }
}

impl<'a> Job<'a> {
    /// A build in `work` (a private folder of its own, made here), its log written to
    /// `log_path`.
    pub(crate) fn start(
        work: &Path,
        log_path: &Path,
        ctx: &'a BuildContext,
    ) -> Result<Self, ClassError> {
        let log = Log::create(log_path)?;
        fs::create_dir_all(work).map_err(|e| ClassError::io(work, "class-io-make", e))?;
        Ok(Job {
            log,
            work: work.to_path_buf(),
            deadline: Instant::now() + ctx.timeout,
            ctx,
        })
    }
}

/// Builds a submission that is not a Cargo project: a single `.rs` file with `rustc`, a `.py`
/// file (nothing to build), or what is no submission at all (why, in the log).
pub(crate) fn build_file(sub: &Submission, job: &mut Job<'_>) -> Result<Built, ClassError> {
    Ok(match sub.form {
        Form::Rust => match copy_single(sub, job)? {
            Ok(file) => build_rust(&file, job)?,
            Err(why) => Built::Failed(why),
        },
        Form::Python => match copy_single(sub, job)? {
            Ok(file) => {
                job.log
                    .line(&say!("class-log-python", file = file.display().to_string()))?;
                Built::Command(vec!["python3".into(), file.into()])
            }
            Err(why) => Built::Failed(why),
        },
        Form::Cargo | Form::Unknown => {
            let why = sub
                .unknown_because
                .clone()
                .unwrap_or_else(|| say!("class-why-not-submission"));
            job.log.line(&format!("{}: {why}", sub.entry.display()))?;
            Built::Failed(why)
        }
    })
}

/// Copies a single-file submission into `work/src`: the file alone when the entry is the
/// file, the entry's folder when it is a folder holding the file. Returns the copy's path, or
/// why it could not be copied (the student's).
fn copy_single(sub: &Submission, job: &mut Job<'_>) -> Result<Result<PathBuf, String>, ClassError> {
    let dir = job.work.join("src");
    let Some(name) = sub.source.file_name() else {
        return Ok(Err(say!("class-why-no-file-name")));
    };
    let copied = if sub.entry.is_dir() {
        let from = sub.source.parent().unwrap_or(Path::new("/"));
        copy_project(from, &dir).map(|c| c.dropped)
    } else {
        copy_file(&sub.source, &dir.join(name)).map(|()| Vec::new())
    };
    let dropped = match copied {
        Ok(d) => d,
        Err(e) => return Ok(Err(say!("class-why-cannot-copy", error = e.to_string()))),
    };
    for (d, why) in &dropped {
        job.log.line(&say!(
            "class-log-left-out",
            path = d.display().to_string(),
            why = say!(why)
        ))?;
    }
    let file = dir.join(name);
    // Readable by the run's ids (nobody when root), whatever mode the student's file had.
    fs::set_permissions(&file, fs::Permissions::from_mode(0o644))
        .map_err(|e| ClassError::io(&file, "class-io-readable", e))?;
    job.log.line(&say!(
        "class-log-copied",
        entry = sub.entry.display().to_string(),
        file = file.display().to_string()
    ))?;
    Ok(Ok(file))
}

/// Copies the single file `from` to `to` (its folder made): a regular file of at most
/// [`COPY_MAX_BYTES`] only (a fifo would hang the copy, a device fill the disk).
fn copy_file(from: &Path, to: &Path) -> std::io::Result<()> {
    let meta = fs::metadata(from)?;
    if !meta.is_file() {
        return Err(std::io::Error::other(say!("class-why-not-regular")));
    }
    if meta.len() > COPY_MAX_BYTES {
        return Err(std::io::Error::other(say!(
            "class-why-file-too-large",
            mib = (COPY_MAX_BYTES >> 20).to_string()
        )));
    }
    if let Some(dir) = to.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::copy(from, to).map(|_| ())
}

fn build_rust(file: &Path, job: &mut Job<'_>) -> Result<Built, ClassError> {
    let Some(tc) = job.ctx.toolchain.clone() else {
        return Ok(Built::Failed(say!("class-why-no-toolchain")));
    };
    job.log.line(&tc.describe())?;
    let bin = job.work.join("port");
    let cargo_home = job.work.join("cargo-home");
    fs::create_dir_all(&cargo_home).map_err(|e| ClassError::io(&cargo_home, "class-io-make", e))?;
    let mut cmd = job.ctx.command(&tc.rustc);
    cmd.args(["-O", "--edition", RUST_EDITION, "-o"])
        .arg(&bin)
        .arg(file)
        .current_dir(&job.work);
    let paths = BuildPaths {
        project: job.work.join("src"),
        target_dir: job.work.clone(),
        cargo_home,
    };
    if tc.run_as == RunAs::Nobody {
        // rustc writes the binary (and its temporary files) into the work folder.
        for dir in [&job.work, &paths.cargo_home] {
            give_to_nobody(dir, false).map_err(|e| ClassError::io(dir, "class-io-give", e))?;
        }
    }
    if let Some(failed) = job.step(&mut cmd, Some((&paths, StepKind::Build)), None)? {
        return Ok(Built::Failed(failed));
    }
    Ok(Built::Command(vec![bin.into()]))
}
