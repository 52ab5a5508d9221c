//! Where the fence of issue 10 (crate `fence`) plugs into a submission's build.
//!
//! A build runs the student's code: a `build.rs`, procedural macros. The fence's build profile
//! (`fence::FenceOptions::for_build`) lets it read the project and the toolchain, write only
//! its target directory and a scratch directory, and reach no network at all. Dependencies are
//! fetched before, outside the fence (`cargo fetch` runs none of the project's code).

use std::path::PathBuf;
use std::process::Command;

use super::error::ClassError;

/// What a fenced build may touch (mirrors `fence::BuildPaths`).
#[derive(Debug, Clone)]
#[expect(dead_code, reason = "read by the fence once it lands (issue 10)")]
pub(crate) struct BuildPaths {
    /// The project or the single file's folder: read-only.
    pub(crate) project: PathBuf,
    /// Where the build writes: the target directory or the binary's folder.
    pub(crate) target_dir: PathBuf,
    /// `CARGO_HOME`, read-only (dependencies fetched before).
    pub(crate) cargo_home: Option<PathBuf>,
    /// `RUSTUP_HOME`, read-only, when the toolchain comes from rustup.
    pub(crate) rustup_home: Option<PathBuf>,
}

/// A fence applied to one build step; dropping it after the step removes what it made (the
/// fence's scratch directory).
#[derive(Debug)]
pub(crate) struct BuildFence {
    /// One line for the build log: which fences hold, or that none does.
    pub(crate) status: String,
}

/// Puts `cmd`, a build step that runs the student's code, inside the build fence.
///
/// TODO(issue 10, when `crates/fence` lands): prepare
/// `fence::Fence::prepare(&fence::FenceOptions::for_build(&fence::BuildPaths { .. }))`, then
/// `fence.apply(cmd)`, keep the `Fence` in the returned guard and its status line; map a
/// `FenceError` to `ClassError` (kind Io, cause kept). Until then builds are not fenced, and the
/// build log says so.
pub(crate) fn fence_build(cmd: &mut Command, paths: &BuildPaths) -> Result<BuildFence, ClassError> {
    let _ = (cmd, paths);
    Ok(BuildFence {
        status: "fence: none (the fence crate of issue 10 is not in this build): the build runs \
                 the submission's code unfenced"
            .to_string(),
    })
}
