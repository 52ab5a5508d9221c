//! `grade gradescope`: the bundle holds what Gradescope needs, and its `run_autograder`, run
//! with `AUTOGRADER_ROOT` in a temporary folder and this build's `grade` placed there, grades a
//! submission of each kind into `results/results.json`.

use std::fs;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{fixtures, grade, grade_bin};
use serde_json::Value;

/// A fresh folder of this test's own.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("grade-gs-test-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("make a temp folder");
    dir
}

/// Writes the bundle for the fixture class's example into `dir`, and returns its path.
fn bundle(dir: &Path) -> PathBuf {
    let zip = dir.join("autograder.zip");
    let graded = grade(
        &[
            "gradescope",
            "fork",
            "--runs",
            "3",
            "--time-scale",
            "0.01",
            "--timeout",
            "5",
            "-o",
            zip.to_str().expect("utf-8"),
        ],
        Duration::from_secs(60),
    );
    assert_eq!(graded.code, Some(0), "{graded:?}");
    zip
}

/// Extracts the bundle as Gradescope does: into `root/source`, `run_autograder` copied to
/// `root`; and places this build's `grade` where `setup.sh` would have built it.
fn install(zip: &Path, root: &Path) {
    let mut archive = zip::ZipArchive::new(fs::File::open(zip).expect("open zip")).expect("zip");
    archive.extract(root.join("source")).expect("extract");
    fs::copy(
        root.join("source/run_autograder"),
        root.join("run_autograder"),
    )
    .expect("copy");
    fs::copy(grade_bin(), root.join("source/grade")).expect("copy grade");
}

