//! The fence of one run (crate `fence`): prepared before the spawn with the command's own
//! directories readable, applied to the run's `Command`, dropped (scratch removed) after it.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use fence::Fence;

use super::config::{RunConfig, RunError};

/// Fences `cmd` when `cfg` asks for it; the returned fence must live until the run is over.
pub(super) fn apply(cfg: &RunConfig, cmd: &mut Command) -> Result<Option<Fence>, RunError> {
    let Some(options) = &cfg.fence else {
        return Ok(None);
    };
    let mut options = options.clone();
    for dir in command_dirs(&cfg.program, cfg.args.iter().map(|a| a.as_os_str())) {
        if !options.read_only.contains(&dir) {
            options.read_only.push(dir);
        }
    }
    let fence = Fence::prepare(&options).map_err(RunError::fence)?;
    fence.apply(cmd).map_err(RunError::fence)?;
    Ok(Some(fence))
}

/// The directories a command needs to read its own files: the program's, when it is given as a
/// path, and that of every argument naming an existing file (a script), or the argument itself
/// when it names a directory. Canonical, so that symbolic links resolve to what the fence opens.
pub fn command_dirs<'a>(program: &OsStr, args: impl Iterator<Item = &'a OsStr>) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    let mut add = |p: &Path| {
        let dir = if p.is_dir() { Some(p) } else { p.parent() };
        if let Some(dir) = dir.and_then(|d| {
            let d = if d.as_os_str().is_empty() {
                Path::new(".")
            } else {
                d
            };
            d.canonicalize().ok()
        }) && !dirs.contains(&dir)
        {
            dirs.push(dir);
        }
    };
    let program = Path::new(program);
    if program.components().count() > 1 {
        add(program);
    }
    for arg in args {
        let p = Path::new(arg);
        if p.exists() && (p.is_file() || p.components().count() > 1) {
            add(p);
        }
    }
    dirs
}
