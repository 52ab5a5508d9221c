//! The private scratch directory of a run (its TMPDIR and HOME): made before the fork, the
//! mountpoint of the run's tmpfs when it has a mount namespace, removed with the fence.

use std::ffi::CString;
use std::fs::DirBuilder;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{FenceError, FenceErrorKind};

/// A scratch directory, removed (with what is in it) on drop.
#[derive(Debug)]
pub(crate) struct Scratch {
    path: PathBuf,
    /// An `O_PATH` fd of the directory: the child mounts the tmpfs on `/proc/self/fd/N`, which
    /// needs no search permission on the parents (the run's ids may have none).
    fd: OwnedFd,
}

impl Scratch {
    /// Makes `fence-<pid>-<n>-<nanos>` under `parent`, mode 0700, owned by `owner` when given
    /// (a run dropping to nobody without a tmpfs of its own must be able to write in it).
    pub(crate) fn create(parent: &Path, owner: Option<(u32, u32)>) -> Result<Scratch, FenceError> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let mut last_error = None;
        for _ in 0..16 {
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0);
            let name = format!(
                "fence-{}-{}-{nanos:x}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            );
            let path = parent.join(name);
            match DirBuilder::new().mode(0o700).create(&path) {
                Ok(()) => return Scratch::open(path, owner),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last_error = Some(e),
                Err(e) => {
                    return Err(FenceError::with_source(
                        FenceErrorKind::Scratch,
                        format!("creating a directory in {}", parent.display()),
                        e,
                    ));
                }
            }
        }
        Err(FenceError::with_source(
            FenceErrorKind::Scratch,
            format!("no free name in {}", parent.display()),
            last_error.unwrap_or_else(|| std::io::Error::from_raw_os_error(libc::EEXIST)),
        ))
    }

    fn open(path: PathBuf, owner: Option<(u32, u32)>) -> Result<Scratch, FenceError> {
        let fail = |what: &str, e: std::io::Error| {
            let _ = std::fs::remove_dir(&path);
            FenceError::with_source(
                FenceErrorKind::Scratch,
                format!("{what} {}", path.display()),
                e,
            )
        };
        if let Some((uid, gid)) = owner {
            std::os::unix::fs::chown(&path, Some(uid), Some(gid))
                .map_err(|e| fail("giving to the run's ids", e))?;
        }
        let c_path = CString::new(path.as_os_str().as_bytes())
            .map_err(|e| fail("naming", std::io::Error::other(e)))?;
        // SAFETY: a NUL-terminated path; O_PATH needs no mode.
        let raw = unsafe {
            libc::open(
                c_path.as_ptr(),
                libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC,
            )
        };
        if raw == -1 {
            return Err(fail("opening", std::io::Error::last_os_error()));
        }
        // SAFETY: `raw` was just opened and is owned by nobody else.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        Ok(Scratch { path, fd })
    }

    /// The directory.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The directory's `O_PATH` fd (kept open while the fence lives, so the directory
    /// cannot be swapped under the ruleset).
    #[allow(dead_code)]
    pub(crate) fn fd(&self) -> &OwnedFd {
        &self.fd
    }
}

/// Fails unless every parent of `dir` can be searched by anyone (mode `o+x`): a run dropped
/// to nobody must reach the directory by its path.
pub(crate) fn check_searchable(dir: &Path) -> Result<(), FenceError> {
    use std::os::unix::fs::PermissionsExt;
    for parent in dir.ancestors().skip(1) {
        let meta = std::fs::metadata(parent).map_err(|e| {
            FenceError::with_source(FenceErrorKind::Scratch, format!("{}", parent.display()), e)
        })?;
        if meta.permissions().mode() & 0o001 == 0 {
            return Err(FenceError::new(
                FenceErrorKind::Scratch,
                format!(
                    "{} cannot be searched by nobody (mode o+x missing): choose another scratch parent (TMPDIR)",
                    parent.display()
                ),
            ));
        }
    }
    Ok(())
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // With a tmpfs the directory is empty here (the tmpfs lived in the run's mount
        // namespace); without one it holds what the run wrote.
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
