//! The book as written to disk: both languages, every page, the index in order, the pictures,
//! guarantees in words; and the command's bad input.

use std::path::{Path, PathBuf};
use std::process::Command;

use book::example::discover;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fresh folder of this test's own, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("book-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_page_is_written_in_both_languages_and_the_index_keeps_the_order() {
    let out = Scratch::new("site");
    let written = book::site::build(&root(), &out.0).expect("the book");
    let examples = discover(&root()).expect("examples");
    // style.css, index.html, and per language an index and a page per example.
    assert_eq!(written.len(), 2 + 2 * (1 + examples.len()));
    for (lang, teaches) in [("en", "What it teaches"), ("zh", "本节讲什么")] {
        let index = read(&out.0.join(lang).join("index.html"));
        let mut last = 0;
        for e in &examples {
            let at = index
                .find(&format!("href=\"{}\"", e.page()))
                .unwrap_or_else(|| panic!("{lang} index lacks {}", e.page()));
            assert!(at > last, "{lang} index: {} out of order", e.page());
            last = at;
            let page = read(&out.0.join(lang).join(e.page()));
            assert!(page.contains(teaches), "{lang}/{}", e.page());
            assert!(page.contains(&e.run_command()), "{lang}/{}", e.page());
            // Guarantees are words: no pattern of the spec leaks into a page.
            assert!(
                !page.contains("(?&lt;"),
                "{lang}/{} shows a regex",
                e.page()
            );
            let picture = root().join(e.picture_path());
            let shown = page.contains(&format!("../img/{}.svg", e.crate_name));
            assert_eq!(shown, picture.is_file(), "{lang}/{}", e.page());
        }
    }
}

#[test]
fn the_worker_page_pairs_the_tutorials_print_with_the_ports() {
    let out = Scratch::new("worker");
    book::site::build(&root(), &out.0).expect("the book");
    let page = read(&out.0.join("en/task-worker.html"));
    let row = page
        .split("<div class=\"row\">")
        .find(|r| r.contains("<div class=\"tag\">[13]</div>"))
        .expect("row [13]");
    assert!(row.contains("print('task queue is empty.')"), "{row}");
    assert!(
        row.contains("println!(&quot;task queue is empty.&quot;)"),
        "{row}"
    );
}

#[test]
fn bad_arguments_are_one_line_and_status_2() {
    for args in [&["--nope"][..], &[][..], &["--out"][..]] {
        let out = Command::new(env!("CARGO_BIN_EXE_book"))
            .args(args)
            .output()
            .expect("book runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("book: "), "{args:?}: {stderr}");
    }
}

#[test]
fn a_folder_that_cannot_be_written_is_reported() {
    let out = Scratch::new("blocked");
    std::fs::write(&out.0, "a file, not a folder").expect("a file");
    let run = Command::new(env!("CARGO_BIN_EXE_book"))
        .arg("--out")
        .arg(&out.0)
        .output()
        .expect("book runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&*out.0.to_string_lossy()), "{stderr}");
    let _ = std::fs::remove_file(&out.0);
}