/// Runs `run_autograder` on `submission` (copied into `root/submission`), returns results.json.
fn run_autograder(root: &Path, submission: &Path) -> Value {
    let sub = root.join("submission");
    let _ = fs::remove_dir_all(&sub);
    let _ = fs::remove_dir_all(root.join("results"));
    fs::create_dir_all(&sub).expect("mkdir");
    let status = Command::new("cp")
        .arg("-r")
        .arg(submission)
        .arg(&sub)
        .status()
        .expect("cp");
    assert!(status.success());
    let mut child = Command::new("bash")
        .arg(root.join("run_autograder"))
        .env("AUTOGRADER_ROOT", root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run_autograder");
    let mut out = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("run_autograder still running after 180 s");
        }
        // Polling the exit: std has no wait with a timeout.
        std::thread::sleep(Duration::from_millis(20));
    }
    let shown = reader.join().expect("join");
    let text = fs::read_to_string(root.join("results/results.json"))
        .unwrap_or_else(|e| panic!("no results.json ({e}); run_autograder printed:\n{shown}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("results.json: {e}\n{text}"))
}

fn tests_of(results: &Value) -> Vec<(String, f64, f64, String)> {
    results["tests"]
        .as_array()
        .expect("tests")
        .iter()
        .map(|t| {
            (
                t["name"].as_str().expect("name").to_string(),
                t["score"].as_f64().expect("score"),
                t["max_score"].as_f64().expect("max_score"),
                t["output"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_bundle_grades_each_kind_of_submission() {
    let tmp = temp_dir("bundle");
    let zip = bundle(&tmp);
    let mut archive = zip::ZipArchive::new(fs::File::open(&zip).expect("open")).expect("zip");
    for (name, executable) in [
        ("setup.sh", true),
        ("run_autograder", true),
        ("grader-src/Cargo.toml", false),
        ("grader-src/Cargo.lock", false),
        ("grader-src/crates/grade/src/main.rs", false),
    ] {
        let entry = archive
            .by_name(name)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let mode = entry.unix_mode().unwrap_or(0);
        assert_eq!(mode & 0o100 != 0, executable, "{name}: mode {mode:o}");
    }
    drop(archive);
    let root = tmp.join("autograder");
    install(&zip, &root);

    // The bundled sources are a whole workspace: cargo loads every member's manifest.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let meta = Command::new(cargo)
        .args([
            "metadata",
            "--offline",
            "--no-deps",
            "--format-version",
            "1",
        ])
        .arg("--manifest-path")
        .arg(root.join("source/grader-src/Cargo.toml"))
        .output()
        .expect("cargo metadata");
    assert!(
        meta.status.success(),
        "{}",
        String::from_utf8_lossy(&meta.stderr)
    );

    let class = fixtures().join("class");
    // A correct Python file: every check scores.
    let results = run_autograder(&root, &class.join("py-correct.py"));
    let tests = tests_of(&results);
    assert!(tests.len() > 6, "{results}");
    for (name, score, max, _) in &tests {
        assert_eq!(score, max, "{name}: {results}");
    }
    // A correct Cargo project, built inside the container's flow.
    let results = run_autograder(&root, &class.join("cargo-correct"));
    assert!(tests_of(&results).iter().all(|t| t.1 == t.2), "{results}");
    // A wrong port: the failing check scores 0 and quotes the failing run's output.
    let results = run_autograder(&root, &class.join("py-wrong-parent.py"));
    let tests = tests_of(&results);
    let failed: Vec<&(String, f64, f64, String)> = tests.iter().filter(|t| t.1 < t.2).collect();
    // Its printed parent is wrong: the check on the printed pids fails, and (since the
    // parent_pid check type) the one comparing it with the trace too.
    let names: Vec<&str> = failed.iter().map(|t| t.0.as_str()).collect();
    assert!(
        !names.is_empty() && names.len() <= 2,
        "{names:?}: {results}"
    );
    assert_eq!(failed[0].0, "the child's parent is P or its adopter");
    assert!(
        failed[0].3.contains("the first failing run"),
        "{}",
        failed[0].3
    );
    assert!(failed[0].3.contains("start..."), "{}", failed[0].3);
    // A port that does not compile: no score, and the compiler's error for the student.
    let results = run_autograder(&root, &class.join("rs-does-not-compile.rs"));
    assert_eq!(results["score"].as_f64(), Some(0.0), "{results}");
    let tests = tests_of(&results);
    assert_eq!(tests[0].0, "build");
    assert!(tests[0].3.contains("error[E0308]"), "{results}");
    assert!(
        tests[1..].iter().all(|t| t.1 == 0.0 && t.2 == 1.0),
        "{results}"
    );

    // Issue 16's attacks, through Gradescope's flow: a toolchain file with a script of its own
    // (not run: the teacher's toolchain builds it, full score) and a git dependency on the
    // teacher's repository (refused, no score, the secret nowhere).
    let teacher = tmp.join("teacher");
    fs::create_dir_all(&teacher).expect("mkdir");
    fs::write(teacher.join("secret.txt"), "TEACHER-SECRET-789").expect("write");
    let marker = tmp.join("the-toolchain-script-ran.txt");
    let attacks = tmp.join("attacks");
    for name in ["toolchain-file", "git-dependency"] {
        fill_in(
            &fixtures().join("class-attacks").join(name),
            &attacks.join(name),
            &[
                ("@MARKER@", marker.to_str().expect("utf-8")),
                ("@PORT@", "9"),
                ("@TEACHER@", teacher.to_str().expect("utf-8")),
            ],
        );
    }
    let results = run_autograder(&root, &attacks.join("toolchain-file"));
    assert!(tests_of(&results).iter().all(|t| t.1 == t.2), "{results}");
    assert!(!marker.exists(), "the submission's toolchain ran");
    let results = run_autograder(&root, &attacks.join("git-dependency"));
    assert_eq!(results["score"].as_f64(), Some(0.0), "{results}");
    let text = results.to_string();
    assert!(
        text.contains("refused: Cargo.toml [dependencies] secret"),
        "{text}"
    );
    assert!(!text.contains("TEACHER-SECRET"), "{text}");
    let _ = fs::remove_dir_all(&tmp);
}

/// Copies the fixture `from` to `to` with each placeholder replaced, modes kept.
fn fill_in(from: &Path, to: &Path, values: &[(&str, &str)]) {
    if from.is_dir() {
        fs::create_dir_all(to).expect("mkdir");
        for e in fs::read_dir(from).expect("read").flatten() {
            fill_in(&e.path(), &to.join(e.file_name()), values);
        }
        return;
    }
    let mut text = fs::read_to_string(from).expect("read");
    for (key, value) in values {
        text = text.replace(key, value);
    }
    fs::write(to, text).expect("write");
    let mode = fs::metadata(from).expect("mode").permissions().mode();
    fs::set_permissions(to, fs::Permissions::from_mode(mode)).expect("chmod");
}

#[test]
fn a_bundle_that_would_grade_nothing_is_refused() {
    let tmp = temp_dir("refused");
    let zip = tmp.join("a.zip");
    let zip = zip.to_str().expect("utf-8");
    for (args, says) in [
        (
            vec!["gradescope", "no-such-example", "-o", zip],
            "no-such-example",
        ),
        (
            vec!["gradescope", "fork", "--param", "nope=1", "-o", zip],
            "nope",
        ),
        (vec!["gradescope", "fork"], "--output"),
        (
            vec!["gradescope", "fork", "--source", "/no/such/repo", "-o", zip],
            "/no/such/repo",
        ),
    ] {
        let graded = grade(&args, Duration::from_secs(60));
        assert_eq!(graded.code, Some(2), "{args:?}: {graded:?}");
        assert_eq!(
            graded.stderr.lines().count(),
            1,
            "{args:?}: {}",
            graded.stderr
        );
        assert!(graded.stderr.contains(says), "{args:?}: {}", graded.stderr);
    }
    assert!(!Path::new(zip).exists());
    let _ = fs::remove_dir_all(&tmp);
}

/// Slow (a release build of the grader): the bundle's setup.sh builds the grader from the
/// bundled sources into source/grade. Needs cargo and python3 already installed (setup.sh
/// then installs nothing) and crates.io or a filled cargo cache.
#[test]
#[ignore = "slow: a release build of the grader from the bundle (about 2 minutes on 2 cores)"]
fn the_bundle_setup_builds_the_grader() {
    let tmp = temp_dir("setup");
    let zip = bundle(&tmp);
    let root = tmp.join("autograder");
    let mut archive = zip::ZipArchive::new(fs::File::open(&zip).expect("open")).expect("zip");
    archive.extract(root.join("source")).expect("extract");
    let status = Command::new("bash")
        .arg(root.join("source/setup.sh"))
        .env("AUTOGRADER_ROOT", &root)
        .status()
        .expect("setup.sh");
    assert!(status.success());
    let grade = root.join("source/grade");
    let mode = fs::metadata(&grade)
        .expect("grade built")
        .permissions()
        .mode();
    assert!(mode & 0o111 != 0);
    let list = Command::new(&grade)
        .arg("--list")
        .output()
        .expect("grade --list");
    assert!(String::from_utf8_lossy(&list.stdout).contains("fork"));
    let _ = fs::remove_dir_all(&tmp);
}
