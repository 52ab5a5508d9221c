//! Scratch space for builds: a private folder per class, removed when the class is done, and
//! the copy of a Cargo project into it.
//!
//! A project is built from a copy so that it is its own workspace wherever the class folder
//! sits (cargo looks for an enclosing workspace in every parent folder and has no option to
//! stop; adding `[workspace]` to a student's manifest is not ours to do), and so that the
//! student's folder is left as it was (no `Cargo.lock`, no `target/`).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use i18n::say;

/// A project copy stops past this many bytes: a submission is source code.
pub(crate) const COPY_MAX_BYTES: u64 = 256 << 20;
/// ... or past this many files, folders and links (a million empty files would stall the
/// class before any fence is up).
pub(crate) const COPY_MAX_ENTRIES: usize = 20_000;

/// Why a toolchain file or cargo configuration is left out (a catalogue message's id).
pub(crate) const WHY_DROPPED: &str = "class-why-dropped";
/// Why a hard link is left out (a catalogue message's id).
pub(crate) const WHY_HARD_LINK: &str = "class-why-hard-link";

/// A private folder under the system's temporary folder, removed on drop.
#[derive(Debug)]
pub(crate) struct Scratch {
    path: PathBuf,
}

impl Scratch {
    /// Makes `$TMPDIR/grade-class-PID-NANOS`: listed by us only, but others may pass through
    /// (a fenced run as `nobody` must reach the binary built there).
    pub(crate) fn create() -> io::Result<Scratch> {
        use std::os::unix::fs::DirBuilderExt;
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let path = std::env::temp_dir().join(format!("grade-class-{}-{nanos}", std::process::id()));
        fs::DirBuilder::new().mode(0o711).create(&path)?;
        Ok(Scratch { path })
    }

    /// The folder.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// The first folder above `dir` holding a `Cargo.toml`, if any: a copy there would still be
/// inside another workspace.
pub(crate) fn enclosing_manifest(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .skip(1)
        .map(|a| a.join("Cargo.toml"))
        .find(|m| m.is_file())
}

/// Files that choose a toolchain or configure cargo: never copied, at any depth (the
/// toolchain is the teacher's, cargo's configuration the grader's).
pub(crate) const DROPPED: [&str; 3] = ["rust-toolchain", "rust-toolchain.toml", ".cargo"];

/// What a project copy left out on purpose: the [`DROPPED`] entries it found, and hard links
/// to files of another owner than the project's folder.
#[derive(Debug, Default)]
pub(crate) struct Copied {
    /// Bytes copied.
    pub(crate) bytes: u64,
    /// Files, folders and links copied.
    pub(crate) entries: usize,
    /// The dropped entries, relative to the project, each with why.
    pub(crate) dropped: Vec<(PathBuf, &'static str)>,
}

/// Copies the project `from` into `to` (made), but its top-level `target/` and hidden entries
/// (`.git`, editor folders), the [`DROPPED`] files anywhere, and hard links to files whose
/// owner is not the folder's; symbolic links are copied as links (never followed: what they
/// point at is out of the fences' reach).
///
/// Errors: a file that cannot be read or written, more than [`COPY_MAX_BYTES`] or more than
/// [`COPY_MAX_ENTRIES`].
pub(crate) fn copy_project(from: &Path, to: &Path) -> io::Result<Copied> {
    use std::os::unix::fs::MetadataExt;
    let mut copied = Copied::default();
    let owner = fs::metadata(from)?.uid();
    copy_dir(from, to, Path::new(""), owner, &mut copied)?;
    Ok(copied)
}

fn copy_dir(from: &Path, to: &Path, rel: &Path, owner: u32, copied: &mut Copied) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let top = rel.as_os_str().is_empty();
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if DROPPED.iter().any(|d| name == *d) {
            copied.dropped.push((rel.join(&name), WHY_DROPPED));
            continue;
        }
        copied.entries += 1;
        if copied.entries > COPY_MAX_ENTRIES {
            return Err(io::Error::other(say!(
                "class-why-too-many-files",
                max = COPY_MAX_ENTRIES.to_string()
            )));
        }
        if top && (name == "target" || name.to_string_lossy().starts_with('.')) {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        let kind = entry.file_type()?;
        if kind.is_symlink() {
            std::os::unix::fs::symlink(fs::read_link(&src)?, &dst)?;
        } else if kind.is_dir() {
            copy_dir(&src, &dst, &rel.join(&name), owner, copied)?;
        } else if kind.is_file() {
            let meta = entry.metadata()?;
            if meta.nlink() > 1 && meta.uid() != owner {
                copied.dropped.push((rel.join(&name), WHY_HARD_LINK));
                continue;
            }
            copied.bytes += meta.len();
            if copied.bytes > COPY_MAX_BYTES {
                return Err(io::Error::other(say!(
                    "class-why-too-large",
                    mib = (COPY_MAX_BYTES >> 20).to_string()
                )));
            }
            fs::copy(&src, &dst)?;
        }
        // Sockets, fifos and devices are no part of a project.
    }
    Ok(())
}

/// Gives `path`, and when `deep` everything below it (links themselves, never followed), to
/// `nobody`: what a build step that root runs as `nobody` must write (the target folder, the
/// private `CARGO_HOME`, the copy whose `Cargo.lock` a fetch writes). Nothing when `grade`
/// does not run as root (the steps keep its ids).
///
/// Errors: an entry whose owner cannot be changed.
pub(crate) fn give_to_nobody(path: &Path, deep: bool) -> io::Result<()> {
    // SAFETY: geteuid cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(());
    }
    let nobody = Some(fence::NOBODY);
    std::os::unix::fs::lchown(path, nobody, nobody)?;
    if deep && fs::symlink_metadata(path)?.is_dir() {
        for entry in fs::read_dir(path)? {
            give_to_nobody(&entry?.path(), true)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_leaves_target_and_hidden_folders_and_keeps_links() {
        let scratch = Scratch::create().expect("scratch");
        let from = scratch.path().join("from");
        fs::create_dir_all(from.join("src")).expect("mkdir");
        fs::create_dir_all(from.join("target/release")).expect("mkdir");
        fs::create_dir_all(from.join(".git")).expect("mkdir");
        fs::write(from.join("Cargo.toml"), "[package]\n").expect("write");
        fs::write(from.join("src/main.rs"), "fn main() {}\n").expect("write");
        fs::write(from.join("target/release/big"), "x").expect("write");
        std::os::unix::fs::symlink("main.rs", from.join("src/link.rs")).expect("symlink");
        fs::write(from.join("rust-toolchain.toml"), "[toolchain]\n").expect("write");
        fs::create_dir_all(from.join("src/.cargo")).expect("mkdir");
        fs::write(from.join("src/rust-toolchain"), "stable\n").expect("write");
        let to = scratch.path().join("to");
        let copied = copy_project(&from, &to).expect("copy");
        assert_eq!(copied.bytes, 10 + 13);
        let mut dropped: Vec<PathBuf> = copied.dropped.iter().map(|(p, _)| p.clone()).collect();
        dropped.sort();
        assert_eq!(
            dropped,
            ["rust-toolchain.toml", "src/.cargo", "src/rust-toolchain"].map(PathBuf::from)
        );
        assert!(!to.join("rust-toolchain.toml").exists());
        assert!(to.join("src/main.rs").is_file());
        assert_eq!(
            fs::read_link(to.join("src/link.rs")).expect("link"),
            Path::new("main.rs")
        );
        assert!(!to.join("target").exists());
        assert!(!to.join(".git").exists());
        let path = scratch.path().to_path_buf();
        drop(scratch);
        assert!(!path.exists());
    }
}
