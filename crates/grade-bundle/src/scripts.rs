//! The bundle's two scripts, from the templates in `crates/grade-bundle/bundle/`, with the Rust
//! toolchain and the grading options filled in.

use std::ffi::OsString;

const SETUP: &str = include_str!("../bundle/setup.sh");
const RUN_AUTOGRADER: &str = include_str!("../bundle/run_autograder");

/// `setup.sh`, installing `toolchain` (a rustup toolchain name) when there is no cargo.
pub(crate) fn setup(toolchain: &str) -> String {
    SETUP.replace("@TOOLCHAIN@", &quote(toolchain))
}

/// `run_autograder`, running `grade class` with `args` (shell-quoted here), the program getting
/// `port_args`; with `spec`, the bundled spec file is passed as `--spec`.
pub(crate) fn run_autograder(args: &[OsString], spec: bool, port_args: &[OsString]) -> String {
    let shell = |a: &OsString| quote(&a.to_string_lossy());
    let mut words: Vec<String> = args.iter().map(shell).collect();
    if spec {
        words.push("--spec \"$ROOT/source/spec.toml\"".into());
    }
    if !port_args.is_empty() {
        words.push("--".into());
        words.extend(port_args.iter().map(shell));
    }
    RUN_AUTOGRADER.replace("@GRADE_ARGS@", &words.join(" "))
}

/// `s` as one shell word: as is when it is plain, else in single quotes.
pub(crate) fn quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_for_the_shell() {
        assert_eq!(quote("--runs"), "--runs");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote(""), "''");
        let script = run_autograder(&["--example".into(), "fork".into()], true, &["a b".into()]);
        assert!(
            script.contains(
                "--out \"$work/out\" --example fork --spec \"$ROOT/source/spec.toml\" -- 'a b'"
            ),
            "{script}"
        );
        assert!(!setup("stable").contains("@TOOLCHAIN@"));
        assert!(!run_autograder(&[], false, &[]).contains("@GRADE_ARGS@"));
    }
}
