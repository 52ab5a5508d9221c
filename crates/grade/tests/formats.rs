//! Every report format parsed back and checked against the run: a port that forgets its join
//! fails one check, in all three runs.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use grader::{CheckKind, CheckReport, Failure, Report};
use quick_xml::XmlVersion;
use quick_xml::events::Event;
use serde_json::Value;

const FAILING: &str = "'Process end.' comes after the child line (join)";

fn graded(format: &str) -> common::Graded {
    let script = common::fixtures().join("process/no_join.py");
    let out = common::grade(
        &[
            "process",
            "--all-runs",
            "--runs",
            "3",
            "--format",
            format,
            "--",
            script.to_str().expect("utf-8"),
        ],
        Duration::from_secs(60),
    );
    assert_eq!(out.code, Some(1), "{out:?}");
    out
}

/// All check names of the process example, in report order.
fn all_checks() -> Vec<String> {
    let spec = grader::Spec::builtin("process").expect("spec");
    [
        grader::EXIT_CHECK,
        grader::TIMEOUT_CHECK,
        grader::OUTPUT_LIMIT_CHECK,
        grader::TRACE_CHECK,
        grader::LEFT_BEHIND_CHECK,
        grader::LINES_CHECK,
        grader::FORMAT_CHECK,
    ]
    .into_iter()
    .chain(spec.check_names())
    .map(String::from)
    .collect()
}

#[test]
fn json_report() {
    let out = graded("json");
    let v: Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    assert_eq!(v["example"], "process");
    assert_eq!(v["runs"], 3);
    assert_eq!(v["passed"], false);
    let report: Report = serde_json::from_value(v).expect("a Report");
    let names: Vec<String> = report.checks.iter().map(|c| c.name.clone()).collect();
    assert_eq!(names, all_checks());
    for c in &report.checks {
        assert_eq!(c.kind, CheckKind::Guaranteed);
        if c.name == FAILING {
            assert!(!c.passed);
            assert_eq!(c.runs_passed, 0);
            let runs: Vec<usize> = c.failures.iter().map(|f| f.run).collect();
            assert_eq!(runs, [1, 2, 3]);
            assert!(
                c.failures[0]
                    .message
                    .contains("line 3 \"Process end.\" comes before any 'child' line"),
                "{:?}",
                c.failures
            );
        } else {
            assert!(
                c.passed && c.failures.is_empty() && c.runs_passed == 3,
                "{c:?}"
            );
        }
    }
}

#[test]
fn text_report() {
    let out = graded("text");
    let t = &out.stdout;
    assert!(t.starts_with("grade process: 3 runs, time scale "), "{t}");
    assert!(t.contains(&format!("\nFAIL  {FAILING}\n      run 1 (failed in 3 of 3 runs):\n        line 3 \"Process end.\" comes before any 'child' line")), "{t}");
    assert!(
        t.contains("\nPASS  child pid differs from parent pid\n"),
        "{t}"
    );
    let total = all_checks().len();
    assert!(
        t.ends_with(&format!("FAILED: 1 of {total} checks failed over 3 runs\n")),
        "{t}"
    );
    assert!(
        !t.contains('\x1b'),
        "no colors when stdout is not a terminal"
    );
}

#[test]
fn gradescope_report() {
    let out = graded("gradescope");
    let v: Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    let tests = v["tests"].as_array().expect("tests[]");
    let names: Vec<&str> = tests
        .iter()
        .map(|t| t["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, all_checks());
    for t in tests {
        assert_eq!(t["max_score"], 1.0);
        let failing = t["name"] == FAILING;
        assert_eq!(t["status"], if failing { "failed" } else { "passed" });
        assert_eq!(t["score"], if failing { 0.0 } else { 1.0 });
        let output = t["output"].as_str().expect("output");
        if failing {
            assert!(output.starts_with("held in 0 of 3 runs"), "{output}");
            assert!(
                output.contains("\nrun 3: line 3 \"Process end.\""),
                "{output}"
            );
        } else {
            assert_eq!(output, "held in 3 of 3 runs");
        }
    }
}

/// A testcase as parsed back: name, classname, failure message and text.
#[derive(Debug, Default)]
struct Case {
    name: String,
    classname: String,
    failure: Option<(String, String)>,
}

/// Parses a JUnit document: the testsuites' attributes and their testcases.
fn parse_junit(xml: &str) -> Vec<(BTreeMap<String, String>, Vec<Case>)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut suites: Vec<(BTreeMap<String, String>, Vec<Case>)> = Vec::new();
    let mut in_failure = false;
    let attrs = |e: &quick_xml::events::BytesStart| -> BTreeMap<String, String> {
        e.attributes()
            .map(|a| {
                let a = a.expect("attribute");
                (
                    a.key.as_ref().to_string(),
                    a.normalized_value(XmlVersion::Implicit1_0)
                        .expect("value")
                        .into_owned(),
                )
            })
            .collect()
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "testsuite" => {
                suites.push((attrs(&e), Vec::new()));
            }
            ev @ (Event::Start(_) | Event::Empty(_)) => {
                let (Event::Start(e) | Event::Empty(e)) = &ev else {
                    unreachable!()
                };
                let a = attrs(e);
                let cases = &mut suites.last_mut().map(|s| &mut s.1);
                match e.name().as_ref() {
                    "testcase" => cases.as_mut().expect("in a suite").push(Case {
                        name: a["name"].clone(),
                        classname: a["classname"].clone(),
                        failure: None,
                    }),
                    "failure" => {
                        let case = cases
                            .as_mut()
                            .and_then(|c| c.last_mut())
                            .expect("in a case");
                        case.failure = Some((a["message"].clone(), String::new()));
                        in_failure = matches!(ev, Event::Start(_));
                    }
                    _ => {}
                }
            }
            Event::End(e) if e.name().as_ref() == "failure" => in_failure = false,
            Event::Text(t) if in_failure => push_text(&mut suites, &t.xml10_content()),
            Event::GeneralRef(r) if in_failure => {
                let s = match r.resolve_char_ref().expect("char ref") {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&r)
                        .expect("predefined entity")
                        .to_string(),
                };
                push_text(&mut suites, &s);
            }
            _ => {}
        }
    }
    suites
}

