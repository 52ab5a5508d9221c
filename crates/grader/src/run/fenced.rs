//! The fence of one run (crate `fence`): prepared before the spawn with the command's own
//! directories readable, applied to the run's `Command` (before the tracer adds its hook),
//! dropped (scratch removed) after the run.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use fence::Fence;

use super::config::{RunConfig, RunError};

/// The fence of a run when `cfg` asks for one; it must live until the run is over.
pub(super) fn prepare(cfg: &RunConfig) -> Result<Option<Fence>, RunError> {
    let Some(options) = &cfg.fence else {
        return Ok(None);
    };
    let mut options = options.clone();
    let dirs = command_dirs(&cfg.program, cfg.args.iter().map(|a| a.as_os_str()));
    preflight(cfg)?;
    for dir in dirs {
        if !options.read_only.contains(&dir) {
            options.read_only.push(dir);
        }
    }
    Fence::prepare(&options).map(Some).map_err(RunError::fence)
}

/// Adds the fence's hook and environment to the run's command (after its setsid hook).
pub(super) fn apply(fence: Option<&Fence>, cmd: &mut Command) -> Result<(), RunError> {
    match fence {
        Some(f) => f.apply(cmd).map_err(RunError::fence),
        None => Ok(()),
    }
}

/// Fails before any run when the fenced run could not reach its own files (see
/// [`reachable_by_nobody`]); nothing to check for an unfenced run or one that keeps our ids.
pub fn preflight(cfg: &RunConfig) -> Result<(), RunError> {
    let Some(options) = &cfg.fence else {
        return Ok(());
    };
    // SAFETY: geteuid cannot fail.
    if unsafe { libc::geteuid() } == 0 && options.run_as == fence::RunAs::Nobody {
        let mut dirs = command_dirs(&cfg.program, cfg.args.iter().map(|a| a.as_os_str()));
        dirs.extend(options.read_only.iter().cloned());
        reachable_by_nobody(&dirs)?;
    }
    Ok(())
}

/// Fails with one clear line when a folder of the command cannot be entered by others: as root
/// the run is `nobody`, which needs `o+x` on every folder down to its files (a submission
/// under `/root` cannot run there).
fn reachable_by_nobody(dirs: &[PathBuf]) -> Result<(), RunError> {
    use std::os::unix::fs::PermissionsExt;
    for dir in dirs {
        for d in dir.ancestors() {
            let searchable = std::fs::metadata(d)
                .map(|m| m.permissions().mode() & 0o001 != 0)
                .unwrap_or(false);
            if !searchable {
                return Err(RunError::fence(fence::FenceError::unreachable(d)));
            }
        }
    }
    Ok(())
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

/// The system calls a trace saw refused, one line each: `kill (EPERM): SIGKILL to pid 123`.
pub(crate) fn refusals(trace: &tracer::Trace) -> Vec<String> {
    trace
        .refusals
        .iter()
        .map(|r| format!("{} ({}): {}", r.syscall, r.errno, r.detail))
        .collect()
}
