//! Whether a program a task exec'd is the system's: the file it exec'd is the file of that name
//! in a folder of the run's PATH. A port cannot pass a copy of `/bin/echo` named `uname` (in its
//! scratch folder, or anywhere else it may write) for the system's `uname`: the copy is another
//! file (device and inode), whatever its path and name.

use std::ffi::OsStr;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// The folders whose programs are the system's: the absolute folders of the run's `PATH`, but
/// those anybody may write into (`/tmp`: a port could put its own file there).
pub(super) fn system_dirs(path: &OsStr) -> Vec<PathBuf> {
    std::env::split_paths(path)
        .filter(|d| d.is_absolute())
        .filter(|d| std::fs::metadata(d).is_ok_and(|m| m.is_dir() && m.mode() & 0o002 == 0))
        .collect()
}

/// Whether `exec` ran the system's program: the file it exec'd (as the tracer identified it at
/// the exec) is the file named as its path's last part in one of `dirs`. A script's exec is its
/// interpreter's, which is judged the same way.
pub(super) fn is_system(exec: &tracer::Exec, dirs: &[PathBuf]) -> bool {
    let Some(file) = exec.file else {
        return false;
    };
    let Some(name) = Path::new(&exec.path).file_name() else {
        return false;
    };
    dirs.iter().any(|d| {
        std::fs::metadata(d.join(name)).is_ok_and(|m| m.dev() == file.dev && m.ino() == file.ino)
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn exec_of(path: &Path) -> tracer::Exec {
        tracer::Exec {
            path: path.display().to_string(),
            argv: Vec::new(),
            file: tracer::FileId::of_path(path).ok(),
            at: Duration::ZERO,
        }
    }

    #[test]
    fn the_system_s_sh_is_and_a_copy_named_sh_is_not() {
        let dirs = system_dirs(OsStr::new("/usr/bin:/bin:relative"));
        assert!(dirs.iter().all(|d| d.is_absolute()));
        let sh = Path::new("/bin/sh").canonicalize().expect("/bin/sh");
        assert!(is_system(&exec_of(&sh), &dirs), "{sh:?}");

        let scratch = std::env::temp_dir().join(format!("system-exec-{}", std::process::id()));
        std::fs::create_dir_all(&scratch).expect("scratch");
        let copy = scratch.join(sh.file_name().expect("a name"));
        std::fs::copy(&sh, &copy).expect("copy");
        let copied = exec_of(&copy);
        let _ = std::fs::remove_dir_all(&scratch);
        assert!(!is_system(&copied, &dirs));
        // Its folder on the PATH would make it the system's; /tmp-like folders never do.
        let open = system_dirs(std::env::temp_dir().as_os_str());
        assert!(open.is_empty() || !std::env::temp_dir().starts_with("/tmp"));
        // Unknown identity: not the system's.
        let unknown = tracer::Exec {
            file: None,
            ..exec_of(&sh)
        };
        assert!(!is_system(&unknown, &dirs));
    }
}
