//! `grade class`: the fixture class (`tests/fixtures/class/`, eight submissions of the `fork`
//! example in every form) graded to its expected table, read back from `results.csv` and
//! `results.json`, its hostile build script contained by the build fence; a class graded as
//! `nobody`; a hung build stopped at its timeout; a class that cannot be graded.

use crate::common;
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::ErrorKind;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{fixtures, grade, grade_bin, grade_env};
use grade_class::{BuildStatus, CSV_HEADER, ClassResults, Verdict};

/// Few runs, fast: the fixture class grades in seconds but for the port that never ends
/// (killed at the timeout in each of its runs).
const GRADING: [&str; 8] = [
    "--example",
    "fork",
    "--runs",
    "3",
    "--time-scale",
    "0.01",
    "--timeout",
    "5",
];

/// Each submission: build, verdict, first failed check.
const EXPECTED: [(&str, &str, &str, &str); 8] = [
    ("cargo-correct", "ok", "pass", ""),
    ("cargo-hostile-build", "ok", "pass", ""),
    ("py-correct", "ok", "pass", ""),
    ("py-never-ends", "ok", "fail", "exits with status 0"),
    (
        "py-wrong-parent",
        "ok",
        "fail",
        "the child's parent is P or its adopter",
    ),
    ("rs-correct", "ok", "pass", ""),
    ("rs-does-not-compile", "failed", "not-graded", ""),
    (
        "rs-never-forks",
        "ok",
        "fail",
        "child pid differs from parent pid",
    ),
];

/// A fresh folder of this test's own.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("grade-class-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("make a temp folder");
    dir
}

/// RFC 4180 records: fields split at commas, quotes undone.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let (mut record, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => record.push(std::mem::take(&mut field)),
            ('\n', false) => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (c, _) => field.push(c),
        }
    }
    records
}

/// What the build script of `cargo-hostile-build` is pointed at: a file outside its target
/// directory and a listener of ours.
struct Canary {
    escape: PathBuf,
    listener: TcpListener,
}

impl Canary {
    fn new(dir: &Path) -> Canary {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a listener");
        listener.set_nonblocking(true).expect("nonblocking");
        Canary {
            escape: dir.join("escaped-by-build-rs.txt"),
            listener,
        }
    }

    fn env(&self) -> Vec<(&'static str, std::ffi::OsString)> {
        let addr = self.listener.local_addr().expect("address").to_string();
        vec![
            ("CLASS_FIXTURE_ESCAPE", self.escape.clone().into()),
            ("CLASS_FIXTURE_CONNECT", addr.into()),
        ]
    }

    /// Whether the build script wrote its file, and whether it connected.
    fn escaped(&self) -> (bool, bool) {
        let connected = match self.listener.accept() {
            Ok(_) => true,
            Err(e) if e.kind() == ErrorKind::WouldBlock => false,
            Err(e) => panic!("accept: {e}"),
        };
        (self.escape.exists(), connected)
    }
}

/// Grades `class` with `args` added to the fixture options, the canary's environment set.
fn grade_class(class: &Path, out: &Path, canary: &Canary, args: &[&str]) -> common::Graded {
    let mut all = vec!["class", class.to_str().expect("utf-8 path")];
    all.extend(GRADING);
    all.extend(["--out", out.to_str().expect("utf-8 path")]);
    // Builds get none of grade's environment but what is named.
    all.extend([
        "--build-env",
        "CLASS_FIXTURE_ESCAPE",
        "--build-env",
        "CLASS_FIXTURE_CONNECT",
    ]);
    all.extend(args);
    let env = canary.env();
    let env: Vec<(&str, &OsStr)> = env.iter().map(|(k, v)| (*k, v.as_os_str())).collect();
    grade_env(&all, &env, Duration::from_secs(300))
}

/// The rows of `results.csv` under its header, checked against `results.json`.
fn read_results(out: &Path) -> (Vec<Vec<String>>, ClassResults) {
    let csv = std::fs::read_to_string(out.join("results.csv")).expect("results.csv");
    assert_eq!(csv.lines().next(), Some(CSV_HEADER), "{csv}");
    let rows: Vec<Vec<String>> = parse_csv(&csv).into_iter().skip(1).collect();
    let json = std::fs::read_to_string(out.join("results.json")).expect("results.json");
    let results: ClassResults = serde_json::from_str(&json).expect("results.json parses");
    assert_eq!(rows.len(), results.submissions.len(), "{csv}\n{json}");
    for (row, s) in rows.iter().zip(&results.submissions) {
        let count = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
        let json_row = [
            s.submission.clone(),
            serde_json::to_value(s.build)
                .expect("build")
                .as_str()
                .unwrap_or("")
                .into(),
            serde_json::to_value(s.verdict)
                .expect("verdict")
                .as_str()
                .unwrap_or("")
                .into(),
            count(s.checks_passed),
            count(s.checks_total),
            s.first_failed_check.clone().unwrap_or_default(),
        ];
        assert_eq!(row, &json_row, "CSV and JSON disagree");
    }
    (rows, results)
}

