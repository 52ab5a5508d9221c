//! A submission's private `CARGO_HOME`, seeded from the teacher's registry cache.
//!
//! The teacher's `CARGO_HOME` holds more than public crates: git checkouts of local
//! repositories (`git/`), credentials, configuration. A submission's fetch and build see none of
//! it: they get a `CARGO_HOME` of their own in the submission's scratch folder, holding copies
//! of the teacher's registry index (`registry/index/*/config.json` and `.cache`) and downloaded
//! crates (`registry/cache/*/*.crate`), so that a dependency the teacher has already fetched
//! resolves without the network. Copies, not links: the build writes there (it unpacks the
//! crates into `registry/src`), and must never write the teacher's files.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The teacher's registry cache: `$CARGO_HOME/registry`, else `~/.cargo/registry`, if it is a
/// folder.
pub(crate) fn teacher_registry() -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    let registry = home.join("registry");
    registry.is_dir().then_some(registry)
}

/// Makes the private `CARGO_HOME` `home` and copies into it the index and crates of the
/// teacher's `registry` (when there is one). Returns the bytes copied.
///
/// Errors: a folder or file that cannot be made or copied.
pub(crate) fn seed(home: &Path, registry: Option<&Path>) -> io::Result<u64> {
    fs::create_dir_all(home.join("registry"))?;
    let Some(registry) = registry else {
        return Ok(0);
    };
    let mut bytes = 0;
    for (part, keep) in [("index", Keep::Index), ("cache", Keep::Crates)] {
        let Ok(sources) = fs::read_dir(registry.join(part)) else {
            continue;
        };
        for source in sources.flatten() {
            if source.file_type()?.is_dir() {
                let to = home.join("registry").join(part).join(source.file_name());
                bytes += copy_tree(&source.path(), &to, keep, true)?;
            }
        }
    }
    Ok(bytes)
}

/// What of a registry folder is copied.
#[derive(Debug, Clone, Copy)]
enum Keep {
    /// An index: `config.json` and the `.cache` tree (no git checkout of the index).
    Index,
    /// Downloaded crates: `*.crate`.
    Crates,
}

/// Copies the regular files of `from` that `keep` names into `to`; links are not followed.
fn copy_tree(from: &Path, to: &Path, keep: Keep, top: bool) -> io::Result<u64> {
    fs::create_dir_all(to)?;
    let mut bytes = 0;
    for entry in fs::read_dir(from)?.flatten() {
        let kind = entry.file_type()?;
        let name = entry.file_name();
        let wanted = match keep {
            Keep::Index if top => name == "config.json" || name == ".cache",
            Keep::Index => true,
            Keep::Crates => kind.is_file() && name.to_string_lossy().ends_with(".crate"),
        };
        if !wanted {
            continue;
        }
        let dst = to.join(&name);
        if kind.is_dir() {
            bytes += copy_tree(&entry.path(), &dst, keep, false)?;
        } else if kind.is_file() {
            bytes += fs::copy(entry.path(), dst)?;
        }
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_index_and_the_crates_are_copied() {
        let tmp = std::env::temp_dir().join(format!("class-cargo-home-{}", std::process::id()));
        let _ = fs::remove_dir_all(&tmp);
        let reg = tmp.join("teacher/registry");
        for dir in [
            "index/idx/.cache/li/bc",
            "cache/idx",
            "src/idx/libc",
            "../git/db",
        ] {
            fs::create_dir_all(reg.join(dir)).expect("mkdir");
        }
        for (file, text) in [
            ("index/idx/config.json", "{}"),
            ("index/idx/.cache/li/bc/libc", "entry"),
            ("cache/idx/libc-0.2.191.crate", "crate"),
            ("cache/idx/notes.txt", "no"),
            ("src/idx/libc/lib.rs", "no"),
            ("../git/db/secret", "no"),
            ("../credentials.toml", "no"),
        ] {
            fs::write(reg.join(file), text).expect("write");
        }
        let home = tmp.join("private");
        let bytes = seed(&home, Some(&reg)).expect("seed");
        let mut got = Vec::new();
        let mut stack = vec![home.clone()];
        while let Some(dir) = stack.pop() {
            for e in fs::read_dir(&dir).expect("read").flatten() {
                if e.file_type().expect("type").is_dir() {
                    stack.push(e.path());
                } else {
                    got.push(e.path().strip_prefix(&home).expect("under").to_path_buf());
                }
            }
        }
        got.sort();
        let _ = fs::remove_dir_all(&tmp);
        assert_eq!(
            got,
            [
                "registry/cache/idx/libc-0.2.191.crate",
                "registry/index/idx/.cache/li/bc/libc",
                "registry/index/idx/config.json",
            ]
            .map(PathBuf::from)
        );
        assert_eq!(bytes, 5 + 5 + 2);
    }
}
