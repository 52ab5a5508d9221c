//! Issue 10, point 7: with the fence on (the default), every demo, every Python original and
//! every correct fixture still passes when `grade` runs as `nobody` (the root seat is the rest
//! of the test suite); and two gradings of the distributed pair side by side, each with its own
//! port 5000, pass as root and as nobody.

mod common;

use std::io::Read;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use workspace_tests::{bin, repo_path};

const RUNS: &str = "3";
const SCALE: &str = "0.01";
/// The multicore example judges CPU time over the busy loop: 0.05 s of it (time scale 0.01) is
/// starved on a loaded machine, so it gets 0.5 s and 10 runs (its likely check needs 5%).
const MULTICORE: [&str; 6] = ["--param", "cores=1", "--time-scale", "0.1", "--runs", "10"];

/// The gradings of this file run one test at a time: the multicore example measures CPU time,
/// which the other tests' gradings would take from it.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// `grade ARGS` as nobody (or root), started.
fn start(nobody: bool, args: &[String]) -> Child {
    let grade = env!("CARGO_BIN_EXE_grade");
    let mut c = if nobody {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", grade]);
        c
    } else {
        Command::new(grade)
    };
    c.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("grade starts")
}

/// Waits for a started grade (at most 300 s); its exit code, stdout and stderr.
fn finish(mut child: Child) -> (Option<i32>, String, String) {
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let mut stdout = String::new();
    let _ = out.read_to_string(&mut stdout);
    let started = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().expect("wait") {
            break st;
        }
        if started.elapsed() > Duration::from_secs(300) {
            let _ = child.kill();
            panic!("grade did not finish");
        }
        // Polling the exit: std has no wait with a timeout.
        std::thread::sleep(Duration::from_millis(5));
    };
    (status.code(), stdout, t.join().expect("stderr"))
}

/// `EXAMPLE [--runs 3] [--time-scale 0.01] EXTRA -- COMMAND`, the defaults unless `extra`
/// sets them.
fn args(example: &str, extra: &[&str], command: &[String]) -> Vec<String> {
    let mut a = vec![example.to_string()];
    for (option, value) in [("--runs", RUNS), ("--time-scale", SCALE)] {
        if !extra.contains(&option) {
            a.extend([option.to_string(), value.to_string()]);
        }
    }
    a.extend(extra.iter().map(|s| s.to_string()));
    a.push("--".into());
    a.extend_from_slice(command);
    a
}

fn path(p: PathBuf) -> String {
    p.to_str().expect("utf-8").to_string()
}

