//! Paths a run may read that its ids cannot reach on the host: a toolchain under `/root`
//! (mode 0700) for a run that root drops to `nobody`.
//!
//! The host is left as it is (no mode changed, no copy). Instead, before each fork the invoker
//! clones the path's mount tree (`open_tree(OPEN_TREE_CLONE)`, which needs no search right for
//! root), detached and read-only; the child, in its own user and mount namespaces, mounts a
//! small tmpfs on the first folder above the path that `nobody` cannot search (`/root`: the
//! rest of that folder is then hidden too), makes the folders down to the path in it, and
//! moves the clone there (`move_mount`). The path is the same inside as outside, so a
//! toolchain finds itself where it was installed; its files keep their owner and modes (a
//! clone cannot lend rights the files do not give `nobody`).

use std::ffi::CString;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::error::{FenceError, FenceErrorKind};
use crate::options::NOBODY;

/// One path to bind, worked out before the fork.
#[derive(Debug, Clone)]
pub(crate) struct Bind {
    /// The path (absolute, canonical).
    pub path: PathBuf,
    /// The folder the child covers with a tmpfs (`None` when the path is reachable already:
    /// nothing to do).
    pub cover: Option<CString>,
    /// The folders the child makes in the tmpfs, from the cover down to the path itself.
    pub mkdirs: Vec<CString>,
    /// The path, where the clone is moved.
    pub target: CString,
}

/// The child's part of one bind: a detached clone of the tree and where it goes.
#[derive(Debug)]
pub(crate) struct ChildBind {
    /// Mount a tmpfs here first (only the first bind under a cover).
    pub cover: Option<CString>,
    pub mkdirs: Vec<CString>,
    pub target: CString,
    /// The detached, read-only clone (`open_tree` fd).
    pub tree: OwnedFd,
}

fn c_path(p: &Path) -> Result<CString, FenceError> {
    CString::new(p.as_os_str().as_bytes()).map_err(|e| {
        FenceError::with_source(
            FenceErrorKind::InvalidOption,
            format!("{} holds a NUL byte", p.display()),
            e,
        )
    })
}

/// Whether `nobody` (uid and gid 65534, no other group) has the `want` bits (`0o1` search,
/// `0o4` read, as the "other" triple) on `meta`.
fn nobody_may(meta: &std::fs::Metadata, want: u32) -> bool {
    let mode = meta.permissions().mode();
    let bits = if meta.uid() == NOBODY {
        mode >> 6
    } else if meta.gid() == NOBODY {
        mode >> 3
    } else {
        mode
    };
    bits & want == want
}

/// Works out how `path` is made reachable for `nobody`.
///
/// Errors: the path cannot be resolved, is not a folder, or `nobody` could not read it even
/// bound (its own mode, or that of its `bin` folder, gives others no read and search).
pub(crate) fn plan_bind(path: &Path) -> Result<Bind, FenceError> {
    let path = path.canonicalize().map_err(|e| {
        FenceError::with_source(
            FenceErrorKind::Path,
            format!("opening {}", path.display()),
            e,
        )
    })?;
    let meta = |p: &Path| {
        std::fs::metadata(p).map_err(|e| {
            FenceError::with_source(FenceErrorKind::Path, format!("{}", p.display()), e)
        })
    };
    let own = meta(&path)?;
    if !own.is_dir() || !nobody_may(&own, 0o5) {
        return Err(FenceError::new(
            FenceErrorKind::InvalidOption,
            format!(
                "{} is not a folder nobody may read: binding it would not help",
                path.display()
            ),
        ));
    }
    // The first folder from the top down that nobody cannot search.
    let mut ancestors: Vec<&Path> = path.ancestors().skip(1).collect();
    ancestors.reverse();
    let mut cover = None;
    for a in ancestors {
        if !nobody_may(&meta(a)?, 0o1) {
            cover = Some(a.to_path_buf());
            break;
        }
    }
    let target = c_path(&path)?;
    let Some(cover) = cover else {
        return Ok(Bind {
            path,
            cover: None,
            mkdirs: Vec::new(),
            target,
        });
    };
    let mut mkdirs: Vec<CString> = path
        .ancestors()
        .take_while(|a| *a != cover)
        .map(c_path)
        .collect::<Result<_, _>>()?;
    mkdirs.reverse();
    Ok(Bind {
        path,
        cover: Some(c_path(&cover)?),
        mkdirs,
        target,
    })
}

/// `open_tree` flags and `mount_setattr` values (not all in the libc crate).
const OPEN_TREE_CLONE: libc::c_uint = 1;
const AT_RECURSIVE: libc::c_uint = 0x8000;
const MOUNT_ATTR_RDONLY: u64 = 0x1;
const MOUNT_ATTR_NOSUID: u64 = 0x2;
const MOUNT_ATTR_NODEV: u64 = 0x4;

