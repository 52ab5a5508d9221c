//! Spec parsing: the built-ins are valid, and every malformed spec is an error naming the file,
//! the line and what is wrong.

#[path = "../../grade/tests/common/mod.rs"]
mod common;

use std::time::Duration;

use grader::{Spec, SpecErrorKind};

const HEAD: &str = r#"name = "demo"

[params]
workers = "cpus"

[[line]]
name = "start"
pattern = 'Start (?<P>\d+)'

[[line]]
name = "job"
pattern = 'Job (?<i>\d+) on (?<W>\d+)'
"#;

/// Parses HEAD + `tail`; returns (line, message) of the error.
fn error(tail: &str) -> (SpecErrorKind, usize, String) {
    let text = format!("{HEAD}{tail}");
    let e = Spec::parse(&text, "demo.toml").expect_err("the spec should be rejected");
    assert_eq!(e.origin(), "demo.toml");
    let line = e.line().expect("the error has a line");
    assert!(
        e.to_string().starts_with(&format!("demo.toml:{line}: ")),
        "{e}"
    );
    (e.kind(), line, e.message().to_string())
}

/// The 1-based line of `needle` in HEAD + tail.
fn line_of(tail: &str, needle: &str) -> usize {
    let text = format!("{HEAD}{tail}");
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle")
        + 1
}

