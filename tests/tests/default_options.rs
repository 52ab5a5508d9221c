//! Every demo, Python original (the tidy ones and the notes' unmodified ones), correct fixture
//! (`tests/fixtures/*/` with `# expect: pass`) and C port (`tests/c-ports/`) graded as a student
//! grades it: default options, no `--time-scale` (sleeps at full length, holds of up to
//! 1 s), default shaking. The default run affords 2 runs each (one unshaken, one shaken; its
//! guaranteed checks must hold, a likely one judged on one run is left to the slow test) for the
//! demos and originals, all at once; `--ignored` grades every port 10 times in a row at the
//! default 10 runs, a dozen at a time (about 21 minutes).
//!
//! Every example (`workspace_tests::examples`) but those whose `example.toml` sets a time scale:
//! multicore (it keeps every core busy for seconds: its own timing test judges it) and the
//! distributed pair (its master waits seconds per result; `demos.rs` grades it scaled).

use std::ffi::OsString;

use std::sync::atomic::{AtomicUsize, Ordering};

use grader::{CheckKind, CheckStatus, GradeOptions, Spec};
use workspace_tests::{C_PORTS, Example, bin, c_port, fixtures, repo_path};

/// A port to grade: the example, its spec parameters, its command line.
struct Port {
    example: String,
    params: Vec<(String, String)>,
    command: Vec<OsString>,
}

fn demo(example: &str, name: &str) -> Port {
    Port {
        example: example.to_string(),
        params: Vec::new(),
        command: vec![bin(name).into_os_string()],
    }
}

fn original(example: &str, file: &str) -> Port {
    Port {
        example: example.to_string(),
        params: Vec::new(),
        command: vec![
            OsString::from("python3"),
            repo_path("tests/reference").join(file).into_os_string(),
        ],
    }
}

/// The example's correct fixtures, with the spec parameters (`--param` of `# grade-args:`) and
/// the arguments (`# args:`) their headers give; their other grading options are the fixture
/// test's, not a student's, and are left out.
fn correct_fixtures(ex: &Example) -> Vec<Port> {
    let mut files: Vec<_> = std::fs::read_dir(fixtures(ex.name))
        .expect("the example's fixture folder")
        .map(|e| e.expect("a fixture").path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    let header = |text: &str, key: &str| -> Vec<String> {
        let tag = format!("# {key}:");
        text.lines()
            .find_map(|l| l.strip_prefix(tag.as_str()))
            .map(|v| v.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default()
    };
    files
        .into_iter()
        .filter_map(|file| {
            let text = std::fs::read_to_string(&file).expect("a readable fixture");
            if header(&text, "expect") != ["pass"] {
                return None;
            }
            let grade_args = header(&text, "grade-args");
            let params = grade_args
                .windows(2)
                .filter(|w| w[0] == "--param")
                .filter_map(|w| w[1].split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            let mut command = vec![OsString::from("python3"), file.into_os_string()];
            command.extend(header(&text, "args").into_iter().map(OsString::from));
            Some(Port {
                example: ex.name.to_string(),
                params,
                command,
            })
        })
        .collect()
}

/// Grades `port` `gradings` times in a row with `runs` runs each, default options otherwise:
/// the first failing report, if any. With `likely` false, a failed likely check is no failure
/// (two runs leave it one unshaken run to judge: a tendency, not a guarantee).
fn failure(port: &Port, runs: usize, gradings: usize, likely: bool) -> Option<String> {
    let spec = Spec::builtin(&port.example).expect("a built-in spec");
    let opts = GradeOptions {
        runs,
        params: port.params.clone(),
        ..GradeOptions::default()
    };
    assert_eq!(opts.time_scale, None, "default options: no time scale");
    for k in 1..=gradings {
        let report = grader::grade(&spec, &opts, &port.command).expect("grading could be done");
        let failed = report.checks.iter().any(|c| {
            c.status == CheckStatus::Failed && (likely || c.kind == CheckKind::Guaranteed)
        });
        if failed {
            return Some(format!(
                "{} {:?} failed grading {k} of {gradings} with default options:\n{}",
                port.example,
                port.command,
                report.text(false)
            ));
        }
    }
    None
}

/// Every demo and original, and with `all` every correct fixture and C port too.
fn ports(all: bool) -> Vec<Port> {
    let examples: Vec<_> = workspace_tests::examples()
        .into_iter()
        .filter(|ex| !ex.own_time_scale)
        .collect();
    assert!(examples.len() >= 9, "{examples:?}");
    let mut ports: Vec<Port> = examples
        .iter()
        .map(|ex| demo(ex.name, &ex.demos[0]))
        .collect();
    ports.extend(
        examples
            .iter()
            .map(|ex| original(ex.name, &ex.originals[0])),
    );
    ports.extend([
        original("fork", "unmodified/orig_fork.py"),
        original("process", "unmodified/orig_process.py"),
        Port {
            params: vec![("processes".to_string(), "4".to_string())],
            ..original("pool", "unmodified/orig_pool.py")
        },
        original("queue", "unmodified/orig_queue.py"),
        original("thread", "unmodified/orig_thread.py"),
    ]);
    if !all {
        return ports;
    }
    ports.extend(examples.iter().flat_map(correct_fixtures));
    ports.extend(C_PORTS.iter().map(|name| Port {
        example: name.to_string(),
        params: Vec::new(),
        command: vec![c_port(name).into_os_string()],
    }));
    ports
}

/// How many ports the slow test grades at once: at full time scale they sleep most of the time,
/// so a dozen together keep the machine busy without starving the tracer.
const AT_ONCE: usize = 12;

/// With `every`: every port, a dozen at a time; else the demos and originals, all at once.
fn all_pass(runs: usize, gradings: usize, likely: bool, every: bool) {
    let ports = ports(every);
    let at_once = if every { AT_ONCE } else { ports.len() };
    let next = AtomicUsize::new(0);
    let failures: Vec<String> = std::thread::scope(|s| {
        let graders: Vec<_> = (0..at_once.min(ports.len()))
            .map(|_| {
                s.spawn(|| {
                    let mut found = Vec::new();
                    while let Some(p) = ports.get(next.fetch_add(1, Ordering::Relaxed)) {
                        found.extend(failure(p, runs, gradings, likely));
                    }
                    found
                })
            })
            .collect();
        graders
            .into_iter()
            .flat_map(|g| g.join().expect("a grading thread"))
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The default run: 2 runs each, the second shaken, the demos and originals at once (two runs
/// are short; the correct fixtures and C ports are left to the slow test and to their own tests
/// at time scale 0.01, for CI's time); every guaranteed check holds.
#[test]
fn every_port_passes_with_default_options() {
    all_pass(2, 1, false, false);
}

#[test]
#[ignore = "slow (about 25 minutes): 10 gradings of 10 runs each at full time scale"]
fn every_port_passes_10_gradings_in_a_row_with_default_options() {
    all_pass(10, 10, true, true);
}
