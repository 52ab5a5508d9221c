//! One example's page: what it teaches, the two programs side by side, what the output
//! guarantees, the picture of one run and the command that runs it.

use i18n::{Lang, tr, tr_args};

use crate::align::Row;
use crate::example::Example;
use crate::html::{code_cell, escape};
use crate::source::Language;
use crate::spec::{Check, check_id};

/// Everything one page shows, gathered by the site.
#[derive(Debug)]
pub struct PageData<'a> {
    /// The example.
    pub example: &'a Example,
    /// The pages before and after it in the index.
    pub prev: Option<&'a Example>,
    /// See `prev`.
    pub next: Option<&'a Example>,
    /// What the section teaches, in the page's language.
    pub about: String,
    /// The two programs, row by row.
    pub rows: Vec<Row<'a>>,
    /// The spec's checks.
    pub checks: Vec<Check>,
    /// The picture's path from the page (`../img/<crate>.svg`), if there is one.
    pub picture: Option<String>,
}

/// The whole HTML page in `lang`.
pub fn render(data: &PageData, lang: Lang) -> String {
    let e = data.example;
    let mut body = nav(data, lang);
    body.push_str(&format!(
        "<header><p class=\"part\">{}</p><h1>{}</h1><p class=\"crate\"><code>crates/{}</code></p></header>\n",
        escape(&tr(lang, part_id(e))),
        escape(&e.section),
        escape(&e.crate_name)
    ));
    body.push_str(&format!(
        "<section><h2>{}</h2><p class=\"about\">{}</p></section>\n",
        escape(&tr(lang, "book-what-it-teaches")),
        escape(&data.about)
    ));
    body.push_str(&side_by_side(data, lang));
    body.push_str(&guarantees(data, lang));
    body.push_str(&picture(data, lang));
    body.push_str(&format!(
        "<section><h2>{}</h2><pre class=\"command\"><code>{}</code></pre></section>\n",
        escape(&tr(lang, "book-run-it")),
        escape(&e.run_command())
    ));
    body.push_str(&nav(data, lang));
    document(lang, &e.section, &e.page(), &body)
}

fn part_id(e: &Example) -> &'static str {
    match e.part {
        crate::example::Part::Notes => "book-part-notes",
        crate::example::Part::Chapter => "book-part-chapter",
    }
}

/// The page's frame: head, style sheet, language switch target.
pub fn document(lang: Lang, title: &str, page: &str, body: &str) -> String {
    let (html_lang, other) = match lang {
        Lang::En => ("en", "zh"),
        Lang::Zh => ("zh-CN", "en"),
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{html_lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} · {}</title>\n<link rel=\"stylesheet\" href=\"../style.css\">\n\
         <link rel=\"alternate\" hreflang=\"{other}\" href=\"../{other}/{page}\">\n</head>\n\
         <body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        escape(title),
        escape(&tr(lang, "book-title"))
    )
}

fn nav(data: &PageData, lang: Lang) -> String {
    let link = |e: Option<&Example>, id: &str, rel: &str| match e {
        Some(e) => format!(
            "<a rel=\"{rel}\" href=\"{}\">{} <span class=\"sec\">{}</span></a>",
            e.page(),
            escape(&tr(lang, id)),
            escape(&e.section)
        ),
        None => String::new(),
    };
    format!(
        "<nav><a href=\"index.html\">{}</a>{}{}<a class=\"lang\" href=\"../{}/{}\">{}</a></nav>\n",
        escape(&tr(lang, "book-contents")),
        link(data.prev, "book-prev", "prev"),
        link(data.next, "book-next", "next"),
        other_folder(lang),
        data.example.page(),
        escape(&tr(lang, "book-other-lang"))
    )
}

/// The folder of the other language's pages.
pub fn other_folder(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "zh",
        Lang::Zh => "en",
    }
}

fn side_by_side(data: &PageData, lang: Lang) -> String {
    let e = data.example;
    let (py_file, rs_file) = (e.python.display().to_string(), e.rust.display().to_string());
    let mut out = format!(
        "<section><h2>{}</h2>\n<p class=\"legend\"><span class=\"tagbox\">[N]</span> {} \
         <span class=\"notes\">{}</span> <span class=\"differs\">{}</span></p>\n\
         <div class=\"pair\">\n<div class=\"row head\"><div class=\"tag\"></div>\
         <div class=\"cell py\"><b>Python</b> <code>{}</code></div>\
         <div class=\"cell rs\"><b>Rust</b> <code>{}</code></div></div>\n",
        escape(&tr(lang, "book-side-by-side")),
        escape(&tr(lang, "book-legend-tag")),
        escape(&tr(lang, "book-legend-notes")),
        escape(&tr(lang, "book-legend-differs")),
        escape(&py_file),
        escape(&rs_file)
    );
    for row in &data.rows {
        let tag = row.tag.map(|t| format!("[{t}]")).unwrap_or_default();
        out.push_str(&format!(
            "<div class=\"row\"><div class=\"tag\">{tag}</div>{}{}</div>\n",
            code_cell(row.python, Language::Python, "py", "Python"),
            code_cell(row.rust, Language::Rust, "rs", "Rust")
        ));
    }
    out.push_str("</div></section>\n");
    out
}

fn guarantees(data: &PageData, lang: Lang) -> String {
    let spec = &data.example.spec;
    let words = |c: &Check| match lang {
        Lang::En => c.name.clone(),
        Lang::Zh => tr(lang, &check_id(spec, &c.name)),
    };
    let sure: Vec<String> = data
        .checks
        .iter()
        .filter(|c| c.likely.is_none())
        .map(|c| format!("<li>{}</li>", escape(&words(c))))
        .collect();
    let likely: Vec<String> = data
        .checks
        .iter()
        .filter_map(|c| {
            let share = c.likely?;
            let mut args = i18n::FluentArgs::new();
            args.set("percent", (share * 100.0).round());
            let how = tr_args(lang, "book-likely-share", Some(&args));
            Some(format!(
                "<li>{} <span class=\"share\">({})</span></li>",
                escape(&words(c)),
                escape(&how)
            ))
        })
        .collect();
    let mut args = i18n::FluentArgs::new();
    args.set("spec", spec.as_str());
    format!(
        "<section><h2>{}</h2><p>{}</p>\n<h3>{}</h3><ul class=\"sure\">{}</ul>\n<h3>{}</h3><ul class=\"likely\">{}</ul></section>\n",
        escape(&tr(lang, "book-output")),
        escape(&tr_args(lang, "book-output-intro", Some(&args))),
        escape(&tr(lang, "book-guaranteed")),
        sure.join(""),
        escape(&tr(lang, "book-likely")),
        if likely.is_empty() {
            format!("<li>{}</li>", escape(&tr(lang, "book-likely-none")))
        } else {
            likely.join("")
        }
    )
}

fn picture(data: &PageData, lang: Lang) -> String {
    let body = match &data.picture {
        Some(src) => format!(
            "<figure><a href=\"{src}\"><img src=\"{src}\" alt=\"{}\"></a><figcaption>{}</figcaption></figure>",
            escape(&format!(
                "{}: {}",
                data.example.crate_name,
                tr(lang, "book-picture")
            )),
            escape(&tr(lang, "book-picture-caption"))
        ),
        None => format!("<p>{}</p>", escape(&tr(lang, "book-no-picture"))),
    };
    format!(
        "<section><h2>{}</h2>{body}</section>\n",
        escape(&tr(lang, "book-picture"))
    )
}