#[test]
fn builtin_specs_parse_and_list() {
    let names: Vec<&str> = Spec::builtin_names().iter().map(|(n, _)| *n).collect();
    // The files of specs/, read here on their own: the list is theirs, in name order.
    let mut files: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/specs"))
        .expect("specs/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.file_stem().expect("stem").to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(names, files);
    assert!(names.len() >= 11, "{names:?}");
    for (name, description) in Spec::builtin_names() {
        let spec = Spec::builtin(name).expect("builtin spec parses");
        assert_eq!(spec.name(), name);
        assert_eq!(spec.description(), description);
        assert!(!spec.check_names().is_empty());
    }
    assert_eq!(
        Spec::builtin("pool").expect("pool").param_names(),
        ["processes"]
    );
    let e = Spec::builtin("nope").expect_err("unknown example");
    assert_eq!(e.kind(), SpecErrorKind::UnknownExample);
    assert!(e.to_string().contains("unknown example 'nope'"), "{e}");
}

#[test]
fn toml_syntax_error_has_its_line() {
    let tail = "\n[[check]]\nname = \"x\"\ntype = \"first\"\nline = \"start\n";
    let (kind, line, msg) = error(tail);
    assert_eq!(kind, SpecErrorKind::Syntax);
    assert_eq!(line, line_of(tail, "line = \"start"), "{msg}");
}

#[test]
fn unknown_field_is_an_error() {
    let tail = "\n[[check]]\nname = \"x\"\ntype = \"first\"\nline = \"start\"\nlikley = 0.5\n";
    let (kind, line, msg) = error(tail);
    assert_eq!(kind, SpecErrorKind::Syntax);
    assert!(msg.contains("likley"), "{msg}");
    assert_eq!(line, line_of(tail, "likley"));
}

#[test]
fn unknown_check_type() {
    let tail = "\n[[check]]\nname = \"x\"\ntype = \"firstt\"\nline = \"start\"\n";
    let (kind, line, msg) = error(tail);
    assert_eq!(kind, SpecErrorKind::Invalid);
    assert!(msg.contains("unknown type 'firstt'"), "{msg}");
    assert_eq!(line, line_of(tail, "firstt"));
}

#[test]
fn unknown_line_kind() {
    let tail =
        "\n[[check]]\nname = \"x\"\ntype = \"order\"\nbefore = \"start\"\nafter = \"jobb\"\n";
    let (_, line, msg) = error(tail);
    assert!(msg.contains("unknown line kind 'jobb'"), "{msg}");
    assert!(msg.contains("known: start, job"), "{msg}");
    assert_eq!(line, line_of(tail, "jobb"));
}

#[test]
fn unknown_capture() {
    let tail = "\n[[check]]\nname = \"x\"\ntype = \"distinct\"\nline = \"job\"\ncapture = \"V\"\nmax = 2\n";
    let (_, line, msg) = error(tail);
    assert!(
        msg.contains("line kind 'job' has no capture named 'V' (its captures: i, W)"),
        "{msg}"
    );
    assert_eq!(line, line_of(tail, "capture = \"V\""));
}

#[test]
fn order_per_capture_must_be_in_both_kinds() {
    let tail = "\n[[check]]\nname = \"x\"\ntype = \"order\"\nbefore = \"job\"\nafter = \"start\"\nper = \"i\"\n";
    let (_, line, msg) = error(tail);
    assert!(
        msg.contains("line kind 'start' has no capture named 'i'"),
        "{msg}"
    );
    assert_eq!(line, line_of(tail, "per = "));
}

#[test]
fn relation_operands_are_checked() {
    let tail = "\n[[check]]\nname = \"x\"\ntype = \"relation\"\nleft = \"job.W\"\nop = \"in\"\nright = [\"start.P\", \"adopter\"]\n";
    let (_, line, msg) = error(tail);
    assert!(msg.contains("'adopter' is neither KIND.CAPTURE"), "{msg}");
    assert_eq!(line, line_of(tail, "right = "));
    let tail = "\n[[check]]\nname = \"x\"\ntype = \"relation\"\nleft = \"job.W\"\nop = \"<\"\nright = \"start.P\"\n";
    let (_, line, msg) = error(tail);
    assert!(msg.contains("unknown op '<'"), "{msg}");
    assert_eq!(line, line_of(tail, "op = "));
}

#[test]
fn unknown_parameter() {
    let tail = "\n[[check]]\nname = \"x\"\ntype = \"open\"\nopen = \"start\"\nclose = \"job\"\nkey = \"i\"\nmax = \"processes\"\n";
    // `start` has no capture i: fix that first so the parameter is what fails.
    let tail = tail.replace("open = \"start\"", "open = \"job\"");
    let (_, line, msg) = error(&tail);
    assert!(msg.contains("unknown parameter 'processes'"), "{msg}");
    assert_eq!(line, line_of(&tail, "max = "));
}

#[test]
fn bad_pattern() {
    let text = "name = \"d\"\n[[line]]\nname = \"a\"\npattern = 'x(?<P>\\d+'\n[[check]]\nname = \"x\"\ntype = \"first\"\nline = \"a\"\n";
    let e = Spec::parse(text, "d.toml").expect_err("bad regex");
    assert_eq!(e.line(), Some(4), "{e}");
    assert!(e.message().contains("bad pattern for line kind 'a'"), "{e}");
    assert!(!e.message().contains('\n'));
}

#[test]
fn field_that_does_not_apply() {
    let tail = "\n[[check]]\nname = \"x\"\ntype = \"first\"\nline = \"start\"\nper = \"P\"\n";
    let (_, line, msg) = error(tail);
    assert!(
        msg.contains("field `per` does not apply to a `first` check"),
        "{msg}"
    );
    assert_eq!(line, line_of(tail, "per = "));
}

#[test]
fn missing_field_points_at_the_check() {
    let tail = "\n[[check]]\nname = \"x\"\ntype = \"count\"\nline = \"start\"\n";
    let (_, line, msg) = error(tail);
    assert!(msg.contains("needs `exactly`, `min` or `max`"), "{msg}");
    let at = line_of(tail, "name = \"x\"");
    assert!(
        line >= at - 1 && line <= at + 3,
        "line {line}, check at {at}"
    );
}

#[test]
fn bad_likely_threshold_and_duplicate_names() {
    let tail = "\n[[check]]\nname = \"x\"\ntype = \"first\"\nline = \"start\"\nlikely = 1.5\n";
    let (_, line, msg) = error(tail);
    assert!(msg.contains("`likely`"), "{msg}");
    assert_eq!(line, line_of(tail, "likely"));
    let tail = "\n[[check]]\nname = \"x\"\ntype = \"first\"\nline = \"start\"\n\n[[check]]\nname = \"x\"\ntype = \"last\"\nline = \"job\"\n";
    let (_, line, msg) = error(tail);
    assert!(msg.contains("two checks are named 'x'"), "{msg}");
    assert_eq!(line, HEAD.lines().count() + 8);
}

#[test]
fn values_need_per_and_a_valid_range() {
    let tail = "\n[[check]]\nname = \"x\"\ntype = \"count\"\nline = \"job\"\nvalues = \"0..5\"\nexactly = 1\n";
    let (_, line, msg) = error(tail);
    assert!(msg.contains("`values` needs `per`"), "{msg}");
    assert_eq!(line, line_of(tail, "values"));
    let tail = "\n[[check]]\nname = \"x\"\ntype = \"count\"\nline = \"job\"\nper = \"i\"\nvalues = \"0-5\"\nexactly = 1\n";
    let (_, _, msg) = error(tail);
    assert!(msg.contains("a list or a range"), "{msg}");
    let tail = "\n[[check]]\nname = \"x\"\ntype = \"count\"\nline = \"job\"\nper = \"i\"\nvalues = \"0..tasks\"\nexactly = 1\n";
    let (_, _, msg) = error(tail);
    assert!(msg.contains("unknown parameter 'tasks'"), "{msg}");
}

/// A `range` bound may name a parameter, as every numeric field may; an unknown one is an error.
#[test]
fn range_bounds_take_parameters() {
    let tail = "\n[[check]]\nname = \"x\"\ntype = \"range\"\nline = \"job\"\ncapture = \"W\"\nmin = 0\nmax = \"workers\"\n";
    Spec::parse(&format!("{HEAD}{tail}"), "demo.toml").expect("a parameter as a range bound");
    let tail = "\n[[check]]\nname = \"x\"\ntype = \"range\"\nline = \"job\"\ncapture = \"W\"\nmin = \"cores\"\nmax = 3\n";
    let (_, line, msg) = error(tail);
    assert!(msg.contains("unknown parameter 'cores'"), "{msg}");
    assert_eq!(line, line_of(tail, "min = "));
    let tail = "\n[[check]]\nname = \"x\"\ntype = \"range\"\nline = \"job\"\ncapture = \"W\"\nmin = 4\nmax = 3\n";
    let (_, _, msg) = error(tail);
    assert!(msg.contains("`min` 4 is above `max` 3"), "{msg}");
}

#[test]
fn grade_reports_a_bad_spec_file_with_exit_2() {
    let dir = std::env::temp_dir().join(format!("grade-spec-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("bad.toml");
    let tail = "\n[[check]]\nname = \"x\"\ntype = \"last\"\nline = \"nothing\"\n";
    std::fs::write(&file, format!("{HEAD}{tail}")).expect("write spec");
    let path = file.to_str().expect("utf-8");
    let out = common::grade(
        &["--spec", path, "--", "/bin/true"],
        Duration::from_secs(30),
    );
    assert_eq!(out.code, Some(2), "{out:?}");
    assert_eq!(out.stdout, "");
    let want = format!("grade: {path}:{}: ", line_of(tail, "nothing"));
    assert!(out.stderr.starts_with(&want), "{:?}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "{:?}", out.stderr);
    let missing = dir.join("missing.toml");
    let out = common::grade(
        &[
            "--spec",
            missing.to_str().expect("utf-8"),
            "--",
            "/bin/true",
        ],
        Duration::from_secs(30),
    );
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("cannot read the spec"),
        "{:?}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}
