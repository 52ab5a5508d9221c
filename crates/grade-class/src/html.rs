//! `index.html`: the class's results as a table sortable by any column (a click on its
//! header), each submission linking to its reports and build log. One file, no network.

use std::fmt::Write as _;

use i18n::{Lang, tr};

use super::results::{ClassResults, SubmissionResult, word};
use grader::xml_escape as esc;

/// Sorts the table by the clicked column, numbers as numbers; a second click reverses.
const SORT_SCRIPT: &str = r#"
document.querySelectorAll('th').forEach((th, col) => th.addEventListener('click', () => {
  const body = th.closest('table').tBodies[0];
  const dir = th.dataset.dir === 'asc' ? -1 : 1;
  document.querySelectorAll('th').forEach(h => delete h.dataset.dir);
  th.dataset.dir = dir === 1 ? 'asc' : 'desc';
  const key = row => row.cells[col].dataset.sort ?? row.cells[col].textContent;
  [...body.rows].sort((a, b) => {
    const x = key(a), y = key(b), nx = parseFloat(x), ny = parseFloat(y);
    return dir * (!isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y));
  }).forEach(row => body.appendChild(row));
}));
"#;

const STYLE: &str = "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}\
th,td{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}\
th{cursor:pointer;background:#f4f4f4}th[data-dir=asc]::after{content:' \\25B2'}\
th[data-dir=desc]::after{content:' \\25BC'}.pass{color:#070}.fail{color:#b00}\
.not-graded{color:#a60}";

/// The page.
pub(crate) fn index_html(results: &ClassResults) -> String {
    let lang = Lang::current();
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n",
        lang.tag()
    );
    let _ = writeln!(
        out,
        "<title>grade class: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>",
        esc(&results.example)
    );
    let scale = results
        .time_scale
        .map(|s| tr!(lang, "class-html-at-scale", scale = s))
        .unwrap_or_default();
    let seconds = format!("{:.1}", results.seconds);
    let intro = tr!(
        lang,
        "class-html-intro",
        submissions = results.submissions.len(),
        runs = results.runs,
        scale = scale,
        seconds = seconds,
        jobs = results.jobs
    );
    let _ = writeln!(
        out,
        "<h1>{}</h1>\n<p>{}</p>",
        esc(&results.example),
        esc(&intro)
    );
    out.push_str("<table>\n<thead><tr>");
    for id in [
        "class-head-submission",
        "class-html-form",
        "class-head-build",
        "class-head-verdict",
        "class-html-checks-passed",
        "class-head-detail",
        "class-html-reports",
        "class-html-seconds",
    ] {
        let _ = write!(out, "<th>{}</th>", esc(&tr(lang, id)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for s in &results.submissions {
        row(&mut out, s, lang);
    }
    let _ = write!(
        out,
        "</tbody>\n</table>\n<script>{SORT_SCRIPT}</script>\n</body>\n</html>\n"
    );
    out
}

fn row(out: &mut String, s: &SubmissionResult, lang: Lang) {
    let verdict = word(&s.verdict);
    let say = |w: String| esc(&tr(lang, &format!("class-word-{w}")));
    let (checks, sort) = match (s.checks_passed, s.checks_total) {
        (Some(p), Some(t)) => (format!("{p}/{t}"), format!("{p}")),
        _ => ("-".into(), "-1".into()),
    };
    let detail = s
        .first_failed_title
        .as_ref()
        .or(s.first_failed_check.as_ref())
        .or(s.note.as_ref())
        .map(|d| esc(d))
        .unwrap_or_default();
    let mut links = Vec::new();
    for (label, path) in [
        ("class-html-link-html", s.files.html.as_ref()),
        ("class-html-link-text", s.files.text.as_ref()),
        ("class-html-link-json", s.files.json.as_ref()),
        ("class-html-link-build-log", Some(&s.files.build_log)),
    ] {
        if let Some(p) = path {
            let label = esc(&tr(lang, label));
            links.push(format!("<a href=\"{}\">{label}</a>", esc(&href(p))));
        }
    }
    let main = s
        .files
        .html
        .as_ref()
        .or(s.files.text.as_ref())
        .unwrap_or(&s.files.build_log);
    let seconds = s.build_seconds + s.grade_seconds.unwrap_or(0.0);
    let _ = writeln!(
        out,
        "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td>\
         <td class=\"{verdict}\">{}</td><td data-sort=\"{sort}\">{checks}</td><td>{detail}</td>\
         <td>{}</td><td>{seconds:.1}</td></tr>",
        esc(&href(main)),
        esc(&s.submission),
        say(word(&s.form)),
        say(word(&s.build)),
        say(verdict.clone()),
        links.join(" ")
    );
}

/// A relative path as a URL path: each segment percent-encoded where needed.
fn href(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_and_links_encoded() {
        assert_eq!(esc("<a href='x'>&"), "&lt;a href=&apos;x&apos;&gt;&amp;");
        assert_eq!(esc("a\u{1b}[2J"), "a\u{fffd}[2J");
        assert_eq!(href("bob smith/report.txt"), "bob%20smith/report.txt");
    }
}
