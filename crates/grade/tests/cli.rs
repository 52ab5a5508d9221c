//! The `grade` command's contract: exit statuses, one clear line on stderr for every grading
//! that cannot be done, `--list`, `--time-scale`, `--param`, and the worked example of SPEC.md.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::{grade, grade_env};

const LIMIT: Duration = Duration::from_secs(60);

fn data(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
        .to_str()
        .expect("utf-8")
        .to_string()
}

/// The grading could not be done: status 2, nothing on stdout, one line on stderr.
fn assert_cannot_grade(args: &[&str], says: &str) {
    let out = grade(args, LIMIT);
    assert_eq!(out.code, Some(2), "{args:?}: {out:?}");
    assert_eq!(out.stdout, "", "{args:?}");
    assert_eq!(out.stderr.lines().count(), 1, "{args:?}: {:?}", out.stderr);
    assert!(out.stderr.starts_with("grade: "), "{:?}", out.stderr);
    assert!(out.stderr.contains(says), "{args:?}: {:?}", out.stderr);
}

/// As [`assert_cannot_grade`], with `env` added to grade's environment.
fn assert_cannot_grade_env(args: &[&str], env: &[(&str, &str)], says: &str) {
    let env: Vec<(&str, &std::ffi::OsStr)> = env.iter().map(|(k, v)| (*k, v.as_ref())).collect();
    let out = grade_env(args, &env, LIMIT);
    assert_eq!(out.code, Some(2), "{args:?} {env:?}: {out:?}");
    assert_eq!(out.stdout, "", "{args:?}");
    assert_eq!(out.stderr.lines().count(), 1, "{args:?}: {:?}", out.stderr);
    assert!(out.stderr.starts_with("grade: "), "{:?}", out.stderr);
    assert!(
        out.stderr.contains(says),
        "{args:?} {env:?}: {:?}",
        out.stderr
    );
}

#[test]
fn list_shows_every_example_on_one_line() {
    let out = grade(&["--list"], LIMIT);
    assert_eq!(out.code, Some(0));
    let names: Vec<&str> = out
        .stdout
        .lines()
        .map(|l| l.split_whitespace().next().expect("name"))
        .collect();
    let builtin: Vec<&str> = grader::Spec::builtin_names()
        .iter()
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(names, builtin);
    assert!(out.stdout.lines().all(|l| l.len() > 20), "{}", out.stdout);
}

#[test]
fn help_is_not_an_error() {
    let out = grade(&["--help"], LIMIT);
    assert_eq!(out.code, Some(0));
    assert!(out.stdout.contains("--time-scale"), "{}", out.stdout);
}

#[test]
fn every_grading_that_cannot_be_done_exits_2_with_one_line() {
    assert_cannot_grade(&["nope", "--", "/bin/true"], "unknown example 'nope'");
    assert_cannot_grade(
        &["fork", "--bogus", "--", "/bin/true"],
        "unexpected argument '--bogus'",
    );
    assert_cannot_grade(&["fork", "--runs", "0", "--", "/bin/true"], "--runs");
    assert_cannot_grade(&["fork", "--runs", "x", "--", "/bin/true"], "--runs");
    assert_cannot_grade(
        &["fork", "--timeout", "-1", "--", "/bin/true"],
        "not a positive number",
    );
    assert_cannot_grade(
        &["fork", "--time-scale", "0", "--", "/bin/true"],
        "not a positive number",
    );
    assert_cannot_grade(&["fork", "--format", "xml", "--", "/bin/true"], "xml");
    assert_cannot_grade(&["fork"], "no command given");
    assert_cannot_grade(&["--", "/bin/true"], "no example given");
    assert_cannot_grade(
        &["pool", "--param", "procs=2", "--", "/bin/true"],
        "unknown parameter 'procs'",
    );
    assert_cannot_grade(
        &["pool", "--param", "processes", "--", "/bin/true"],
        "not K=V",
    );
    assert_cannot_grade(
        &["pool", "--param", "processes=-2", "--", "/bin/true"],
        "whole number",
    );
    assert_cannot_grade(
        &["fork", "--", "/nonexistent/port"],
        "command not found: /nonexistent/port",
    );
}

