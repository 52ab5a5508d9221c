//! Where a Cargo submission's dependencies come from, read from its manifests and lock file
//! before anything fetches them: crates.io only, and paths inside the submission.
//!
//! Refused, each with one line naming it: a `git` dependency (unless `--allow-git`, and then
//! only over `https://`), a `path` outside the submission, a dependency from another registry
//! (`registry`, `registry-index`), the same in `[patch]` and `[replace]`, and a `Cargo.lock`
//! entry whose source is not crates.io (or an allowed git). Only regular files of the copy are
//! read (never a symbolic link: it could point at the teacher's files), and a file that does
//! not parse is left for cargo, inside the fence, to complain about.

use std::fs;
use std::path::{Component, Path, PathBuf};

use toml::{Table, Value};

use i18n::say;

/// crates.io's index, as a `Cargo.lock` names it (git or sparse protocol).
const CRATES_IO: [&str; 2] = [
    "registry+https://github.com/rust-lang/crates.io-index",
    "sparse+https://index.crates.io/",
];
/// Manifests and lock files read at most this deep below the submission.
const MAX_DEPTH: usize = 8;

/// The refusals for the project copied at `root`: one line each, empty when every dependency
/// is from crates.io or a path inside `root`. `allow_git` lets `git` dependencies over
/// `https://` through.
pub(crate) fn refused_dependencies(root: &Path, allow_git: bool) -> Vec<String> {
    let mut found = Vec::new();
    let mut files = Vec::new();
    regular_files(root, 0, &mut files);
    for file in files {
        let Ok(text) = fs::read_to_string(&file) else {
            continue;
        };
        let Ok(table) = text.parse::<Table>() else {
            continue;
        };
        let shown = file
            .strip_prefix(root)
            .unwrap_or(&file)
            .display()
            .to_string();
        if file.ends_with("Cargo.lock") {
            lock_refusals(&table, &shown, allow_git, &mut found);
        } else {
            let dir = file.parent().unwrap_or(root);
            manifest_refusals(&table, root, dir, &shown, allow_git, &mut found);
        }
    }
    found
}

/// Every regular `Cargo.toml` and `Cargo.lock` below `dir`, links not followed.
fn regular_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let name = entry.file_name();
        if kind.is_dir() && depth < MAX_DEPTH && name != "target" {
            regular_files(&entry.path(), depth + 1, out);
        } else if kind.is_file() && (name == "Cargo.toml" || name == "Cargo.lock") {
            out.push(entry.path());
        }
    }
}

/// The dependency tables of a manifest: `[dependencies]` and its kin, per target too, the
/// workspace's, `[patch.*]` and `[replace]`.
fn dependency_tables(manifest: &Table) -> Vec<(String, &Table)> {
    let kinds = ["dependencies", "dev-dependencies", "build-dependencies"];
    let mut holders: Vec<(String, &Table)> = vec![(String::new(), manifest)];
    if let Some(Value::Table(targets)) = manifest.get("target") {
        for (cfg, t) in targets {
            if let Value::Table(t) = t {
                holders.push((format!("target.{cfg}."), t));
            }
        }
    }
    if let Some(Value::Table(ws)) = manifest.get("workspace") {
        holders.push(("workspace.".into(), ws));
    }
    let mut tables = Vec::new();
    for (prefix, t) in holders {
        for kind in kinds {
            if let Some(Value::Table(deps)) = t.get(kind) {
                tables.push((format!("{prefix}{kind}"), deps));
            }
        }
    }
    if let Some(Value::Table(patch)) = manifest.get("patch") {
        for (source, t) in patch {
            if let Value::Table(t) = t {
                tables.push((format!("patch.{source}"), t));
            }
        }
    }
    if let Some(Value::Table(replace)) = manifest.get("replace") {
        tables.push(("replace".into(), replace));
    }
    tables
}

