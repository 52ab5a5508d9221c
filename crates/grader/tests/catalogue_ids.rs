//! Every message the grader's sources (the library's, the `grade` command's, the class's and
//! the bundle's) ask the catalogue for by a literal id (`say!("id", ..)`, `said!("id", ..)`,
//! `tr!(lang, "id", ..)`, `tr(lang, "id")`) exists: a missing one would show its id to the reader in place of a sentence.

use std::path::Path;

use i18n::{Lang, message_ids};
use regex::Regex;

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    let entries = std::fs::read_dir(dir).expect("read src");
    for entry in entries {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("read source");
            // Comments name ids as examples: only code asks for messages.
            let code: Vec<&str> = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect();
            out.push((path.display().to_string(), code.join("\n")));
        }
    }
}

#[test]
fn every_message_the_grader_asks_for_exists() {
    let mut files = Vec::new();
    // The library and the applications on top of it.
    for krate in ["grader", "grade", "grade-class", "grade-bundle"] {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(krate)
            .join("src");
        sources(&src, &mut files);
    }
    let asked = Regex::new(
        r#"(?:sa(?:y|id)!\(|\btr!\([^,()]+,|\btr\([^,()]+,|RunError::os\()\s*"([a-z][a-z0-9.-]*)""#,
    )
    .expect("regex");
    let known = message_ids(Lang::En);
    let mut missing = Vec::new();
    let mut seen = 0;
    for (file, text) in &files {
        for c in asked.captures_iter(text) {
            seen += 1;
            if !known.contains_key(&c[1]) {
                missing.push(format!("{file}: {}", &c[1]));
            }
        }
    }
    assert!(
        seen > 200,
        "only {seen} ids found: the pattern misses the sources' calls"
    );
    assert!(
        missing.is_empty(),
        "not in the catalogue:\n{}",
        missing.join("\n")
    );
}
