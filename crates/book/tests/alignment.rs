//! The book's promises, checked on the repository itself: every demo has a page, every port is
//! aligned with its Python original by its tags (a port that gains, loses or reorders a tagged
//! statement fails), the index follows the notes' order, and every word a page needs is in the
//! catalogue in both languages.

use std::path::{Path, PathBuf};

use book::align::problems;
use book::example::{Part, discover};
use book::site::{missing_words, pairs};
use book::source::{Language, Source};
use i18n::{Lang, message_ids, tr};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn every_port_is_aligned_with_its_python_original() {
    if let Err(err) = pairs(&root()) {
        panic!("{err}");
    }
}

#[test]
fn every_demo_has_a_page() {
    let found: Vec<String> = discover(&root())
        .expect("examples")
        .into_iter()
        .map(|e| e.crate_name)
        .collect();
    let crates = std::fs::read_dir(root().join("crates")).expect("crates/");
    for dir in crates {
        let name = dir
            .expect("an entry")
            .file_name()
            .to_string_lossy()
            .to_string();
        let demo = name.ends_with("-demo") || name == "task-master" || name == "task-worker";
        assert!(
            !demo || found.contains(&name),
            "{name} has no `// [book]` header"
        );
    }
}

#[test]
fn the_index_follows_the_notes_order() {
    let examples = discover(&root()).expect("examples");
    let notes: Vec<&str> = examples
        .iter()
        .filter(|e| e.part == Part::Notes)
        .map(|e| e.crate_name.as_str())
        .collect();
    // The notes: 操作系统的相关知识 (fork), multiprocessing, Pool, 进程间通信 (Queue, Pipes).
    assert_eq!(
        notes,
        [
            "fork-demo",
            "process-demo",
            "pool-demo",
            "queue-demo",
            "pipe-demo"
        ]
    );
    assert_eq!(examples.len(), 12, "{examples:#?}");
}

/// Each real pair, with one tagged Rust line taken out, duplicated, or a new tagged statement
/// added: each change is found.
#[test]
fn a_port_that_gains_loses_or_repeats_a_tagged_statement_fails() {
    for pair in pairs(&root()).expect("aligned pairs") {
        let text = std::fs::read_to_string(root().join(&pair.example.rust)).expect("the port");
        let lines: Vec<&str> = text.lines().collect();
        let tagged = lines
            .iter()
            .position(|l| l.trim_end().ends_with("// [2]"))
            .expect("a line tagged [2]");
        let edit = |f: &dyn Fn(&mut Vec<String>)| {
            let mut v: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            f(&mut v);
            problems(&pair.python, &Source::parse(&v.join("\n"), Language::Rust))
        };
        let name = &pair.example.crate_name;
        assert!(
            !edit(&|v| drop(v.remove(tagged))).is_empty(),
            "{name}: lost [2]"
        );
        let dup = lines[tagged].to_string();
        assert!(
            !edit(&|v| v.insert(tagged, dup.clone())).is_empty(),
            "{name}: [2] twice"
        );
        let extra = "println!(\"extra\"); // [99]".to_string();
        assert!(
            !edit(&|v| v.push(extra.clone())).is_empty(),
            "{name}: gained [99]"
        );
    }
}

#[test]
fn every_word_the_pages_need_is_in_both_languages() {
    let missing = missing_words(&root()).expect("the sources and specs");
    assert!(
        missing.is_empty(),
        "add to both book.ftl files:\n{}",
        missing.join("\n")
    );
}

/// The English words of a check are its name in the spec: the catalogue's copy cannot drift.
#[test]
fn the_english_words_of_each_check_are_its_name() {
    let en = message_ids(Lang::En);
    for pair in pairs(&root()).expect("aligned pairs") {
        let spec = &pair.example.spec;
        for check in book::spec::checks(&root(), spec).expect("the spec") {
            let id = book::spec::check_id(spec, &check.name);
            assert!(en.contains_key(&id), "{id}");
            assert_eq!(tr(Lang::En, &id), check.name, "{id}");
        }
    }
}

/// A word kept for a check or an example that no longer exists is found too (a renamed check
/// leaves its old words behind).
#[test]
fn no_word_is_left_for_a_check_or_an_example_that_is_gone() {
    let mut live = Vec::new();
    for pair in pairs(&root()).expect("aligned pairs") {
        live.push(book::site::about_id(&pair.example));
        let spec = &pair.example.spec;
        for check in book::spec::checks(&root(), spec).expect("the spec") {
            live.push(book::spec::check_id(spec, &check.name));
        }
    }
    let stale: Vec<String> = message_ids(Lang::En)
        .into_keys()
        .filter(|id| id.starts_with("book-check-") || id.starts_with("book-about-"))
        .filter(|id| !live.contains(id))
        .collect();
    assert!(
        stale.is_empty(),
        "remove from both book.ftl files: {stale:?}"
    );
}