#[test]
fn the_fixture_class_is_graded_to_its_expected_table() {
    let tmp = temp_dir("table");
    let out = tmp.join("out");
    let canary = Canary::new(&tmp);
    let started = Instant::now();
    let graded = grade_class(&fixtures().join("class"), &out, &canary, &["--jobs", "2"]);
    let took = started.elapsed();
    assert_eq!(graded.code, Some(0), "stderr: {}", graded.stderr);
    assert!(
        graded.stderr.contains("README.md: skipped"),
        "{}",
        graded.stderr
    );
    let (rows, results) = read_results(&out);
    let got: Vec<[&str; 4]> = rows
        .iter()
        .map(|r| [r[0].as_str(), r[1].as_str(), r[2].as_str(), r[5].as_str()])
        .collect();
    let want: Vec<[&str; 4]> = EXPECTED.iter().map(|e| [e.0, e.1, e.2, e.3]).collect();
    assert_eq!(
        got, want,
        "table:\n{}\nstderr:\n{}",
        graded.stdout, graded.stderr
    );

    let by_name: BTreeMap<&str, _> = results
        .submissions
        .iter()
        .map(|s| (s.submission.as_str(), s))
        .collect();
    for s in &results.submissions {
        assert!(
            out.join(&s.files.build_log).is_file(),
            "{}: no build log",
            s.submission
        );
        assert!(out.join(&s.files.gradescope).is_file(), "{}", s.submission);
        assert!(!s.grader_error, "{s:?}");
        // The table on stdout has the row too.
        assert!(
            graded.stdout.lines().any(|l| l.starts_with(&s.submission)),
            "{}",
            graded.stdout
        );
        match s.verdict {
            Verdict::Pass => assert_eq!(s.checks_passed, s.checks_total, "{s:?}"),
            Verdict::Fail => {
                assert!(s.checks_passed < s.checks_total, "{s:?}");
                // The HTML report draws the failing run's timeline.
                let html = out.join(s.files.html.as_ref().expect("an HTML report"));
                let html = std::fs::read_to_string(html).expect("report.html");
                assert!(html.contains("<svg"), "{}: no timeline", s.submission);
                let report = out.join(s.files.text.as_ref().expect("a text report"));
                let text = std::fs::read_to_string(report).expect("report.txt");
                let first = s.first_failed_check.as_deref().expect("a failed check");
                assert!(text.contains(&format!("FAIL  {first}")), "{text}");
            }
            Verdict::NotGraded => {
                assert_eq!(s.build, BuildStatus::Failed, "{s:?}");
                assert!(s.files.text.is_none(), "{s:?}");
            }
        }
    }
    // The build failure says why, whole, with the log kept.
    let broken = by_name["rs-does-not-compile"];
    assert_eq!(
        broken.note.as_deref(),
        Some("error[E0308]: mismatched types")
    );
    let log = std::fs::read_to_string(out.join(&broken.files.build_log)).expect("log");
    assert!(log.contains("expected `String`, found `u32`"), "{log}");
    // The sortable page links every submission's report or log.
    let html = std::fs::read_to_string(out.join("index.html")).expect("index.html");
    for s in &results.submissions {
        let link = s.files.text.as_ref().unwrap_or(&s.files.build_log);
        assert!(
            html.contains(&format!("href=\"{link}\"")),
            "{link} not linked"
        );
    }

    // The hostile build script ran with our canary, and the build fence held it: it could
    // neither write outside its target directory nor connect.
    let log = std::fs::read_to_string(out.join(&by_name["cargo-hostile-build"].files.build_log))
        .expect("log");
    let escape = canary.escape.display();
    assert!(
        log.contains(&format!("escape attempt: could not write {escape}")),
        "{log}"
    );
    assert!(log.contains("connect attempt: could not connect"), "{log}");
    assert_eq!(
        canary.escaped(),
        (false, false),
        "the build script escaped: {log}"
    );
    eprintln!(
        "fixture class graded in {:.1} s (jobs 2)",
        took.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn a_hung_build_is_killed_at_the_build_timeout_and_the_class_goes_on() {
    let tmp = temp_dir("hung");
    let class = tmp.join("class");
    let project = class.join("hangs");
    std::fs::create_dir_all(project.join("src")).expect("mkdir");
    std::fs::write(
        project.join("Cargo.toml"),
        "[package]\nname = \"hangs\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
    )
    .expect("write");
    std::fs::write(project.join("src/main.rs"), "fn main() {}\n").expect("write");
    // A build script that starts a sleeper of its own, then never ends.
    std::fs::write(
        project.join("build.rs"),
        "fn main() {\n    let _child = std::process::Command::new(\"sleep\").arg(\"4242\").spawn();\n    \
         loop {\n        std::thread::sleep(std::time::Duration::from_secs(1));\n    }\n}\n",
    )
    .expect("write");
    std::fs::copy(
        fixtures().join("class/py-correct.py"),
        class.join("py-correct.py"),
    )
    .expect("copy");
    let canary = Canary::new(&tmp);
    let out = tmp.join("out");
    let graded = grade_class(&class, &out, &canary, &["--build-timeout", "8"]);
    assert_eq!(graded.code, Some(0), "stderr: {}", graded.stderr);
    let (rows, results) = read_results(&out);
    assert_eq!(rows[0][..3], ["hangs", "failed", "not-graded"]);
    assert_eq!(rows[1][..3], ["py-correct", "ok", "pass"]);
    let note = results.submissions[0].note.as_deref().unwrap_or("");
    assert!(
        note.contains("did not finish within the build timeout"),
        "{note}"
    );
    // Nothing of the build is left: its sleeper was killed with it.
    let sleepers: Vec<i32> = procfs_sleepers();
    assert!(
        sleepers.is_empty(),
        "the build's sleeper survived: {sleepers:?}"
    );
    let _ = std::fs::remove_dir_all(&tmp);
}

/// Processes running `sleep 4242`.
fn procfs_sleepers() -> Vec<i32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        if cmdline == b"sleep\x004242\x00" {
            found.push(pid);
        }
    }
    found
}

