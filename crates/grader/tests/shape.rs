//! The workspace's source keeps its shape (issue 17): no source file under a `src/` over 400
//! lines, no function there over 80 lines (tests aside), and no two modules of a crate that use
//! each other's items, directly or round a loop: every arrow between sibling modules points one
//! way; and the grader library's stages are folders, its root holding `lib.rs` alone.

mod shape {
    pub mod functions;
    pub mod lexer;
    pub mod modules;
}

use std::path::{Path, PathBuf};

use shape::functions::functions;
use shape::modules::Crate;

const FILE_MAX: usize = 400;
const FN_MAX: usize = 80;

/// Functions still over the limit, each with why it waits: file (from the workspace) and name.
const WAITING: &[(&str, &str, &str)] = &[];

/// Loops between modules still there, each with why it waits: the crate root (from the
/// workspace), the modules (as the test names them) and the reason.
const LOOPS_WAITING: &[(&str, &[&str], &str)] = &[];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `src/` folder of the workspace's crates.
fn src_dirs() -> Vec<PathBuf> {
    let root = workspace();
    let mut dirs = vec![root.join("shared/src")];
    let crates = std::fs::read_dir(root.join("crates")).expect("read crates/");
    for entry in crates.flatten() {
        let src = entry.path().join("src");
        if src.is_dir() {
            dirs.push(src);
        }
    }
    dirs.sort();
    dirs
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The crate roots of a `src/` folder: `lib.rs`, `main.rs`, each `bin/*.rs`.
fn crate_roots(src: &Path) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = ["lib.rs", "main.rs"]
        .iter()
        .map(|f| src.join(f))
        .filter(|p| p.exists())
        .collect();
    if let Ok(bins) = std::fs::read_dir(src.join("bin")) {
        roots.extend(bins.flatten().map(|e| e.path()));
    }
    roots.sort();
    roots
}

/// `path` from the workspace's root, for messages and the waiting list.
fn shown(path: &Path) -> String {
    let root = workspace().canonicalize().expect("workspace");
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    path.strip_prefix(&root)
        .unwrap_or(&path)
        .display()
        .to_string()
}

#[test]
fn no_source_file_is_over_400_lines() {
    let mut files = Vec::new();
    for dir in src_dirs() {
        rust_files(&dir, &mut files);
    }
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let lines = std::fs::read_to_string(f).ok()?.lines().count();
            (lines > FILE_MAX).then(|| format!("{}: {lines} lines", shown(f)))
        })
        .collect();
    assert!(files.len() > 100, "found only {} files", files.len());
    assert!(
        long.is_empty(),
        "over {FILE_MAX} lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_grader_root_holds_only_stage_folders() {
    let src = workspace().join("crates/grader/src");
    let mut flat: Vec<String> = std::fs::read_dir(&src)
        .expect("crates/grader/src")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "lib.rs"))
        .map(|p| shown(&p))
        .collect();
    flat.sort();
    assert!(
        flat.is_empty(),
        "flat at the grader's root (put each in its stage's folder):\n{}",
        flat.join("\n")
    );
}

#[test]
fn no_function_is_over_80_lines() {
    let mut long = Vec::new();
    let mut waiting_seen = Vec::new();
    let mut measured = 0;
    for dir in src_dirs() {
        for root in crate_roots(&dir) {
            for m in Crate::load(&root).modules.values() {
                let file = shown(&m.file);
                let src = std::fs::read_to_string(&m.file).expect("read");
                for f in functions(&src) {
                    measured += 1;
                    if f.lines <= FN_MAX {
                        continue;
                    }
                    match WAITING.iter().find(|(w, n, _)| *w == file && *n == f.name) {
                        Some(w) => waiting_seen.push(w.0),
                        None => {
                            long.push(format!("{file}:{} {}: {} lines", f.line, f.name, f.lines))
                        }
                    }
                }
            }
        }
    }
    assert!(measured > 1000, "measured only {measured} functions");
    assert!(long.is_empty(), "over {FN_MAX} lines:\n{}", long.join("\n"));
    let stale: Vec<_> = WAITING
        .iter()
        .filter(|(w, _, _)| !waiting_seen.contains(w))
        .collect();
    assert!(
        stale.is_empty(),
        "no longer over the limit, take off WAITING: {stale:?}"
    );
}

#[test]
fn no_two_modules_use_each_other() {
    let mut found = Vec::new();
    let mut waiting_seen = Vec::new();
    let mut crates = 0;
    for dir in src_dirs() {
        for root in crate_roots(&dir) {
            crates += 1;
            for (group, uses) in Crate::load(&root).cycles() {
                let waiting = LOOPS_WAITING
                    .iter()
                    .position(|(r, g, _)| *r == shown(&root) && *g == group.as_slice());
                if let Some(k) = waiting {
                    waiting_seen.push(k);
                    continue;
                }
                let why: Vec<String> = uses
                    .iter()
                    .map(|(file, line, used)| format!("{}:{line} uses {used}", shown(file)))
                    .collect();
                found.push(format!(
                    "{}: {} use each other:\n  {}",
                    shown(&root),
                    group.join(", "),
                    why.join("\n  ")
                ));
            }
        }
    }
    assert!(crates > 20, "found only {crates} crates");
    assert!(found.is_empty(), "{}", found.join("\n"));
    let stale: Vec<_> = (0..LOOPS_WAITING.len())
        .filter(|k| !waiting_seen.contains(k))
        .map(|k| LOOPS_WAITING[k])
        .collect();
    assert!(
        stale.is_empty(),
        "no longer a loop, take off LOOPS_WAITING: {stale:?}"
    );
}

#[test]
fn a_loop_between_modules_is_found() {
    let dir = std::env::temp_dir().join(format!("shape-loop-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("b")).expect("mkdir");
    let write = |f: &str, s: &str| std::fs::write(dir.join(f), s).expect("write");
    write("lib.rs", "mod a;\nmod b;\npub use b::Two;\n");
    write(
        "a.rs",
        "pub struct One;\nfn f() -> crate::Two { todo!() }\n",
    );
    write("b/mod.rs", "mod c;\npub use c::Two;\n");
    write("b/c.rs", "use crate::a::One;\npub struct Two(One);\n");
    let cycles = Crate::load(&dir.join("lib.rs")).cycles();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(cycles.len(), 1, "{cycles:?}");
    assert_eq!(cycles[0].0, ["a", "b"]);
}
