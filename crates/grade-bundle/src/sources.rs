//! This repository's sources, to build the grader elsewhere: the files git tracks, or,
//! outside a git checkout, every file but `target/`, hidden ones and zips. Never what earlier
//! commands left in the checkout (pictures, reports, `runs/`, an earlier `autograder.zip`):
//! those are not tracked.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::error::{BundleError, BundleErrorKind};
use i18n::say;

/// The repository this grader was built from, when it is still there.
pub(crate) fn default_source_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = dir.canonicalize().ok()?;
    is_repo(&dir).then_some(dir)
}

/// `dir` holds this workspace: a root manifest and the `grade` command's (what `setup.sh` builds).
pub(crate) fn is_repo(dir: &Path) -> bool {
    dir.join("Cargo.toml").is_file() && dir.join("crates/grade/Cargo.toml").is_file()
}

/// The files of the repository at `dir`, relative to it, sorted.
pub(crate) fn list(dir: &Path) -> Result<Vec<PathBuf>, BundleError> {
    let mut files = if dir.join(".git").exists() {
        git_files(dir)?
    } else {
        let mut files = Vec::new();
        walk(dir, Path::new(""), &mut files).map_err(|e| {
            BundleError::with_cause(
                BundleErrorKind::Sources,
                say!("class-io-read", path = dir.display().to_string()),
                e,
            )
        })?;
        files
    };
    // Tracked files deleted in the work tree are not sources any more.
    files.retain(|f| dir.join(f).is_file());
    files.sort();
    // A file in a merge conflict is listed once per side.
    files.dedup();
    Ok(files)
}

fn git_files(dir: &Path) -> Result<Vec<PathBuf>, BundleError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["ls-files", "-z", "--cached"])
        .output()
        .map_err(|e| BundleError::with_cause(BundleErrorKind::Sources, say!("bundle-no-git"), e))?;
    if !out.status.success() {
        return Err(BundleError::new(
            BundleErrorKind::Sources,
            say!(
                "bundle-git-failed",
                dir = dir.display().to_string(),
                error = String::from_utf8_lossy(&out.stderr).trim().to_string()
            ),
        ));
    }
    Ok(out
        .stdout
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| PathBuf::from(String::from_utf8_lossy(p).into_owned()))
        .collect())
}

fn walk(root: &Path, rel: &Path, files: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(root.join(rel))? {
        let entry = entry?;
        let name = entry.file_name();
        let text = name.to_string_lossy();
        // Build outputs and bundles are no sources (a bundle inside the next one would grow
        // with every bundle made).
        if text.starts_with('.') || name == "target" || text.ends_with(".zip") {
            continue;
        }
        let path = rel.join(&name);
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(root, &path, files)?;
        } else if kind.is_file() {
            files.push(path);
        }
    }
    Ok(())
}
