//! The Gradescope bundle holds sources only: the files git tracks (outside git, every file but
//! build outputs, hidden files and zips), never what earlier commands left in the checkout nor
//! an earlier bundle.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::common::grade;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("grade-bundle-src-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("make a temp folder");
    dir
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

/// A checkout with two tracked sources, and beside them what README commands leave behind.
fn checkout(root: &Path, git: bool) {
    write(root, "Cargo.toml", "[workspace]\n");
    write(
        root,
        "crates/grade/Cargo.toml",
        "[package]\nname = \"grader\"\n",
    );
    if git {
        let git = |args: &[&str]| {
            let st = Command::new("git")
                .arg("-C")
                .arg(root)
                .args(args)
                .status()
                .expect("run git");
            assert!(st.success(), "git {args:?}");
        };
        git(&["init", "-q"]);
        git(&["add", "Cargo.toml", "crates/grade/Cargo.toml"]);
    }
    for rel in [
        "pool.svg",
        "report.html",
        "runs/run-1.svg",
        "target/debug/grade",
    ] {
        write(root, rel, "output");
    }
}

/// `grade gradescope` from `root` into `root/autograder.zip`: the zip's source entries.
fn bundle(root: &Path) -> Vec<String> {
    let zip = root.join("autograder.zip");
    let graded = grade(
        &[
            "gradescope",
            "fork",
            "--source",
            root.to_str().expect("utf-8"),
            "-o",
            zip.to_str().expect("utf-8"),
        ],
        Duration::from_secs(60),
    );
    assert_eq!(graded.code, Some(0), "{graded:?}");
    let archive = zip::ZipArchive::new(fs::File::open(&zip).expect("open")).expect("a zip");
    let prefix = format!("{}/", grade_bundle::SOURCE_DIR);
    let mut names: Vec<String> = archive
        .file_names()
        .filter_map(|n| n.strip_prefix(&prefix).map(str::to_string))
        .collect();
    names.sort();
    names
}

#[test]
fn a_git_checkout_gives_its_tracked_files_only_twice_over() {
    let root = temp_dir("git");
    checkout(&root, true);
    let first = bundle(&root);
    assert_eq!(first, ["Cargo.toml", "crates/grade/Cargo.toml"]);
    // The second bundle does not take in the first.
    assert_eq!(bundle(&root), first);
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn outside_git_build_outputs_and_bundles_are_left_out() {
    let root = temp_dir("plain");
    checkout(&root, false);
    let first = bundle(&root);
    assert!(
        !first
            .iter()
            .any(|n| n.starts_with("target/") || n.ends_with(".zip")),
        "{first:?}"
    );
    assert!(first.contains(&"Cargo.toml".to_string()), "{first:?}");
    assert_eq!(bundle(&root), first, "a second bundle is the same");
    let _ = fs::remove_dir_all(&root);
}
