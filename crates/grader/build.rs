//! The built-in examples are the files of `specs/`: each `NAME.toml` becomes an entry of the
//! table `load.rs` includes (name, description, text), in file-name order. Adding an example's
//! spec is adding its file; a file whose `name` is not its file name stops the build.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let dir =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it")).join("specs");
    // A folder: cargo reruns this when any file in it changes, is added or removed.
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            e.unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .path()
        })
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut out = String::from("&[\n");
    for file in &files {
        let (name, description) = head(file);
        writeln!(
            out,
            "    Builtin {{ name: {name:?}, description: {description:?}, text: include_str!({:?}) }},",
            file.display().to_string()
        )
        .expect("a String takes writes");
    }
    out.push_str("]\n");
    let dest =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it")).join("builtins.rs");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
}

/// A spec file's `name` (which must be its file name) and `description`.
fn head(file: &Path) -> (String, String) {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let table: toml::Table =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let field = |key: &str| {
        table
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let name = field("name");
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    assert_eq!(
        name,
        stem,
        "{}: a built-in spec's `name` is its file name",
        file.display()
    );
    (name, field("description"))
}
