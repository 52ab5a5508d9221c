//! The whole book: every example found, checked aligned, and written as pages in English and in
//! Chinese, with the index, the style sheet and the pictures.

use std::fs;
use std::path::{Path, PathBuf};

use i18n::{Lang, message_ids, tr};

use crate::align::{problems, rows};
use crate::error::{Error, Result};
use crate::example::{Example, Part, discover};
use crate::html::escape;
use crate::page::{PageData, document, other_folder, render};
use crate::source::{Language, Source};
use crate::spec::{check_id, checks};
use crate::style::STYLE;

/// An example's two sources, read and checked aligned.
#[derive(Debug)]
pub struct Pair {
    /// The example.
    pub example: Example,
    /// Its Python original.
    pub python: Source,
    /// Its Rust port.
    pub rust: Source,
}

/// Reads every example of the repository at `root` and checks each pair aligned. Errors: a file
/// cannot be read, a header does not parse, a pair is misaligned.
pub fn pairs(root: &Path) -> Result<Vec<Pair>> {
    discover(root)?
        .into_iter()
        .map(|example| {
            let python = Source::read(&root.join(&example.python), Language::Python)?;
            let rust = Source::read(&root.join(&example.rust), Language::Rust)?;
            let found = problems(&python, &rust);
            if !found.is_empty() {
                return Err(Error::Misaligned {
                    rust: example.rust.clone(),
                    python: example.python.clone(),
                    problems: found,
                });
            }
            Ok(Pair {
                example,
                python,
                rust,
            })
        })
        .collect()
}

/// Writes the book of the repository at `root` into `out`: `index.html` (the language choice),
/// `en/` and `zh/` (an index and a page per example each), `img/` (the pictures) and
/// `style.css`. Returns the pages written. Errors: as [`pairs`], and any file not written.
pub fn build(root: &Path, out: &Path) -> Result<Vec<PathBuf>> {
    let pairs = pairs(root)?;
    let mut written = Vec::new();
    let write = |path: PathBuf, text: &str, written: &mut Vec<PathBuf>| -> Result<()> {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        written.push(path);
        Ok(())
    };
    write(out.join("style.css"), STYLE, &mut written)?;
    write(out.join("index.html"), &choose_language(), &mut written)?;
    let mut pictures = Vec::new();
    for pair in &pairs {
        let from = root.join(pair.example.picture_path());
        if from.is_file() {
            let to = out
                .join("img")
                .join(format!("{}.svg", pair.example.crate_name));
            fs::create_dir_all(out.join("img")).map_err(|e| Error::io(out, e))?;
            fs::copy(&from, &to).map_err(|e| Error::io(&from, e))?;
            pictures.push(pair.example.crate_name.clone());
        }
    }
    for lang in Lang::ALL {
        let folder = out.join(folder(lang));
        write(
            folder.join("index.html"),
            &index(&pairs, lang),
            &mut written,
        )?;
        for (i, pair) in pairs.iter().enumerate() {
            let e = &pair.example;
            let data = PageData {
                example: e,
                prev: i.checked_sub(1).map(|k| &pairs[k].example),
                next: pairs.get(i + 1).map(|p| &p.example),
                about: about(pair, lang),
                rows: rows(&pair.python, &pair.rust),
                checks: checks(root, &e.spec)?,
                picture: pictures
                    .contains(&e.crate_name)
                    .then(|| format!("../img/{}.svg", e.crate_name)),
            };
            write(folder.join(e.page()), &render(&data, lang), &mut written)?;
        }
    }
    Ok(written)
}

/// The catalogue messages the book needs and lacks in either language, one `id = English` line
/// each: the words of each check of each example's spec, and each example's summary. Errors:
/// as [`pairs`], and a spec that cannot be read.
pub fn missing_words(root: &Path) -> Result<Vec<String>> {
    let (en, zh) = (message_ids(Lang::En), message_ids(Lang::Zh));
    let lacks = |id: &str| !en.contains_key(id) || !zh.contains_key(id);
    let mut out = Vec::new();
    let mut specs_seen = Vec::new();
    for pair in pairs(root)? {
        let e = &pair.example;
        let id = about_id(e);
        if lacks(&id) {
            out.push(format!("{id} = {}", about(&pair, Lang::En)));
        }
        if specs_seen.contains(&e.spec) {
            continue;
        }
        for check in checks(root, &e.spec)? {
            let id = check_id(&e.spec, &check.name);
            if lacks(&id) {
                out.push(format!("{id} = {}", check.name));
            }
        }
        specs_seen.push(e.spec.clone());
    }
    Ok(out)
}

/// The folder of `lang`'s pages: `en` or `zh`.
pub fn folder(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Zh => "zh",
    }
}

/// The catalogue id of what an example teaches: `book-about-<crate>`.
pub fn about_id(example: &Example) -> String {
    format!("book-about-{}", example.crate_name)
}

/// What the example teaches in `lang`: the catalogue's words, else the first paragraph of the
/// port's own `//!` documentation (English).
fn about(pair: &Pair, lang: Lang) -> String {
    let id = about_id(&pair.example);
    if message_ids(lang).contains_key(&id) {
        return tr(lang, &id);
    }
    pair.rust
        .lines
        .iter()
        .map_while(|l| l.comment.as_deref().and_then(|c| c.strip_prefix("//!")))
        .map(str::trim)
        .take_while(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn index(pairs: &[Pair], lang: Lang) -> String {
    let mut body = format!(
        "<nav><a class=\"lang\" href=\"../{}/index.html\">{}</a></nav>\n<header><h1>{}</h1></header>\n<p>{}</p>\n",
        other_folder(lang),
        escape(&tr(lang, "book-other-lang")),
        escape(&tr(lang, "book-title")),
        escape(&tr(lang, "book-index-intro"))
    );
    for (part, id) in [
        (Part::Notes, "book-part-notes"),
        (Part::Chapter, "book-part-chapter"),
    ] {
        body.push_str(&format!(
            "<h2>{}</h2>\n<ol class=\"toc\">\n",
            escape(&tr(lang, id))
        ));
        for pair in pairs.iter().filter(|p| p.example.part == part) {
            let e = &pair.example;
            body.push_str(&format!(
                "<li><a href=\"{}\">{}</a> <code>{}</code><br><span class=\"about\">{}</span></li>\n",
                e.page(),
                escape(&e.section),
                escape(&e.crate_name),
                escape(&about(pair, lang))
            ));
        }
        body.push_str("</ol>\n");
    }
    body.push_str(&format!(
        "<p class=\"how\">{}</p>\n",
        escape(&tr(lang, "book-index-how"))
    ));
    document(lang, &tr(lang, "book-contents"), "index.html", &body)
}

/// The top page: a link to each language's index.
fn choose_language() -> String {
    let links: Vec<String> = Lang::ALL
        .iter()
        .map(|&l| {
            format!(
                "<li><a href=\"{}/index.html\" hreflang=\"{}\">{}</a></li>",
                folder(l),
                l.tag(),
                escape(&tr(l, "book-title"))
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>multitask</title>\n<link rel=\"stylesheet\" href=\"style.css\">\n</head>\n\
         <body>\n<main>\n<h1>multitask</h1>\n<ul class=\"toc\">{}</ul>\n</main>\n</body>\n</html>\n",
        links.join("")
    )
}
