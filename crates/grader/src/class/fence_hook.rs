//! Where the fence of issue 10 (crate `fence`) plugs into a submission's build.
//!
//! A build runs the student's code: a `build.rs`, procedural macros. The fence's build profile
//! (`fence::FenceOptions::for_build`) lets it read the project and the toolchain, write only
//! its target directory and a scratch directory, and reach no network at all (not even a
//! loopback of its own). Dependencies are fetched before, outside the fence (`cargo fetch` runs
//! none of the project's code).

use std::path::PathBuf;
use std::process::Command;

use fence::{Fence, FenceOptions};

use super::error::{ClassError, ClassErrorKind};

/// What a fenced build may touch.
#[derive(Debug, Clone)]
pub(crate) struct BuildPaths {
    /// The project or the single file's folder: read-only.
    pub(crate) project: PathBuf,
    /// Where the build writes: the target directory or the binary's folder.
    pub(crate) target_dir: PathBuf,
}

/// A fence applied to one build step; dropping it after the step removes its scratch
/// directory.
#[derive(Debug)]
pub(crate) struct BuildFence {
    /// One line for the build log: which fences hold, and which are missing.
    pub(crate) status: String,
    _fence: Fence,
}

/// `CARGO_HOME`: the variable, else `~/.cargo`.
fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from("/nonexistent/.cargo"))
}

/// `RUSTUP_HOME`: the variable, else `~/.rustup` when it exists (a toolchain from rustup).
fn rustup_home() -> Option<PathBuf> {
    std::env::var_os("RUSTUP_HOME")
        .map(PathBuf::from)
        .or_else(|| {
            let home = PathBuf::from(std::env::var_os("HOME")?).join(".rustup");
            home.is_dir().then_some(home)
        })
}

/// Puts `cmd`, a build step that runs the student's code, inside the build fence
/// (`fence::FenceOptions::for_build`): add hooks that must run before the fence's (a new
/// session) first, and keep the returned guard until the step is over.
///
/// Errors: the fence cannot be prepared (a path it must open is missing, a ruleset cannot be
/// built); kind [`ClassErrorKind::Io`], the cause kept.
pub(crate) fn fence_build(cmd: &mut Command, paths: &BuildPaths) -> Result<BuildFence, ClassError> {
    let options = FenceOptions::for_build(&fence::BuildPaths {
        project: paths.project.clone(),
        target_dir: paths.target_dir.clone(),
        cargo_home: cargo_home(),
        rustup_home: rustup_home(),
    });
    let fence = Fence::prepare(&options)
        .map_err(|e| ClassError::with_cause(ClassErrorKind::Io, "cannot fence the build", e))?;
    fence
        .apply(cmd)
        .map_err(|e| ClassError::with_cause(ClassErrorKind::Io, "cannot fence the build", e))?;
    Ok(BuildFence {
        status: format!("build fence: {}", fence.status()),
        _fence: fence,
    })
}
