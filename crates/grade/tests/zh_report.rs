//! A failing port graded in Chinese (`--lang zh`, or `LANG=zh_CN.UTF-8`): the report's failure
//! sentences, notes and facts, and what `grade` says on stderr, are Chinese. Program output
//! (quoted), names of line kinds and captures, patterns and options stay as they are; what is
//! left must hold no English sentence (three ASCII words in a row). The same gradings in English
//! must be caught by that test, so it can fail.

mod common;

use std::ffi::OsStr;
use std::time::Duration;

use common::{Graded, fixtures, grade, grade_env};
use regex::Regex;

const LIMIT: Duration = Duration::from_secs(120);

/// Failing ports that reach many kinds of sentence: a writer, a count with its cause, a relation
/// and a parent pid, lines on stderr, a line format, an exit code, a printed duration, values
/// per capture, processes left behind.
const PORTS: &[(&str, &str, &[&str])] = &[
    ("process", "process/fake_no_child.py", &[]),
    ("fork", "fork/first_line_twice.py", &[]),
    ("fork", "fork/wrong_parent.py", &[]),
    ("thread", "thread/to_stderr.py", &[]),
    ("thread", "thread/crlf.py", &[]),
    ("subprocess", "subprocess/exit_code_too_early.py", &[]),
    ("pool", "pool/fake_made_up_seconds.py", &["2"]),
    ("queue", "queue/gets_twice.py", &[]),
    ("fork", "hostile/fork_children.py", &[]),
];

/// Grades `port` of `example` in `lang` (`None`: the language `env` asks for).
fn graded(
    example: &str,
    port: &str,
    args: &[&str],
    lang: Option<&str>,
    env: &[(&str, &OsStr)],
) -> Graded {
    let path = fixtures().join(port);
    let path = path.to_str().expect("utf-8 path");
    let mut argv = vec![
        example,
        "--runs",
        "2",
        "--time-scale",
        "0.05",
        "--timeout",
        "10",
    ];
    if let Some(lang) = lang {
        argv.extend(["--lang", lang]);
    }
    argv.extend(["--", "python3", path]);
    argv.extend(args);
    let out = grade_env(&argv, env, LIMIT);
    assert_eq!(out.code, Some(1), "{port} should fail: {out:?}");
    out
}

/// The lines of `text` that hold an English sentence once the parts that may be English are
/// taken out: quoted program output ("..." with escapes), names in quotes (“...” and '...'),
/// patterns (/.../), options (--seed), the columns of the run beside a correct one and the
/// quoted tail of stderr (`  | ...`).
fn english_lines(text: &str) -> Vec<String> {
    let quoted = Regex::new(r#""(?:[^"\\]|\\.)*"|“[^”]*”|'[^']*'|/[^/\s][^/]*/|--[a-z][a-z-]*"#)
        .expect("regex");
    let sentence =
        Regex::new(r"[A-Za-z][A-Za-z.]+(?:[ ,;:()+-]+[A-Za-z][A-Za-z.]+){2,}").expect("regex");
    let column = Regex::new(r"^(>>|  ) +\d+  ").expect("regex");
    let mut beside = false;
    let mut found = Vec::new();
    for line in text.lines() {
        // The heading of the two columns (in Chinese) is checked; the columns are not.
        if line.contains(">>") && !column.is_match(line) {
            beside = true;
        } else if beside && column.is_match(line) {
            continue;
        } else {
            beside = false;
        }
        if line.trim_start().starts_with("| ") {
            continue;
        }
        let rest = quoted.replace_all(line, "");
        if sentence.is_match(&rest) {
            found.push(line.to_string());
        }
    }
    found
}

/// The failure sentences of a text report: the indented lines under a failed check.
fn failure_lines(report: &str) -> Vec<&str> {
    report
        .lines()
        .filter(|l| l.starts_with("        "))
        .collect()
}

#[test]
fn a_failing_port_graded_in_chinese_has_no_english_sentence() {
    let mut english = Vec::new();
    for (example, port, args) in PORTS {
        let out = graded(example, port, args, Some("zh"), &[]);
        assert!(
            !failure_lines(&out.stdout).is_empty(),
            "{port}: no failure sentence in\n{}",
            out.stdout
        );
        for line in english_lines(&out.stdout)
            .into_iter()
            .chain(english_lines(&out.stderr))
        {
            english.push(format!("{port}: {line}"));
        }
    }
    assert!(
        english.is_empty(),
        "English in Chinese reports:\n{}",
        english.join("\n")
    );
}

#[test]
fn the_detector_finds_the_english_of_the_same_gradings() {
    // Each port's English failure sentences are caught: the test above can fail.
    for (example, port, args) in PORTS {
        let out = graded(example, port, args, Some("en"), &[]);
        let failures = failure_lines(&out.stdout).join("\n");
        assert!(
            !english_lines(&failures).is_empty(),
            "{port}: no English sentence found in\n{failures}"
        );
    }
}

#[test]
fn the_locale_alone_makes_the_report_chinese() {
    let env: [(&str, &OsStr); 3] = [
        ("LC_ALL", OsStr::new("")),
        ("LC_MESSAGES", OsStr::new("")),
        ("LANG", OsStr::new("zh_CN.UTF-8")),
    ];
    let out = graded("process", "process/fake_no_child.py", &[], None, &env);
    assert!(out.stdout.contains("失败"), "{}", out.stdout);
    let english = english_lines(&out.stdout);
    assert!(english.is_empty(), "{english:#?}");
}

#[test]
fn a_chinese_gradescope_body_says_its_failures_in_chinese() {
    let path = fixtures().join("process/fake_no_child.py");
    let path = path.to_str().expect("utf-8 path");
    let out = grade(
        &[
            "process",
            "--runs",
            "2",
            "--time-scale",
            "0.05",
            "--lang",
            "zh",
            "--format",
            "gradescope",
            "--",
            "python3",
            path,
        ],
        LIMIT,
    );
    let body: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let mut said = vec![body["output"].as_str().unwrap_or_default().to_string()];
    for test in body["tests"].as_array().expect("tests") {
        said.push(test["name"].as_str().unwrap_or_default().to_string());
        said.push(test["output"].as_str().unwrap_or_default().to_string());
    }
    let english = english_lines(&said.join("\n"));
    assert!(english.is_empty(), "{english:#?}");
}

#[test]
fn the_detector_keeps_program_output_names_and_patterns() {
    let zh = "        第 3 行 \"Run child process test (13659)...\" 由进程 13652（主进程）写出\n\
              失败  “Process will start.” 只打印一次\n\
              （这次运行由 PCT 调度，种子 7：用 --seed 7 --points 4 --depth 1 --runs 1 重放）\n\
              第 1 次运行与规格中的行类型对照（>> 标出两边第一处不同的行）：\n\
              >>   3  Run child process test (1)...      | child: Run child process test\n";
    assert_eq!(english_lines(zh), Vec::<String>::new());
    let en = "        line 3 \"x\" was written by pid 5 (the main process)";
    assert_eq!(english_lines(en).len(), 1);
}
