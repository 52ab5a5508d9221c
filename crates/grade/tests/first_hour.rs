//! The command line as a newcomer meets it: `grade help COMMAND`, did-you-mean, a hint for a
//! missing `--`, `--runs -1`, plurals, the fence said once in the report and short on stderr,
//! `--reference` quoted as a shell would.

mod common;

use std::time::Duration;

use common::grade;

const LIMIT: Duration = Duration::from_secs(60);

/// One line on stderr, status 2, containing every one of `says`.
fn refused(args: &[&str], says: &[&str]) {
    let out = grade(args, LIMIT);
    assert_eq!(out.code, Some(2), "{args:?}: {out:?}");
    assert_eq!(out.stderr.lines().count(), 1, "{args:?}: {:?}", out.stderr);
    for s in says {
        assert!(
            out.stderr.contains(s),
            "{args:?}: {:?} lacks {s:?}",
            out.stderr
        );
    }
}

#[test]
fn help_names_a_subcommand_and_shows_its_options() {
    for (command, option) in [
        ("class", "--build-timeout"),
        ("gradescope", "--toolchain"),
        ("trace", "--shake"),
    ] {
        let out = grade(&["help", command], LIMIT);
        assert_eq!(out.code, Some(0), "{out:?}");
        assert!(out.stdout.contains(option), "{command}: {}", out.stdout);
    }
    let out = grade(&["--help"], LIMIT);
    for command in ["trace", "class", "gradescope", "--all-runs", "--lang"] {
        assert!(out.stdout.contains(command), "{}", out.stdout);
    }
}

#[test]
fn mistyped_names_get_a_did_you_mean() {
    refused(&["forkk", "--", "true"], &["did you mean 'fork'"]);
    refused(
        &["threadlocl", "--", "true"],
        &["did you mean 'threadlocal'"],
    );
    refused(&["clas", "x"], &["grade class"]);
    // Nothing near: the list, no guess.
    let out = grade(&["zzzzzz", "--", "true"], LIMIT);
    assert!(!out.stderr.contains("did you mean"), "{}", out.stderr);
    let known = out.stderr.split("known: ").nth(1).unwrap_or_default();
    assert!(known.contains("fork"), "{}", out.stderr);
}

#[test]
fn a_command_without_its_dashes_gets_a_hint() {
    refused(
        &["fork", "python3", "fork.py"],
        &["after `--`", "-- python3"],
    );
    refused(
        &["fork", "--runs", "2", "./port"],
        &["after `--`", "-- ./port"],
    );
    // A mistyped option is not a command.
    let out = grade(&["fork", "--bogus", "--", "true"], LIMIT);
    assert!(!out.stderr.contains("after `--`"), "{}", out.stderr);
}

#[test]
fn negative_runs_say_what_is_wrong() {
    refused(
        &["fork", "--runs", "-1", "--", "true"],
        &["--runs", "at least 1"],
    );
    refused(
        &["fork", "--runs", "many", "--", "true"],
        &["not a whole number"],
    );
}

#[test]
fn sizes_and_references_are_parsed_by_their_libraries() {
    refused(
        &["fork", "--max-memory", "lots", "--", "true"],
        &["not a size"],
    );
    refused(
        &["fork", "--reference", "'unclosed", "--", "true"],
        &["not a command line"],
    );
    // A quoted path with spaces is one word: it is looked for whole.
    let out = grade(
        &[
            "fork",
            "--runs",
            "1",
            "--reference",
            "'/no such/port' arg",
            "--",
            "true",
        ],
        LIMIT,
    );
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(out.stderr.contains("/no such/port"), "{}", out.stderr);
}

#[test]
fn one_run_is_singular_and_the_fence_line_is_said_once() {
    let out = grade(
        &[
            "fork",
            "--runs",
            "1",
            "--timeout",
            "5",
            "--lang",
            "en",
            "--",
            "true",
        ],
        LIMIT,
    );
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(
        out.stdout.starts_with("grade fork: 1 run,"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains(" over 1 run\n"), "{}", out.stdout);
    assert!(!out.stdout.contains("1 runs"), "{}", out.stdout);
    // The whole fence line in the report, once; stderr a short form of it.
    assert_eq!(out.stdout.matches("fence: ").count(), 1, "{}", out.stdout);
    let fence = out
        .stdout
        .lines()
        .find(|l| l.starts_with("fence: "))
        .unwrap_or("");
    let whole = fence.trim_start_matches("fence: ");
    assert!(!out.stderr.contains(whole), "{}", out.stderr);
    assert!(out.stderr.lines().all(|l| l.len() < 120), "{}", out.stderr);
}

#[test]
fn trace_runs_the_interpreter_graded_runs_run() {
    let dir = std::env::temp_dir().join(format!("grade-shim-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let shim = dir.join("python3");
    std::fs::write(&shim, "#!/bin/sh\necho shim python\n").expect("write");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&shim, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let path = format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let svg = dir.join("t.svg");
    let out = common::grade_env(
        &[
            "trace",
            "-o",
            svg.to_str().expect("utf-8"),
            "--",
            "python3",
            "-c",
            "print('real python')",
        ],
        &[("PATH", path.as_ref())],
        LIMIT,
    );
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(out.stdout.contains("real python"), "{out:?}");
    assert!(!out.stdout.contains("shim"), "{out:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
