//! The ports under `tests/fixtures/`: each correct port passes its example's spec, each broken
//! port fails, and among the failed checks is the one its header names.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::{fixtures, grade, header};
use serde_json::Value;

const RUNS: &str = "8";

fn scripts(example: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(fixtures().join(example))
        .expect("fixture folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "py" || e == "sh"))
        .collect();
    v.sort();
    v
}

/// Grades every fixture of an example; returns how many were checked.
fn check_example(example: &str) {
    let scripts = scripts(example);
    let broken = scripts
        .iter()
        .filter(|p| !p.ends_with("correct.py"))
        .count();
    assert!(broken >= 2, "{example}: fewer than two broken ports");
    assert!(
        scripts.iter().any(|p| p.ends_with("correct.py")),
        "{example}: no correct port"
    );
    let mut wrong = Vec::new();
    for script in &scripts {
        let text = std::fs::read_to_string(script).expect("read fixture");
        let expect = header(&text, "expect").expect("every fixture has an `# expect:` line");
        let path = script.to_str().expect("utf-8 path");
        let mut args = vec![
            example,
            "--runs",
            RUNS,
            "--time-scale",
            "0.01",
            "--timeout",
            "20",
            "--format",
            "json",
        ];
        let grade_args = header(&text, "grade-args").unwrap_or_default();
        args.extend(grade_args.split_whitespace());
        args.extend(["--", path]);
        let script_args = header(&text, "args").unwrap_or_default();
        args.extend(script_args.split_whitespace());
        let out = grade(&args, Duration::from_secs(120));
        let report: Value = match serde_json::from_str(&out.stdout) {
            Ok(v) => v,
            Err(e) => {
                wrong.push(format!(
                    "{path}: no JSON report ({e}); stderr: {}",
                    out.stderr
                ));
                continue;
            }
        };
        let failed: Vec<&str> = report["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .filter(|c| c["passed"] == false)
            .map(|c| c["name"].as_str().expect("name"))
            .collect();
        match expect.strip_prefix("fail ") {
            None => {
                assert_eq!(expect, "pass", "{path}: bad `# expect:` line");
                if out.code != Some(0) || !failed.is_empty() {
                    wrong.push(format!(
                        "{path}: a correct port failed {failed:?} (exit {:?}):\n{}",
                        out.code, out.stdout
                    ));
                }
            }
            Some(check) => {
                if out.code != Some(1) || !failed.contains(&check) {
                    wrong.push(format!(
                        "{path}: expected to fail '{check}', exit {:?}, failed {failed:?}",
                        out.code
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn fork_fixtures() {
    check_example("fork");
}

#[test]
fn process_fixtures() {
    check_example("process");
}

#[test]
fn pool_fixtures() {
    check_example("pool");
}

#[test]
fn queue_fixtures() {
    check_example("queue");
}

#[test]
fn thread_fixtures() {
    check_example("thread");
}

/// Every check a fixture names exists in its example's spec (a renamed check cannot turn a
/// fixture's expectation into a silent mismatch).
#[test]
fn fixture_expectations_name_real_checks() {
    for (example, _) in grader::Spec::builtin_names() {
        let spec = grader::Spec::builtin(example).expect("builtin spec");
        let mut names = spec.check_names();
        names.extend([
            grader::EXIT_CHECK,
            grader::TIMEOUT_CHECK,
            grader::OUTPUT_LIMIT_CHECK,
            grader::LEFT_BEHIND_CHECK,
            grader::LINES_CHECK,
        ]);
        for script in scripts(example) {
            let text = std::fs::read_to_string(&script).expect("read");
            let expect = header(&text, "expect").expect("expect line");
            if let Some(check) = expect.strip_prefix("fail ") {
                assert!(
                    names.contains(&check),
                    "{}: no check named '{check}' in {example}",
                    script.display()
                );
            }
        }
    }
}