#[test]
fn bad_knobs_zero_counts_and_huge_numbers_exit_2_with_one_line() {
    // A seed the port would refuse fails every run of a correct port: the grading's fault.
    let port = common::fixtures().join("thread/correct.py");
    let port = port.to_str().expect("utf-8");
    assert_cannot_grade_env(
        &["thread", "--", port],
        &[("MULTITASK_SEED", "x")],
        "MULTITASK_SEED",
    );
    assert_cannot_grade_env(
        &["thread", "--", port],
        &[("MULTITASK_SEED", "1.5")],
        "not an integer",
    );
    for scale in ["fast", "0", "-1", "inf", "1e300"] {
        assert_cannot_grade_env(
            &["thread", "--", port],
            &[("MULTITASK_TIME_SCALE", scale)],
            "MULTITASK_TIME_SCALE",
        );
    }
    assert_cannot_grade(&["pool", "--param", "processes=0", "--", port], "from 1 to");
    assert_cannot_grade(
        &["pool", "--param", "processes=99999999999", "--", port],
        "from 1 to",
    );
    for huge in ["1e19", "1e300", "100000"] {
        assert_cannot_grade(
            &["thread", "--timeout", huge, "--", port],
            "--timeout must be at most",
        );
    }
    assert_cannot_grade(
        &["thread", "--time-scale", "1e19", "--", port],
        "--time-scale must be",
    );
    // A good seed is no error (the port passes).
    let env = [("MULTITASK_SEED", std::ffi::OsStr::new(" 42 "))];
    let out = grade_env(
        &["thread", "--runs", "1", "--time-scale", "0.01", "--", port],
        &env,
        LIMIT,
    );
    assert_eq!(out.code, Some(0), "{out:?}");
}

#[test]
fn a_failing_port_exits_1_and_a_passing_one_0() {
    let out = grade(&["thread", "--runs", "2", "--", "/bin/true"], LIMIT);
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(
        out.stdout
            .contains("FAIL  MainThread's running line comes first")
    );
    let script = common::fixtures().join("thread/correct.py");
    let out = grade(
        &[
            "thread",
            "--runs",
            "2",
            "--time-scale",
            "0.01",
            "--",
            script.to_str().expect("utf-8"),
        ],
        LIMIT,
    );
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        out.stdout.contains("\nPASSED: all ")
            && out.stdout.ends_with(" checks passed over 2 runs\n"),
        "{}",
        out.stdout
    );
}

/// SPEC.md shows the worked example's spec verbatim, and a correct port of it passes.
#[test]
fn worked_example_of_spec_md() {
    let doc = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../grader/SPEC.md"),
    )
    .expect("SPEC.md");
    let spec = std::fs::read_to_string(data("pipe.toml")).expect("pipe.toml");
    assert!(
        doc.contains(&format!("```toml\n{spec}```")),
        "SPEC.md must quote tests/data/pipe.toml"
    );
    let out = grade(
        &[
            "--spec",
            &data("pipe.toml"),
            "--runs",
            "5",
            "--",
            &data("pipe.py"),
        ],
        LIMIT,
    );
    assert_eq!(out.code, Some(0), "{}", out.stdout);
    assert!(
        out.stdout
            .starts_with("grade pipe: 5 runs, time scale 1, messages=3\n"),
        "{}",
        out.stdout
    );
    // The parameter reaches the spec: 5 expected values, the port sends 3.
    let out = grade(
        &[
            "--spec",
            &data("pipe.toml"),
            "--runs",
            "1",
            "--param",
            "messages=5",
            "--format",
            "json",
            "--",
            &data("pipe.py"),
        ],
        LIMIT,
    );
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    assert!(
        out.stdout.contains("with i=4, found none"),
        "{}",
        out.stdout
    );
    let out = grade(
        &[
            "--spec",
            &data("pipe.toml"),
            "--runs",
            "2",
            // Both runs unshaken: the likely check is judged on both.
            "--shake",
            "0",
            "--param",
            "messages=5",
            "--",
            &data("pipe.py"),
            "5",
        ],
        LIMIT,
    );
    assert_eq!(out.code, Some(0), "{}", out.stdout);
}

