//! Where a spec comes from: text, a file, or the built-in table; each read with every check type.

use std::path::Path;

use crate::checks;
use crate::spec::Spec;
use crate::spec::build::build;
use crate::spec::error::{SpecError, SpecErrorKind};
use crate::words::say::say;

/// A built-in example: its spec file `specs/NAME.toml`, found there by the build script.
struct Builtin {
    name: &'static str,
    /// The spec's `description`, read from the file when the grader was built.
    description: &'static str,
    text: &'static str,
}

/// Every file of `specs/`, in file-name order (see `build.rs`).
const BUILTINS: &[Builtin] = include!(concat!(env!("OUT_DIR"), "/builtins.rs"));

impl Spec {
    /// The built-in spec of an example: one of [`Spec::builtin_names`] (`grade --list`), the
    /// files of the grader's `specs/` folder.
    ///
    /// Errors: [`SpecErrorKind::UnknownExample`] for a name not in the table.
    pub fn builtin(name: &str) -> Result<Spec, SpecError> {
        match BUILTINS.iter().find(|b| b.name == name) {
            Some(b) => Spec::parse(b.text, &format!("builtin:{}", b.name)),
            None => {
                let known: Vec<&str> = BUILTINS.iter().map(|b| b.name).collect();
                let lang = i18n::Lang::current();
                let message = match closest(name, &known) {
                    Some(like) => i18n::tr!(
                        lang,
                        "grade-unknown-example-like",
                        name = name,
                        like = like,
                        known = known.join(", ")
                    ),
                    None => i18n::tr!(
                        lang,
                        "grade-unknown-example",
                        name = name,
                        known = known.join(", ")
                    ),
                };
                Err(SpecError::new(
                    SpecErrorKind::UnknownExample,
                    "",
                    None,
                    message,
                ))
            }
        }
    }

    /// The built-in examples, each with its one-line description, in name order: one for each
    /// file `specs/NAME.toml` of the grader (`grade --list`). Every test and script that goes
    /// over the examples goes over this list.
    pub fn builtin_names() -> Vec<(&'static str, &'static str)> {
        BUILTINS.iter().map(|b| (b.name, b.description)).collect()
    }

    /// Reads and validates a spec file.
    ///
    /// Errors: [`SpecErrorKind::Io`] when the file cannot be read, else as [`Spec::parse`].
    pub fn from_toml_file(path: &Path) -> Result<Spec, SpecError> {
        let origin = path.display().to_string();
        let io_err = |why: String| SpecError::new(SpecErrorKind::Io, &origin, None, why);
        let text = read_spec_text(path).map_err(io_err)?;
        Spec::parse(&text, &origin)
    }

    /// Parses and validates spec text; `origin` (a file name) is used in error messages.
    ///
    /// Errors: [`SpecErrorKind::Syntax`] for TOML that does not fit the format,
    /// [`SpecErrorKind::Invalid`] for a spec that does not hold together; each with its line.
    pub fn parse(text: &str, origin: &str) -> Result<Spec, SpecError> {
        build(text, origin, &checks::all())
    }
}

/// The longest spec file read: specs are a few kilobytes.
const SPEC_MAX_BYTES: u64 = 1024 * 1024;

/// A spec file's text: only a regular file (a FIFO would block, `/dev/zero` never ends), of at
/// most [`SPEC_MAX_BYTES`]. The error is the message.
fn read_spec_text(path: &Path) -> Result<String, String> {
    use std::io::Read;
    // O_NONBLOCK: opening a FIFO with no writer must not block before its type is known.
    let file = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(path)
            .map_err(|e| say!("spec-read", error = e.to_string()))?
    };
    let meta = file
        .metadata()
        .map_err(|e| say!("spec-read", error = e.to_string()))?;
    if !meta.is_file() {
        return Err(say!("spec-read-not-file"));
    }
    if meta.len() > SPEC_MAX_BYTES {
        return Err(say!(
            "spec-read-too-big",
            bytes = meta.len().to_string(),
            max = SPEC_MAX_BYTES.to_string()
        ));
    }
    let mut text = String::new();
    // The file may grow after the check: the cap holds anyway.
    file.take(SPEC_MAX_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| say!("spec-read", error = e.to_string()))?;
    if text.len() as u64 > SPEC_MAX_BYTES {
        return Err(say!("spec-read-grew", max = SPEC_MAX_BYTES.to_string()));
    }
    Ok(text)
}

/// The one of `names` closest to a mistyped `name` (at most two letters off, or a prefix of
/// at least three), for "did you mean"; `None` when none is close.
pub fn closest<'a>(name: &str, names: &[&'a str]) -> Option<&'a str> {
    let lower = name.to_lowercase();
    names
        .iter()
        .map(|n| (strsim::damerau_levenshtein(&lower, n), *n))
        .filter(|(d, n)| *d <= 2.min(n.len() / 2) || (lower.len() >= 3 && n.starts_with(&lower)))
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

#[cfg(test)]
mod chinese {
    use super::{BUILTINS, Spec};

    /// Every built-in spec names its checks and line kinds in Chinese too, and says what it is.
    #[test]
    fn every_builtin_spec_has_chinese_names() {
        for name in BUILTINS.iter().map(|b| b.name) {
            let spec = Spec::builtin(name).expect("a built-in spec");
            assert!(spec.description_zh.is_some(), "{name}: no description_zh");
            for c in &spec.checks {
                let zh = c.name_zh.as_deref().unwrap_or("");
                assert!(
                    zh.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)),
                    "{name}: check '{}' has no Chinese name_zh",
                    c.name
                );
            }
            for k in &spec.lines {
                assert!(
                    k.label_zh.is_some(),
                    "{name}: line '{}' has no label_zh",
                    k.name
                );
                assert_ne!(k.label, k.name, "{name}: line '{}' has no label", k.name);
            }
        }
    }
}