fn push_text(suites: &mut [(BTreeMap<String, String>, Vec<Case>)], s: &str) {
    let case = suites
        .last_mut()
        .and_then(|s| s.1.last_mut())
        .expect("in a case");
    if let Some((_, text)) = &mut case.failure {
        text.push_str(s);
    }
}

#[test]
fn junit_report() {
    let out = graded("junit");
    let suites = parse_junit(&out.stdout);
    assert_eq!(suites.len(), 1, "one testsuite per example");
    let (attrs, cases) = &suites[0];
    let total = all_checks().len();
    assert_eq!(attrs["name"], "process");
    assert_eq!(attrs["tests"], total.to_string());
    assert_eq!(attrs["failures"], "1");
    let names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, all_checks());
    for c in cases {
        assert_eq!(c.classname, "grade.process");
        if c.name == FAILING {
            let (message, text) = c.failure.as_ref().expect("a failure");
            assert!(
                message.starts_with("run 1: line 3 \"Process end.\" comes before any 'child' line"),
                "{message}"
            );
            assert!(text.starts_with("held in 0 of 3 runs\nrun 1: "), "{text}");
            assert!(text.contains("\nrun 3: line 3 \"Process end.\""), "{text}");
        } else {
            assert!(c.failure.is_none(), "{c:?}");
        }
    }
}

/// Text no XML document can carry raw is escaped, and parses back to what was meant.
#[test]
fn junit_escapes_hostile_text() {
    let nasty = "a <b> & \"c\" 'd'\nline two \u{1} \u{FFFD} ]]>";
    let report = Report {
        example: "x<&>".into(),
        runs: 1,
        passed: false,
        time_scale: 1.0,
        params: BTreeMap::new(),
        checks: vec![CheckReport {
            name: "check \"<&>\"".into(),
            title: None,
            kind: CheckKind::Guaranteed,
            passed: false,
            status: grader::CheckStatus::Failed,
            runs_passed: 0,
            runs_not_reached: 0,
            runs_not_checked: 0,
            runs_not_judged: 0,
            runs_shaken: 0,
            threshold: None,
            failures: vec![Failure {
                run: 1,
                message: nasty.into(),
                ..Failure::default()
            }],
            interval: None,
            more_runs: None,
            not_judged: None,
        }],
        diff: None,
        facts: Default::default(),
        fence: nasty.into(),
        notes: vec![nasty.into()],
    };
    let suites = parse_junit(&report.junit());
    assert_eq!(suites[0].0["name"], "x<&>");
    let case = &suites[0].1[0];
    assert_eq!(case.name, "check \"<&>\"");
    let want = nasty.replace('\u{1}', "\u{FFFD}");
    let (message, text) = case.failure.as_ref().expect("failure");
    assert_eq!(message, &format!("run 1: {want}"));
    assert_eq!(text, &format!("held in 0 of 1 run\nrun 1: {want}"));
}

/// A likely check with too few runs to decide: the verdict passes, the summary does not say
/// "all passed", and no format counts it as a point won or lost.
#[test]
fn an_undecided_check_is_neither_passed_nor_a_point() {
    let check = |name: &str, status: grader::CheckStatus| CheckReport {
        name: name.into(),
        title: None,
        kind: CheckKind::Likely,
        passed: status == grader::CheckStatus::Passed,
        status,
        runs_passed: 1,
        runs_not_reached: 0,
        runs_not_checked: 0,
        runs_not_judged: 0,
        runs_shaken: 0,
        threshold: Some(0.1),
        failures: Vec::new(),
        interval: None,
        more_runs: Some(3),
        not_judged: None,
    };
    let report = Report {
        example: "fork".into(),
        runs: 2,
        passed: true,
        time_scale: 1.0,
        params: BTreeMap::new(),
        checks: vec![
            check("held", grader::CheckStatus::Passed),
            check("too few runs", grader::CheckStatus::Undecided),
        ],
        diff: None,
        facts: Default::default(),
        fence: String::new(),
        notes: Vec::new(),
    };
    assert_eq!((report.score(), report.max_score()), (1, 1));
    let text = report.render(grader::Format::Text, false);
    let last = text.lines().last().expect("a verdict line");
    assert!(last.contains("1 of 2 checks passed, 1 undecided"), "{last}");
    let gradescope: serde_json::Value =
        serde_json::from_str(&report.gradescope()).expect("gradescope JSON");
    let undecided = &gradescope["tests"][1];
    assert_eq!(undecided["max_score"], 0.0, "{gradescope}");
    assert_eq!(undecided["score"], 0.0, "{gradescope}");
    assert!(undecided.get("status").is_none(), "{gradescope}");
}