/// `--time-scale` reaches the port as MULTITASK_TIME_SCALE and scales the spec's ranges.
#[test]
fn time_scale_reaches_the_port_and_the_ranges() {
    let dir = std::env::temp_dir().join(format!("grade-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let spec = dir.join("scale.toml");
    std::fs::write(
        &spec,
        "name = \"scale\"\n[[line]]\nname = \"s\"\npattern = 'scale (?<x>[0-9.]+)'\n\
         [[check]]\nname = \"the port sees the time scale\"\ntype = \"range\"\nline = \"s\"\n\
         capture = \"x\"\nmin = 1\nmax = 1\nscaled = true\n\
         [[check]]\nname = \"one line\"\ntype = \"count\"\nline = \"s\"\nexactly = 1\n",
    )
    .expect("write spec");
    let spec = spec.to_str().expect("utf-8");
    let run = |scale: &str, printed: &str| {
        grade(
            &[
                "--spec",
                spec,
                "--runs",
                "1",
                "--time-scale",
                scale,
                "--",
                "/bin/sh",
                "-c",
                &format!("echo scale {printed}"),
            ],
            LIMIT,
        )
    };
    assert_eq!(run("0.25", "$MULTITASK_TIME_SCALE").code, Some(0));
    let out = run("0.25", "0.5");
    assert_eq!(out.code, Some(1));
    assert!(
        out.stdout
            .contains("has x = 0.5, outside [0.25, 0.25] ([1, 1] x time scale 0.25)"),
        "{}",
        out.stdout
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A port that prints nothing scores the run checks only: every check with nothing to judge is
/// "not reached", scoring nothing in the Gradescope and JSON scores.
#[test]
fn empty_output_scores_only_the_run_checks() {
    let run_checks = [
        grader::EXIT_CHECK,
        grader::TIMEOUT_CHECK,
        grader::OUTPUT_LIMIT_CHECK,
        grader::TRACE_CHECK,
        grader::LEFT_BEHIND_CHECK,
    ];
    for example in ["pool", "queue", "thread"] {
        let out = grade(
            &[
                example,
                "--runs",
                "2",
                "--format",
                "gradescope",
                "--",
                "/bin/true",
            ],
            LIMIT,
        );
        assert_eq!(out.code, Some(1), "{out:?}");
        let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
        let tests = v["tests"].as_array().expect("tests");
        let scored: Vec<&str> = tests
            .iter()
            .filter(|t| t["score"] != 0.0)
            .map(|t| t["name"].as_str().expect("name"))
            .collect();
        assert_eq!(scored, run_checks, "{example}");
        let lines = tests
            .iter()
            .find(|t| t["name"] == grader::LINES_CHECK)
            .expect("lines check");
        assert!(
            lines["output"]
                .as_str()
                .expect("output")
                .starts_with("not reached"),
            "{lines}"
        );

        let out = grade(
            &[
                example,
                "--runs",
                "2",
                "--format",
                "json",
                "--",
                "/bin/true",
            ],
            LIMIT,
        );
        let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
        assert_eq!(v["score"], run_checks.len(), "{example}");
        let statuses: Vec<&str> = v["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .map(|c| c["status"].as_str().expect("status"))
            .collect();
        assert!(statuses.contains(&"not reached"), "{example}: {statuses:?}");
        assert!(
            !statuses[run_checks.len()..].contains(&"passed"),
            "{example}: {statuses:?}"
        );
    }
    // In words: the pool's bound is not reached, not passed.
    let out = grade(&["pool", "--runs", "1", "--", "/bin/true"], LIMIT);
    assert!(
        out.stdout
            .contains("----  at most N tasks run at once  [not reached"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("not reached over 1 run\n"),
        "{}",
        out.stdout
    );
}

/// Progress goes to stderr while runs go, as plain lines at most once a second when stderr is
/// not a terminal; stdout carries the report only.
#[test]
fn progress_goes_to_stderr_at_most_once_a_second() {
    let script = common::fixtures().join("thread/correct.py");
    let started = std::time::Instant::now();
    let out = grade(
        &[
            "thread",
            "--runs",
            "4",
            "--time-scale",
            "0.1",
            "--",
            script.to_str().expect("utf-8"),
        ],
        LIMIT,
    );
    let took = started.elapsed().as_secs_f64();
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        out.stdout.starts_with("grade thread: 4 runs"),
        "{}",
        out.stdout
    );
    let all: Vec<&str> = out.stderr.lines().collect();
    // First the fence's line, then the progress.
    assert!(
        all.first()
            .is_some_and(|l| l.starts_with("grade: runs fenced")),
        "{all:?}"
    );
    let lines = &all[1..];
    assert!(!lines.is_empty(), "no progress at all");
    assert!(
        lines.len() as f64 <= took + 1.0,
        "{} lines in {took:.1} s: {lines:?}",
        lines.len()
    );
    assert!(
        lines[0].starts_with("grade: run 1 of 4 took ") && lines[0].ends_with(", 1 passed so far"),
        "{lines:?}"
    );
    assert!(
        lines.iter().all(|l| l.starts_with("grade: run ")),
        "{lines:?}"
    );
}

/// The first failing run is shown beside a correct run (a reference program's when given, else
/// the spec's line kinds), with the first line where they part marked.
#[test]
fn the_first_failing_run_is_shown_beside_a_correct_one() {
    let broken = common::fixtures().join("thread/out_of_order.py");
    let correct = common::fixtures().join("thread/correct.py");
    let reference = format!("python3 {}", correct.to_str().expect("utf-8"));
    let args = |with_reference: bool| {
        let mut a = vec!["thread", "--runs", "2", "--time-scale", "0.01"];
        if with_reference {
            a.extend(["--reference", reference.as_str()]);
        }
        a.extend(["--", broken.to_str().expect("utf-8")]);
        a
    };
    let out = grade(&args(true), LIMIT);
    assert_eq!(out.code, Some(1), "{out:?}");
    let t = &out.stdout;
    assert!(t.contains("beside the reference run"), "{t}");
    // LoopThread's end comes before its fifth count: line 7 is where the two part.
    assert!(
        t.contains(">>   7  thread LoopThread ended.") && t.contains("| thread LoopThread >>> 5"),
        "{t}"
    );
    assert_eq!(t.matches("\n>>").count(), 1, "{t}");
    let out = grade(&args(false), LIMIT);
    let t = &out.stdout;
    assert!(t.contains("beside the spec's line kinds"), "{t}");
    assert!(
        t.contains("| main_running: thread MainThread is running\\.\\.\\."),
        "{t}"
    );
    assert_eq!(t.matches("\n>>").count(), 1, "{t}");
    // A passing grading shows no diff.
    let out = grade(
        &[
            "thread",
            "--runs",
            "1",
            "--time-scale",
            "0.01",
            "--",
            correct.to_str().expect("utf-8"),
        ],
        LIMIT,
    );
    assert!(!out.stdout.contains(">>"), "{}", out.stdout);
}

/// A port graded directly gets none of grade's environment but what a correct port needs: a
/// token in the caller's shell never reaches it (nor, through what it prints, the report);
/// `--env NAME` passes one on, `--env NAME=VALUE` sets one, and a bad name is one line, status 2.
#[test]
fn the_caller_s_environment_reaches_the_port_only_through_env() {
    let secret = format!("canary-{}", std::process::id());
    let print = "import os; print(os.environ.get('TEACHER_CANARY', 'no canary'), \
                 os.environ.get('SET_HERE', 'unset'), 'PATH' in os.environ)";
    let graded = |extra: &[&str]| {
        let mut args = vec!["thread", "--runs", "1", "--time-scale", "0.01"];
        args.extend_from_slice(extra);
        args.extend(["--", "python3", "-c", print]);
        let out = grade_env(&args, &[("TEACHER_CANARY", secret.as_ref())], LIMIT);
        // The port's line matches no pattern: the report quotes it.
        assert_eq!(out.code, Some(1), "{out:?}");
        out.stdout
    };
    let scrubbed = graded(&[]);
    assert!(!scrubbed.contains(&secret), "{scrubbed}");
    assert!(scrubbed.contains("no canary unset True"), "{scrubbed}");
    let passed = graded(&["--env", "TEACHER_CANARY", "--env", "SET_HERE=here"]);
    assert!(passed.contains(&format!("{secret} here True")), "{passed}");
    assert_cannot_grade(
        &["thread", "--env", "1BAD", "--", "/bin/true"],
        "is not NAME or NAME=VALUE",
    );
}