#[test]
fn a_class_that_cannot_be_graded_is_one_line_and_status_2() {
    let tmp = temp_dir("bad");
    let empty = tmp.join("empty");
    std::fs::create_dir_all(&empty).expect("mkdir");
    let class = fixtures().join("class");
    let class = class.to_str().expect("utf-8");
    let out = tmp.join("out");
    let out = out.to_str().expect("utf-8");
    for (args, says) in [
        (
            vec!["class", "/no/such/class", "--example", "fork"],
            "/no/such/class",
        ),
        (
            vec!["class", class, "--example", "no-such-example"],
            "no-such-example",
        ),
        (vec!["class", class], "no example given"),
        (
            vec!["class", empty.to_str().expect("utf-8"), "--example", "fork"],
            "no submissions",
        ),
        (
            vec!["class", class, "--example", "fork", "--jobs", "0"],
            "--jobs",
        ),
        (
            vec!["class", class, "--example", "fork", "--param", "nope=3"],
            "nope",
        ),
    ] {
        let mut args = args;
        args.extend(["--out", out]);
        let graded = grade(&args, Duration::from_secs(60));
        assert_eq!(graded.code, Some(2), "{args:?}: {graded:?}");
        assert_eq!(
            graded.stderr.lines().count(),
            1,
            "{args:?}: {}",
            graded.stderr
        );
        assert!(graded.stderr.contains(says), "{args:?}: {}", graded.stderr);
        assert!(graded.stdout.is_empty(), "{args:?}: {}", graded.stdout);
    }
    let _ = std::fs::remove_dir_all(&tmp);
}

/// As `nobody` (the fence's other seat): a class of Python ports (as `nobody` the toolchain
/// under /root is out of reach, so no Rust submission) graded in parallel.
#[test]
fn a_class_is_graded_as_nobody() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = temp_dir("nobody");
    let class = tmp.join("class");
    std::fs::create_dir_all(&class).expect("mkdir");
    for name in ["py-correct.py", "py-wrong-parent.py"] {
        std::fs::copy(fixtures().join("class").join(name), class.join(name)).expect("copy");
    }
    let out = tmp.join("out");
    std::fs::create_dir_all(&out).expect("mkdir");
    for dir in [&tmp, &class, &out] {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    }
    let grade = grade_bin();
    let mut args = vec![
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        grade.to_str().expect("utf-8"),
        "class",
        class.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
        "--jobs",
        "2",
    ];
    args.extend(GRADING);
    let run = std::process::Command::new("setpriv")
        .args(&args)
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .output()
        .expect("setpriv grade class");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    let (rows, _) = read_results(&out);
    let got: Vec<[&str; 3]> = rows
        .iter()
        .map(|r| [r[0].as_str(), r[2].as_str(), r[5].as_str()])
        .collect();
    assert_eq!(
        got,
        [
            ["py-correct", "pass", ""],
            [
                "py-wrong-parent",
                "fail",
                "the child's parent is P or its adopter"
            ]
        ],
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&tmp);
}
