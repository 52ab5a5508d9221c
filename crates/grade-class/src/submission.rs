//! The submissions of a class: each entry of its folder, and what it is.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::ClassError;
use i18n::say;

/// What a submission is, and so how it is built and run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Form {
    /// A Cargo project: `cargo build --release`, its binary run.
    #[serde(rename = "cargo")]
    Cargo,
    /// A single Rust file: `rustc -O`, the binary run.
    #[serde(rename = "rs")]
    Rust,
    /// A single Python file, run with `python3`.
    #[serde(rename = "py")]
    Python,
    /// None of these: not graded, the reason in its build log.
    #[serde(rename = "unknown")]
    Unknown,
}

/// One submission: an entry of the class folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Submission {
    /// The entry's name without its extension (the full name when two would clash).
    pub(crate) name: String,
    /// The entry itself.
    pub(crate) entry: PathBuf,
    pub(crate) form: Form,
    /// What to build or run: the project folder, the `.rs` or the `.py` (absolute). For
    /// [`Form::Unknown`], the entry.
    pub(crate) source: PathBuf,
    /// For [`Form::Unknown`]: why the entry is none of the three forms.
    pub(crate) unknown_because: Option<String>,
}

/// The submissions in `dir`, by name, and one line for each entry skipped. Hidden entries
/// (a leading `.`) are skipped silently; files that are neither `.rs` nor `.py` with a line.
/// A folder is a Cargo project when it holds `Cargo.toml`; otherwise, when it holds a single
/// `.rs` or `.py` file, or a single folder holding `Cargo.toml`, that is the submission (what a
/// repository export or an upload often looks like); otherwise it is recorded as unknown.
///
/// `out`, the results folder, is skipped too when it sits in `dir`.
///
/// Errors: `dir` is not a readable folder.
pub(crate) fn discover(
    dir: &Path,
    out: &Path,
) -> Result<(Vec<Submission>, Vec<String>), ClassError> {
    let dir = dir
        .canonicalize()
        .map_err(|e| ClassError::folder(dir, "class-folder-open", e))?;
    let out = out.canonicalize().ok();
    let mut skipped = Vec::new();
    let mut found = Vec::new();
    for (entry_name, path) in visible_entries(&dir)? {
        if out.as_ref().is_some_and(|o| *o == path) {
            skipped.push(say!("class-skipped-results", entry = entry_name.as_str()));
            continue;
        }
        // Follows symbolic links: a class may be a folder of links to repositories.
        let Ok(meta) = fs::metadata(&path) else {
            skipped.push(say!("class-skipped-dangling", entry = entry_name.as_str()));
            continue;
        };
        if meta.is_dir() {
            let stem = entry_name.clone();
            found.push((stem, entry_name, classify_folder(&path)));
        } else if !meta.is_file() {
            // A fifo would hang the copy, a device (`/dev/zero`) fill the disk.
            skipped.push(say!("class-skipped-special", entry = entry_name.as_str()));
        } else if let Some(form) = file_form(&path) {
            let stem = Path::new(&entry_name)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| entry_name.clone());
            found.push((stem, entry_name, Ok((form, path.clone()))));
        } else {
            skipped.push(say!("class-skipped-other", entry = entry_name.as_str()));
        }
    }
    let mut count: HashMap<String, usize> = HashMap::new();
    for (stem, _, _) in &found {
        *count.entry(stem.clone()).or_default() += 1;
    }
    let submissions = found
        .into_iter()
        .map(|(stem, entry_name, what)| {
            let name = if count.get(&stem).copied().unwrap_or(0) > 1 {
                entry_name.clone()
            } else {
                stem
            };
            let entry = dir.join(&entry_name);
            match what {
                Ok((form, source)) => Submission {
                    name,
                    entry,
                    form,
                    // Links resolved: a fenced run opens the file by this path, and must be
                    // able to reach every folder on it.
                    source: source.canonicalize().unwrap_or(source),
                    unknown_because: None,
                },
                Err(why) => Submission {
                    name,
                    source: entry.clone(),
                    entry,
                    form: Form::Unknown,
                    unknown_because: Some(why),
                },
            }
        })
        .collect();
    Ok((submissions, skipped))
}

