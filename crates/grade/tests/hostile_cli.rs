//! Hostile programs through the `grade` command itself: each is graded to a clear failure (exit
//! status 1, the check that names what it did) within `--timeout` plus 2 s, the grader's memory
//! stays bounded, and none of their processes is left.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

fn hostile(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/hostile")
        .join(name)
}

/// Pids of processes whose command line contains `needle`.
fn processes_with(needle: &str) -> Vec<i32> {
    let Ok(all) = procfs::process::all_processes() else {
        return Vec::new();
    };
    all.filter_map(|p| p.ok())
        .filter(|p| {
            p.cmdline()
                .is_ok_and(|args| args.join(" ").contains(needle))
        })
        .map(|p| p.pid)
        .collect()
}

/// The largest resident set of any child this test process has reaped, in KiB: `grade` and,
/// through it, the programs it reaped.
fn peak_child_rss_kib() -> i64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given.
    unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init().ru_maxrss
    }
}

#[test]
fn every_hostile_program_fails_clearly_in_time_and_leaves_nothing() {
    const TIMEOUT: u64 = 3;
    let cases: &[(&str, &[&str], &str)] = &[
        ("never_ends.py", &[], "finishes within the timeout"),
        (
            "grandchild_holds_stdout.py",
            &[],
            "leaves no process behind",
        ),
        ("flood.py", &[], "output stays under the limit"),
        ("invalid_utf8.py", &[], "every line matches a pattern"),
        ("fork_children.py", &[], "leaves no process behind"),
    ];
    for (i, (file, args, check)) in cases.iter().enumerate() {
        let tag = format!("hostile-cli-{}-{i}", std::process::id());
        let started = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_grade"))
            .args(["thread", "--runs", "1", "--format", "json"])
            .args(["--timeout", &TIMEOUT.to_string(), "--"])
            .arg(hostile(file))
            .args(*args)
            .arg(&tag)
            .output()
            .expect("grade runs");
        let took = started.elapsed();
        assert_eq!(out.status.code(), Some(1), "{file}: {out:?}");
        assert!(
            took < Duration::from_secs(TIMEOUT + 2),
            "{file}: graded in {took:?}"
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
        let failed: Vec<&str> = report["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .filter(|c| c["passed"] == false)
            .filter_map(|c| c["name"].as_str())
            .collect();
        assert!(failed.contains(check), "{file}: failed {failed:?}");
        assert_eq!(
            processes_with(&tag),
            Vec::<i32>::new(),
            "{file} left processes"
        );
    }
    let peak = peak_child_rss_kib();
    assert!(peak < 100 * 1024, "peak RSS {peak} KiB");
}

/// Untraced, an escapee that left the session and cleared its environment (no marker) is still
/// found, through its adoption by the grader (the child subreaper), and killed: fenced and not.
#[test]
fn an_untraced_escapee_without_marker_is_killed() {
    for (i, fence) in [&[][..], &["--no-fence"][..]].into_iter().enumerate() {
        let tag = format!("hostile-escape-{}-{i}", std::process::id());
        let out = Command::new(env!("CARGO_BIN_EXE_grade"))
            .args(["process", "--runs", "1", "--no-trace", "--format", "json"])
            .args(["--timeout", "5"])
            .args(fence)
            .arg("--")
            .arg(hostile("escape_envclear.py"))
            .arg(&tag)
            .output()
            .expect("grade runs");
        assert_eq!(out.status.code(), Some(1), "{fence:?}: {out:?}");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
        let left = report["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .find(|c| c["name"] == "leaves no process behind")
            .expect("the check");
        assert_eq!(left["passed"], false, "{fence:?}: {left}");
        assert_eq!(
            processes_with(&tag),
            Vec::<i32>::new(),
            "{fence:?}: the escapee was left running"
        );
    }
}

/// A control character a terminal obeys (C0 but line breaks and tabs, DEL, C1) or a
/// bidirectional control.
fn obeyed(c: char) -> bool {
    let n = c as u32;
    (n < 0x20 && !matches!(c, '\n' | '\t' | '\r'))
        || (0x7f..=0x9f).contains(&n)
        || (0x202a..=0x202e).contains(&n)
        || (0x2066..=0x2069).contains(&n)
}

#[test]
fn terminal_escapes_from_the_port_are_shown_in_every_format_never_sent() {
    for format in ["text", "json", "html", "junit", "gradescope"] {
        let out = Command::new(env!("CARGO_BIN_EXE_grade"))
            .args([
                "process",
                "--runs",
                "1",
                "--timeout",
                "5",
                "--format",
                format,
                "--",
            ])
            .arg(hostile("terminal_escapes.py"))
            .output()
            .expect("run grade");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let raw: Vec<String> = stdout
            .chars()
            .filter(|c| obeyed(*c))
            .map(|c| format!("U+{:04X}", c as u32))
            .collect();
        assert!(raw.is_empty(), "{format}: raw {raw:?} in\n{stdout}");
        assert_eq!(out.status.code(), Some(1), "{format}: {stdout}");
        if format == "text" {
            assert!(
                stdout.contains("oops"),
                "the stderr tail is quoted:\n{stdout}"
            );
        }
    }
}