/// Grades each (example, extra options, command) as nobody and lists every one that failed.
fn all_pass_as_nobody(cases: Vec<(String, Vec<&str>, Vec<String>)>) {
    let mut failed = Vec::new();
    for (example, extra, command) in cases {
        let (code, stdout, stderr) = finish(start(true, &args(&example, &extra, &command)));
        if code != Some(0) || !stderr.starts_with("grade: runs fenced") {
            failed.push(format!(
                "{example} {command:?}: {code:?}\n{stdout}\n{stderr}"
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}

#[test]
fn the_demos_pass_fenced_as_nobody() {
    let _one = one_at_a_time();
    let demo = |name: &str| vec![path(bin(name))];
    all_pass_as_nobody(vec![
        ("fork".into(), vec![], demo("fork-demo")),
        ("process".into(), vec![], demo("process-demo")),
        ("pool".into(), vec![], demo("pool-demo")),
        ("queue".into(), vec![], demo("queue-demo")),
        ("thread".into(), vec![], demo("thread-demo")),
        ("pipe".into(), vec![], demo("pipe-demo")),
        ("lock".into(), vec![], demo("lock-demo")),
        ("threadlocal".into(), vec![], demo("threadlocal-demo")),
        ("subprocess".into(), vec![], demo("subprocess-demo")),
        (
            "multicore".into(),
            MULTICORE.to_vec(),
            demo("multicore-demo"),
        ),
    ]);
}

#[test]
fn the_python_originals_pass_fenced_as_nobody() {
    let _one = one_at_a_time();
    let original = |file: &str| {
        vec![
            "python3".to_string(),
            path(repo_path("tests/reference").join(file)),
        ]
    };
    all_pass_as_nobody(vec![
        ("fork".into(), vec![], original("ref_fork.py")),
        ("process".into(), vec![], original("ref_process.py")),
        ("pool".into(), vec![], original("ref_pool.py")),
        ("queue".into(), vec![], original("ref_queue.py")),
        ("thread".into(), vec![], original("ref_thread.py")),
        ("pipe".into(), vec![], original("ref_pipe.py")),
        ("lock".into(), vec![], original("ref_lock.py")),
        ("threadlocal".into(), vec![], original("ref_threadlocal.py")),
        ("subprocess".into(), vec![], original("ref_subprocess.py")),
        (
            "multicore".into(),
            MULTICORE.to_vec(),
            original("ref_multicore.py"),
        ),
    ]);
}

#[test]
fn the_correct_fixtures_pass_fenced_as_nobody() {
    let _one = one_at_a_time();
    let mut cases = Vec::new();
    for example in [
        "fork",
        "process",
        "pool",
        "queue",
        "thread",
        "pipe",
        "lock",
        "threadlocal",
        "subprocess",
    ] {
        let dir = common::fixtures().join(example);
        let mut scripts: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("fixtures")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "py" || e == "sh"))
            .collect();
        scripts.sort();
        for script in scripts {
            let text = std::fs::read_to_string(&script).expect("read");
            if common::header(&text, "expect").as_deref() != Some("pass") {
                continue;
            }
            let mut command = vec![path(script)];
            command.extend(
                common::header(&text, "args")
                    .unwrap_or_default()
                    .split_whitespace()
                    .map(str::to_string),
            );
            // The fixture's own grade options (a spec parameter, more runs).
            let grade_args: Vec<&'static str> = common::header(&text, "grade-args")
                .unwrap_or_default()
                .split_whitespace()
                .map(|a| &*Box::leak(a.to_string().into_boxed_str()))
                .collect();
            cases.push((example.to_string(), grade_args, command));
        }
    }
    assert!(cases.len() >= 9, "{cases:?}");
    all_pass_as_nobody(cases);
}

/// Two gradings of the pair at once, each run with its own port 5000: the Rust programs and
/// the Python originals, as root and as nobody.
#[test]
fn two_pair_gradings_side_by_side_each_have_port_5000() {
    let _one = one_at_a_time();
    // The worker starts once the master has queued every task ("Try get results..."), as the
    // notes start it: a worker started at the master's listen would give up on a master held
    // at its Put lines by the shaking.
    let rust = (
        vec![path(bin("task-master"))],
        vec![path(bin("task-worker"))],
        "0.1",
    );
    let py = |f: &str| {
        vec![
            "python3".to_string(),
            path(repo_path("tests/reference").join(f)),
        ]
    };
    let python = (py("ref_task_master.py"), py("ref_task_worker.py"), "0.15");
    for nobody in [false, true] {
        for (master, worker, scale) in [&rust, &python] {
            let mut a: Vec<String> = [
                "distributed",
                "--pair",
                "--pair-after",
                "Try get results",
                "--runs",
                "3",
                "--time-scale",
                scale,
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            a.push("--".into());
            a.extend_from_slice(master);
            a.push("--".into());
            a.extend_from_slice(worker);
            let both = [start(nobody, &a), start(nobody, &a)];
            for child in both {
                let (code, stdout, stderr) = finish(child);
                assert_eq!(code, Some(0), "nobody={nobody} {a:?}:\n{stdout}\n{stderr}");
            }
        }
    }
}

/// The tutorial's own task_master.py and task_worker.py, unmodified (fixed port 5000, no
/// arguments, real 1 s sleeps), are gradable as a pair, two gradings side by side, as root and
/// as nobody: both programs run to their end (status 0) in their own run and leave nothing.
/// (tests/tests/unmodified.rs shows their output passes every check of the spec.)
#[test]
fn the_tutorials_unmodified_pair_is_gradable_side_by_side() {
    let _one = one_at_a_time();
    let tutorial = common::fixtures().join("distributed/tutorial");
    let py = |f: &str| vec!["python3".to_string(), path(tutorial.join(f))];
    let mut a: Vec<String> = [
        "distributed",
        "--pair",
        "--pair-after",
        "Try get results",
        "--runs",
        "1",
        "--format",
        "json",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    a.push("--".into());
    a.extend(py("task_master.py"));
    a.push("--".into());
    a.extend(py("task_worker.py"));
    for nobody in [false, true] {
        let both = [start(nobody, &a), start(nobody, &a)];
        for child in both {
            let (code, stdout, stderr) = finish(child);
            assert!(matches!(code, Some(0 | 1)), "{stderr}");
            let report: serde_json::Value = serde_json::from_str(&stdout).expect("a JSON report");
            for name in ["exits with status 0", "leaves no process behind"] {
                let check = report["checks"]
                    .as_array()
                    .expect("checks")
                    .iter()
                    .find(|c| c["name"] == name)
                    .expect("the check");
                assert_eq!(check["status"], "passed", "{name}: {stdout}");
            }
        }
    }
}