/// The entries of `dir` not starting with `.`, by name.
fn visible_entries(dir: &Path) -> Result<Vec<(String, PathBuf)>, ClassError> {
    let read = fs::read_dir(dir).map_err(|e| ClassError::folder(dir, "class-io-read", e))?;
    let mut entries = Vec::new();
    for entry in read {
        let entry = entry.map_err(|e| ClassError::folder(dir, "class-io-read", e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') {
            entries.push((name, entry.path()));
        }
    }
    entries.sort();
    Ok(entries)
}

/// A single file's form from its extension.
fn file_form(path: &Path) -> Option<Form> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("rs") => Some(Form::Rust),
        Some("py") => Some(Form::Python),
        _ => None,
    }
}

/// What a folder holds: a Cargo project, a single `.rs`/`.py` file, a single folder holding a
/// Cargo project, or why none of these.
fn classify_folder(dir: &Path) -> Result<(Form, PathBuf), String> {
    if dir.join("Cargo.toml").is_file() {
        return Ok((Form::Cargo, dir.to_path_buf()));
    }
    let entries = visible_entries(dir).map_err(|e| e.to_string())?;
    // A link is not the program: it could point at a file of the teacher's or of another
    // submission, which would then be copied and run as this one.
    let files: Vec<(Form, &PathBuf)> = entries
        .iter()
        .filter(|(_, p)| fs::symlink_metadata(p).is_ok_and(|m| m.is_file()))
        .filter_map(|(_, p)| file_form(p).map(|f| (f, p)))
        .collect();
    // Nor is a linked folder: it could be the teacher's solution, copied and graded as this
    // submission's.
    let folders: Vec<&PathBuf> = entries
        .iter()
        .filter(|(_, p)| fs::symlink_metadata(p).is_ok_and(|m| m.is_dir()))
        .map(|(_, p)| p)
        .collect();
    match (files.as_slice(), folders.as_slice()) {
        ([(form, path)], _) => Ok((*form, (*path).clone())),
        ([], [only]) if only.join("Cargo.toml").is_file() => Ok((Form::Cargo, (*only).clone())),
        ([], _) => Err(say!("class-why-no-program")),
        (many, _) => Err(say!(
            "class-why-many-programs",
            count = many.len().to_string()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path) {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(path, "").expect("write");
    }

    #[test]
    fn every_form_is_told_apart_and_names_do_not_clash() {
        let tmp = std::env::temp_dir().join(format!("class-discover-{}", std::process::id()));
        let _ = fs::remove_dir_all(&tmp);
        touch(&tmp.join("ann/Cargo.toml"));
        touch(&tmp.join("bob.rs"));
        touch(&tmp.join("cyd.py"));
        touch(&tmp.join("dan/main.py"));
        touch(&tmp.join("eve/repo/Cargo.toml"));
        touch(&tmp.join("fay/notes.txt"));
        touch(&tmp.join("gus.rs"));
        touch(&tmp.join("gus.py"));
        touch(&tmp.join("README.md"));
        touch(&tmp.join(".git/config"));
        touch(&tmp.join("results/results.csv"));
        let (subs, skipped) = discover(&tmp, &tmp.join("results")).expect("discover");
        let _ = fs::remove_dir_all(&tmp);
        let got: Vec<(&str, Form)> = subs.iter().map(|s| (s.name.as_str(), s.form)).collect();
        assert_eq!(
            got,
            [
                ("ann", Form::Cargo),
                ("bob", Form::Rust),
                ("cyd", Form::Python),
                ("dan", Form::Python),
                ("eve", Form::Cargo),
                ("fay", Form::Unknown),
                ("gus.py", Form::Python),
                ("gus.rs", Form::Rust),
            ]
        );
        assert!(subs[4].source.ends_with("eve/repo"), "{:?}", subs[4].source);
        assert_eq!(skipped.len(), 2, "{skipped:?}");
        assert!(skipped[0].starts_with("README.md"), "{skipped:?}");
        assert!(skipped[1].starts_with("results: skipped"), "{skipped:?}");
    }

    #[test]
    fn a_missing_folder_is_an_error() {
        let e =
            discover(Path::new("/no/such/class/folder"), Path::new("out")).expect_err("no folder");
        assert!(e.to_string().contains("/no/such/class/folder"), "{e}");
    }
}
