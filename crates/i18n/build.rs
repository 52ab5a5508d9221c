//! Embeds every `locales/<lang>/<domain>.ftl` file, so adding a domain is adding a file.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    println!("cargo::rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    for lang in fs::read_dir(&root)? {
        let lang = lang?.path();
        println!("cargo::rerun-if-changed={}", lang.display());
        for file in fs::read_dir(&lang)? {
            let file = file?.path();
            if file.extension().is_some_and(|e| e == "ftl") {
                files.push(file);
            }
        }
    }
    files.sort();
    let mut out = String::from("&[\n");
    for file in &files {
        let lang = file
            .parent()
            .and_then(Path::file_name)
            .and_then(|n| n.to_str())
            .ok_or("a locale folder name is not UTF-8")?;
        let domain = file
            .file_stem()
            .and_then(|n| n.to_str())
            .ok_or("a catalogue file name is not UTF-8")?;
        writeln!(
            out,
            "    ({lang:?}, {domain:?}, include_str!({:?})),",
            file.display().to_string()
        )?;
    }
    out.push(']');
    fs::write(Path::new(&env::var("OUT_DIR")?).join("catalogue.rs"), out)?;
    Ok(())
}
