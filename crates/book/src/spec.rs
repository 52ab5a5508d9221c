//! What an example's output guarantees and what it only likely shows, read from the grader's
//! spec (`crates/grader/specs/<name>.toml`) as words: each check's `name` is already a sentence
//! (in English); its Chinese is the catalogue's message [`check_id`].

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};

/// One check of a spec, as the book shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// The check's name: an English sentence.
    pub name: String,
    /// `Some(F)`: a likely check, held in at least the fraction `F` of the runs.
    pub likely: Option<f64>,
}

#[derive(Deserialize)]
struct RawSpec {
    #[serde(default)]
    check: Vec<RawCheck>,
}

#[derive(Deserialize)]
struct RawCheck {
    name: String,
    likely: Option<f64>,
}

/// The checks of the spec `name` of the repository at `root`, in the spec's order. Errors: the
/// file cannot be read, or is not TOML with named checks.
pub fn checks(root: &Path, name: &str) -> Result<Vec<Check>> {
    let path = root
        .join("crates/grader/specs")
        .join(format!("{name}.toml"));
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let raw: RawSpec = toml::from_str(&text).map_err(|e| Error::Parse {
        path: path.clone(),
        message: e.message().to_string(),
    })?;
    Ok(raw
        .check
        .into_iter()
        .map(|c| Check {
            name: c.name,
            likely: c.likely,
        })
        .collect())
}

/// The catalogue id of a check's words: `book-check-<spec>-<8 hex digits>`, the hex a 32-bit
/// FNV-1a hash of its name (renaming a check asks for its words again).
pub fn check_id(spec: &str, name: &str) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in name.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    format!("book-check-{spec}-{hash:08x}")
}

#[cfg(test)]
mod tests {
    use super::check_id;

    #[test]
    fn ids_are_stable_and_fluent_identifiers() {
        let id = check_id("pool", "at most N tasks run at once");
        assert_eq!(id, check_id("pool", "at most N tasks run at once"));
        assert_ne!(id, check_id("pool", "at most N tasks run at once!"));
        assert!(id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    }
}