fn manifest_refusals(
    manifest: &Table,
    root: &Path,
    dir: &Path,
    shown: &str,
    allow_git: bool,
    found: &mut Vec<String>,
) {
    for (section, deps) in dependency_tables(manifest) {
        for (name, spec) in deps {
            let Value::Table(spec) = spec else {
                continue;
            };
            let at = format!("{shown} [{section}] {name}");
            if let Some(url) = spec.get("git").and_then(Value::as_str)
                && !(allow_git && url.starts_with("https://"))
            {
                found.push(say!(
                    "class-refused-git",
                    at = at.as_str(),
                    url = format!("{url:?}")
                ));
            }
            if let Some(path) = spec.get("path").and_then(Value::as_str)
                && !inside(root, &dir.join(path))
            {
                found.push(say!(
                    "class-refused-path",
                    at = at.as_str(),
                    path = format!("{path:?}")
                ));
            }
            for key in ["registry", "registry-index"] {
                if let Some(r) = spec.get(key).and_then(Value::as_str) {
                    found.push(say!(
                        "class-refused-registry",
                        at = at.as_str(),
                        key = key,
                        value = format!("{r:?}")
                    ));
                }
            }
        }
    }
}

fn lock_refusals(lock: &Table, shown: &str, allow_git: bool, found: &mut Vec<String>) {
    let Some(Value::Array(packages)) = lock.get("package") else {
        return;
    };
    for package in packages {
        let (Some(name), Some(source)) = (
            package.get("name").and_then(Value::as_str),
            package.get("source").and_then(Value::as_str),
        ) else {
            continue;
        };
        let git_ok = allow_git && source.starts_with("git+https://");
        if !CRATES_IO.contains(&source) && !git_ok {
            let id = match source.starts_with("git+") {
                true => "class-refused-source-git",
                false => "class-refused-source",
            };
            found.push(say!(
                id,
                at = shown,
                name = name,
                source = format!("{source:?}")
            ));
        }
    }
}

/// Whether `path`, with `..` resolved by name only (no link followed), stays under `root`.
fn inside(root: &Path, path: &Path) -> bool {
    let mut parts: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                if parts.pop().is_none() {
                    return false;
                }
            }
            Component::CurDir => {}
            c => parts.push(c),
        }
    }
    parts.iter().collect::<PathBuf>().starts_with(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_crates_io_and_paths_inside_get_through() {
        let root = std::env::temp_dir().join(format!("class-deps-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("inner")).expect("mkdir");
        fs::write(
            root.join("Cargo.toml"),
            r#"[package]
name = "p"
[dependencies]
libc = "0.2"
inner = { path = "inner" }
outer = { path = "../../home/teacher/x" }
local = { git = "file:///home/teacher/repo" }
hub = { git = "https://example.org/x.git" }
[target.'cfg(unix)'.build-dependencies]
other = { version = "1", registry = "corp" }
[patch.crates-io]
libc = { path = "/home/teacher/libc" }
"#,
        )
        .expect("write");
        fs::write(
            root.join("inner/Cargo.toml"),
            "[package]\nname = \"inner\"\n",
        )
        .expect("write");
        fs::write(
            root.join("Cargo.lock"),
            r#"version = 4
[[package]]
name = "libc"
version = "0.2.191"
source = "registry+https://github.com/rust-lang/crates.io-index"
[[package]]
name = "hub"
version = "0.1.0"
source = "git+https://example.org/x.git#abc"
[[package]]
name = "inner"
version = "0.1.0"
"#,
        )
        .expect("write");
        let strict = refused_dependencies(&root, false);
        let lenient = refused_dependencies(&root, true);
        let _ = fs::remove_dir_all(&root);
        let names: Vec<&str> = strict
            .iter()
            .map(|l| l.split(':').nth(1).unwrap_or("").trim())
            .collect();
        assert_eq!(
            names,
            [
                "Cargo.lock package hub",
                "Cargo.toml [dependencies] hub",
                "Cargo.toml [dependencies] local",
                "Cargo.toml [dependencies] outer",
                "Cargo.toml [target.cfg(unix).build-dependencies] other",
                "Cargo.toml [patch.crates-io] libc",
            ],
            "{strict:#?}"
        );
        assert_eq!(lenient.len(), 4, "git over https allowed: {lenient:#?}");
        assert!(
            strict[2].contains("file:///home/teacher/repo"),
            "{strict:?}"
        );
    }

    #[test]
    fn dot_dot_is_resolved_by_name() {
        let root = Path::new("/s/p");
        assert!(inside(root, Path::new("/s/p/a/../b")));
        assert!(!inside(root, Path::new("/s/p/../q")));
        assert!(!inside(root, Path::new("/s/p/../../../..")));
    }
}