/// `struct mount_attr`.
#[repr(C)]
struct MountAttr {
    attr_set: u64,
    attr_clr: u64,
    propagation: u64,
    userns_fd: u64,
}

/// A detached, read-only (nosuid, nodev) clone of the mount tree at `bind.path`, for one
/// child. Needs root (or the mount namespace's capability).
pub(crate) fn clone_tree(bind: &Bind) -> Result<OwnedFd, FenceError> {
    let fail = |what: &str| {
        FenceError::with_source(
            FenceErrorKind::Path,
            format!("{what} {}", bind.path.display()),
            std::io::Error::last_os_error(),
        )
    };
    // SAFETY: a NUL-terminated path and integer flags; the result is checked.
    let raw = unsafe {
        libc::syscall(
            libc::SYS_open_tree,
            libc::AT_FDCWD,
            bind.target.as_ptr(),
            OPEN_TREE_CLONE | libc::O_CLOEXEC as libc::c_uint | AT_RECURSIVE,
        )
    };
    if raw < 0 {
        return Err(fail("cloning the mount tree of"));
    }
    // SAFETY: a new fd we own.
    let tree = unsafe { OwnedFd::from_raw_fd(raw as libc::c_int) };
    let attr = MountAttr {
        attr_set: MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV,
        attr_clr: 0,
        propagation: 0,
        userns_fd: 0,
    };
    let empty = c"";
    // SAFETY: the fd is open, the path empty with AT_EMPTY_PATH, the struct of the kernel's
    // layout and size.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_mount_setattr,
            std::os::fd::AsRawFd::as_raw_fd(&tree),
            empty.as_ptr(),
            libc::AT_EMPTY_PATH as libc::c_uint | AT_RECURSIVE,
            &attr as *const MountAttr,
            std::mem::size_of::<MountAttr>(),
        )
    };
    if rc < 0 {
        return Err(fail("making read-only the clone of"));
    }
    Ok(tree)
}

/// In the child: carries out one bind (raw syscalls only). `Err` is the errno's error.
pub(crate) fn bind_in_child(bind: &ChildBind) -> std::io::Result<()> {
    let check = |rc: libc::c_long| {
        if rc == -1 {
            Err(std::io::Error::last_os_error())
        } else {
            Ok(())
        }
    };
    if let Some(cover) = &bind.cover {
        let tmpfs = c"tmpfs";
        let data = c"size=64k,nr_inodes=256,mode=0755";
        // SAFETY: NUL-terminated strings prepared before the fork.
        check(unsafe {
            libc::mount(
                tmpfs.as_ptr(),
                cover.as_ptr(),
                tmpfs.as_ptr(),
                libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
                data.as_ptr().cast(),
            )
        } as libc::c_long)?;
    }
    for dir in &bind.mkdirs {
        // SAFETY: a NUL-terminated path.
        if unsafe { libc::mkdir(dir.as_ptr(), 0o755) } == -1 {
            let e = std::io::Error::last_os_error();
            if e.raw_os_error() != Some(libc::EEXIST) {
                return Err(e);
            }
        }
    }
    let empty = c"";
    // SAFETY: an open tree fd, an empty path with F_EMPTY_PATH, a NUL-terminated target.
    check(unsafe {
        libc::syscall(
            libc::SYS_move_mount,
            std::os::fd::AsRawFd::as_raw_fd(&bind.tree),
            empty.as_ptr(),
            libc::AT_FDCWD,
            bind.target.as_ptr(),
            libc::MOVE_MOUNT_F_EMPTY_PATH,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cover_is_the_first_folder_nobody_cannot_search() {
        let top = std::env::temp_dir().join(format!("fence-bind-{}", std::process::id()));
        let deep = top.join("closed/a/b");
        std::fs::create_dir_all(&deep).expect("mkdir");
        std::fs::set_permissions(&top, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        std::fs::set_permissions(top.join("closed"), std::fs::Permissions::from_mode(0o700))
            .expect("chmod");
        std::fs::set_permissions(&deep, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let bind = plan_bind(&deep);
        let open = plan_bind(&top);
        std::fs::set_permissions(&deep, std::fs::Permissions::from_mode(0o700)).expect("chmod");
        let unreadable = plan_bind(&deep);
        let _ = std::fs::remove_dir_all(&top);
        let bind = bind.expect("plan");
        let canon = |p: &Path| c_path(p).expect("c");
        assert_eq!(bind.cover, Some(canon(&top.join("closed"))));
        assert_eq!(
            bind.mkdirs,
            [top.join("closed/a"), deep.clone()].map(|p| canon(&p))
        );
        // Only when the temporary folder's parents are open to all, as /tmp's are.
        if std::env::temp_dir() == Path::new("/tmp") {
            assert_eq!(open.expect("plan").cover, None);
        }
        assert!(unreadable.is_err());
    }
}
