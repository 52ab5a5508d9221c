//! The examples of the book, found by their `// [book]` header in `crates/*/src/main.rs`: a
//! port with a header gets a page, and nothing else needs to list it.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::source::HEADER;

/// Which part of the index a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    /// A section of the notes (`/work/shared/seeds`: 操作系统的相关知识, multiprocessing, ...).
    Notes,
    /// The rest of the tutorial chapter the notes come from.
    Chapter,
}

/// One example: a Rust port and its Python original, as its header describes them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// The crate's name (its folder under `crates/`); set from the path, not the header.
    #[serde(skip)]
    pub crate_name: String,
    /// The Rust port, relative to the repository.
    #[serde(skip)]
    pub rust: PathBuf,
    /// Its place in the index: the notes' order, then the chapter's.
    pub order: u32,
    /// Which part of the index.
    pub part: Part,
    /// The section's name as the notes (or the chapter) give it.
    pub section: String,
    /// The Python original, relative to the repository.
    pub python: PathBuf,
    /// The grader's example (`crates/grader/specs/<spec>.toml`).
    pub spec: String,
    /// The command that runs it (default `cargo run -p <crate>`).
    #[serde(default)]
    pub run: Option<String>,
    /// The timeline picture (default `crates/<crate>/timeline.svg`).
    #[serde(default)]
    pub picture: Option<PathBuf>,
}

impl Example {
    /// The command that runs the port.
    pub fn run_command(&self) -> String {
        self.run
            .clone()
            .unwrap_or_else(|| format!("cargo run -p {}", self.crate_name))
    }

    /// The picture of one run, relative to the repository.
    pub fn picture_path(&self) -> PathBuf {
        self.picture.clone().unwrap_or_else(|| {
            Path::new("crates")
                .join(&self.crate_name)
                .join("timeline.svg")
        })
    }

    /// The page's file name: `<crate>.html`.
    pub fn page(&self) -> String {
        format!("{}.html", self.crate_name)
    }
}

/// Every example of the repository at `root`, in the index's order. Errors: a folder or file
/// cannot be read, a header does not parse.
pub fn discover(root: &Path) -> Result<Vec<Example>> {
    let crates = root.join("crates");
    let entries = std::fs::read_dir(&crates).map_err(|e| Error::io(&crates, e))?;
    let mut examples = Vec::new();
    for entry in entries {
        let dir = entry.map_err(|e| Error::io(&crates, e))?.path();
        let main = dir.join("src/main.rs");
        if !main.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&main).map_err(|e| Error::io(&main, e))?;
        if let Some(mut example) = header(&text, &main)? {
            example.crate_name = dir
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            example.rust = Path::new("crates")
                .join(&example.crate_name)
                .join("src/main.rs");
            examples.push(example);
        }
    }
    examples.sort_by_key(|e| (e.part, e.order));
    Ok(examples)
}

/// The example a source's `// [book]` lines describe (fields as a TOML inline table's, over
/// one or more lines), or `None` without them.
fn header(text: &str, path: &Path) -> Result<Option<Example>> {
    let fields: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix(HEADER))
        .map(str::trim)
        .collect();
    if fields.is_empty() {
        return Ok(None);
    }
    let table = format!("book = {{ {} }}", fields.join(", "));
    #[derive(Deserialize)]
    struct Wrapper {
        book: Example,
    }
    toml::from_str::<Wrapper>(&table)
        .map(|w| Some(w.book))
        .map_err(|e| Error::Parse {
            path: path.to_path_buf(),
            message: format!("its `{HEADER}` lines: {}", e.message()),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_over_two_lines_parses() {
        let text = "// [book] order = 3, part = \"notes\", section = \"Pool\"\n\
                    // [book] python = \"a.py\", spec = \"pool\"\nfn main() {}\n";
        let e = header(text, Path::new("x")).unwrap().unwrap();
        assert_eq!((e.order, e.part, e.spec.as_str()), (3, Part::Notes, "pool"));
        assert!(header("fn main() {}", Path::new("x")).unwrap().is_none());
        let bad = header("// [book] order = \"three\"", Path::new("x"));
        assert!(matches!(bad, Err(Error::Parse { .. })), "{bad:?}");
    }
}
