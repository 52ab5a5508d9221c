//! The ports under `tests/fixtures/`: each correct port passes its example's spec, each broken
//! port fails, and among the failed checks is the one its header names.

mod common;

use std::ffi::OsStr;
use std::path::PathBuf;
use std::time::Duration;

use common::{fixtures, grade_env, header};
use serde_json::Value;

/// The grading options a fixture gets unless its `# grade-args:` sets them: few runs, fast.
const DEFAULTS: [(&str, &str); 3] = [
    ("--runs", "8"),
    ("--time-scale", "0.01"),
    ("--timeout", "20"),
];

fn scripts(example: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(fixtures().join(example))
        .expect("fixture folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "py" || e == "sh"))
        .collect();
    v.sort();
    v
}

/// Grades every fixture of an example.
fn check_example(example: &str) {
    check_example_with(example, &[], &[]);
}

/// Grades every fixture of an example with `env` added to grade's environment (passed on to the
/// ports with `--env`) and `extra` grade options for every fixture.
fn check_example_with(example: &str, env: &[(&str, &OsStr)], extra: &[&str]) {
    let scripts = scripts(example);
    let expects: Vec<String> = scripts
        .iter()
        .map(|script| {
            let text = std::fs::read_to_string(script).expect("read fixture");
            header(&text, "expect").expect("every fixture has an `# expect:` line")
        })
        .collect();
    let broken = expects.iter().filter(|e| e.starts_with("fail ")).count();
    assert!(broken >= 2, "{example}: fewer than two broken ports");
    assert!(
        expects.iter().any(|e| e == "pass"),
        "{example}: no correct port"
    );
    let mut wrong = Vec::new();
    for (script, expect) in scripts.iter().zip(&expects) {
        let text = std::fs::read_to_string(script).expect("read fixture");
        let path = script.to_str().expect("utf-8 path");
        let grade_args = header(&text, "grade-args").unwrap_or_default();
        let mut args = vec![example, "--format", "json"];
        args.extend_from_slice(extra);
        for (name, _) in env {
            args.extend(["--env", name]);
        }
        for (option, value) in DEFAULTS {
            if !grade_args.split_whitespace().any(|a| a == option) {
                args.extend([option, value]);
            }
        }
        args.extend(grade_args.split_whitespace());
        args.extend(["--", path]);
        let script_args = header(&text, "args").unwrap_or_default();
        args.extend(script_args.split_whitespace());
        let out = grade_env(&args, env, Duration::from_secs(120));
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
            .filter(|c| c["status"] == "failed")
            .map(|c| c["name"].as_str().expect("name"))
            .collect();
        // A check the machine could not judge (too few free cores for cores_busy): counted in
        // its `runs_not_judged` (the report's notes say why), never passed.
        let unjudged = |check: &str| {
            report["checks"].as_array().is_some_and(|checks| {
                checks.iter().any(|c| {
                    c["name"] == check && c["runs_not_judged"].as_u64().is_some_and(|n| n > 0)
                })
            })
        };
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
            Some(check) if !failed.contains(&check) && unjudged(check) => {
                println!("{path}: '{check}' not judged on this machine (see the notes)");
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

/// Every example's fixtures (`workspace_tests::examples`). A pair's correct port is a wrapper
/// that runs the built programs it is pointed at (`TASK_MASTER`, `TASK_WORKER`: each demo's
/// binary name in capitals, `-` as `_`), and may read their folder in the fenced run; its broken
/// ones run the Python originals with one program broken (and may read `tests/reference`).
#[test]
fn every_examples_fixtures() {
    workspace_tests::for_each_example(|ex| {
        if !ex.is_pair() {
            return check_example(ex.name);
        }
        let bins: Vec<(String, PathBuf)> = ex
            .demos
            .iter()
            .map(|d| (d.to_uppercase().replace('-', "_"), workspace_tests::bin(d)))
            .collect();
        let env: Vec<(&str, &OsStr)> = bins
            .iter()
            .map(|(var, path)| (var.as_str(), path.as_os_str()))
            .collect();
        let bin_dir = bins[0].1.parent().expect("the binaries' folder");
        // The broken ports run the Python originals beside their broken program.
        let originals = workspace_tests::repo_path("tests/reference");
        check_example_with(
            ex.name,
            &env,
            &[
                "--allow-read",
                bin_dir.to_str().expect("utf-8"),
                "--allow-read",
                originals.to_str().expect("utf-8"),
            ],
        );
    });
}

/// The multicore spec's `cores` parameter is what a port is held to: the one-busy-process port
/// that fails at two cores passes at one.
#[test]
fn multicore_cores_parameter_sets_the_likely_figure() {
    let script = fixtures().join("multicore/one_busy_process.py");
    let path = script.to_str().expect("utf-8 path");
    let out = grade_env(
        &[
            "multicore",
            "--runs",
            "4",
            // The likely figure is judged on unshaken runs: all four here.
            "--shake",
            "0",
            // Half a second a run: long enough that a busy machine still leaves it a core.
            "--time-scale",
            "0.1",
            "--param",
            "cores=1",
            "--",
            path,
        ],
        &[],
        Duration::from_secs(60),
    );
    assert_eq!(out.code, Some(0), "{}\n{}", out.stdout, out.stderr);
}

/// Every check a fixture names exists in its example's spec (a renamed check cannot turn a
/// fixture's expectation into a silent mismatch).
#[test]
fn fixture_expectations_name_real_checks() {
    for ex in workspace_tests::examples() {
        let example = ex.name;
        let spec = grader::Spec::builtin(example).expect("builtin spec");
        let mut names = spec.check_names();
        names.extend([
            grader::EXIT_CHECK,
            grader::TIMEOUT_CHECK,
            grader::OUTPUT_LIMIT_CHECK,
            grader::LEFT_BEHIND_CHECK,
            grader::LINES_CHECK,
            grader::FORMAT_CHECK,
            grader::TRACE_CHECK,
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

/// Grades one fixture `--runs 4` fast and returns its JSON report.
fn graded(example: &str, script: &str, extra: &[&str]) -> Value {
    let path = fixtures().join(script);
    let path = path.to_str().expect("utf-8 path");
    let mut args = vec![
        example,
        "--format",
        "json",
        "--runs",
        "4",
        "--time-scale",
        "0.01",
    ];
    args.extend(extra);
    args.extend(["--", path]);
    let out = grade_env(&args, &[], Duration::from_secs(120));
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{script}: no JSON report ({e}): {}", out.stderr))
}

/// The checks a report failed, each with its first failure's message.
fn failed(report: &Value) -> Vec<(String, String)> {
    report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["status"] == "failed")
        .map(|c| {
            (
                c["name"].as_str().expect("name").to_string(),
                c["failures"][0]["message"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect()
}

/// One small defect fails one check: lines that would match but for a `\r`, a trailing space, a
/// byte order mark, a tab, a full-width mark or a missing final newline count as their kind
/// everywhere else, and the line format check names the difference.
#[test]
fn a_near_miss_fails_the_line_format_check_only() {
    for (example, script, extra, says) in [
        (
            "thread",
            "thread/crlf.py",
            &[][..],
            "every line ends with \\r\\n",
        ),
        (
            "pool",
            "pool/task_line_trailing_space.py",
            &["--param", "processes=2"][..],
            "ends with a space",
        ),
        (
            "process",
            "process/near_bom.py",
            &[][..],
            "begins with a byte order mark",
        ),
        (
            "process",
            "process/near_no_final_newline.py",
            &[][..],
            "has no newline after it",
        ),
        (
            "process",
            "process/near_full_width.py",
            &[][..],
            "has a tab where a space belongs, has the full-width '\u{3002}'",
        ),
    ] {
        let failed = failed(&graded(example, script, extra));
        assert_eq!(failed.len(), 1, "{script}: {failed:?}");
        assert_eq!(failed[0].0, grader::FORMAT_CHECK, "{script}");
        assert!(failed[0].1.contains(says), "{script}: {:?}", failed[0].1);
    }
}

/// A port that prints its lines on stderr is told so by the first check that fails.
#[test]
fn lines_on_stderr_are_named_by_the_first_failing_check() {
    let failed = failed(&graded("thread", "thread/to_stderr.py", &[]));
    let (name, message) = failed.first().expect("a failed check");
    assert_eq!(name, "MainThread's running line comes first");
    assert!(message.contains("printed on stderr"), "{message}");
    assert!(
        failed[1..].iter().all(|(_, m)| !m.contains("stderr")),
        "{failed:?}"
    );
}
