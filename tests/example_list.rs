//! The examples every test and script goes over: the grader's built-in specs (`grade --list`,
//! one per file `crates/grader/specs/NAME.toml`), each with its parts found by convention:
//!
//! - its demo crate `crates/NAME-demo` (binary `NAME-demo`),
//! - its Python original `tests/reference/ref_NAME.py`,
//! - its fixtures `tests/fixtures/NAME/`,
//!
//! and, only where the convention does not fit, `tests/fixtures/NAME/example.toml` saying how
//! (see [`Example`]'s fields). A test ([`missing_parts`]) fails when a part is missing, so a new
//! example is a spec, a demo crate, a Python original and fixtures, and nothing else to edit.

use std::ffi::OsString;
use std::path::PathBuf;

use serde::Deserialize;

use crate::{bin, repo_path};

/// One example and how the tests run its programs.
#[derive(Debug, Clone)]
pub struct Example {
    /// The built-in spec's name.
    pub name: &'static str,
    /// The demo's binaries: `NAME-demo`, or a pair (a master, then a worker) run together.
    pub demos: Vec<String>,
    /// The Python originals under `tests/reference/`: `ref_NAME.py`, or a pair.
    pub originals: Vec<String>,
    /// Spec parameters the tests grade it with (`K=V`).
    pub params: Vec<(String, String)>,
    /// The time scale its demo is graded at (0.01 unless it needs longer runs).
    pub time_scale: f64,
    /// Its `example.toml` sets the time scale: its runs need a scale of their own (a CPU-bound
    /// loop, a pair's waits), so gradings at full scale leave it out.
    pub own_time_scale: bool,
    /// The time scale its Python original is graded at (its demo's unless given).
    pub original_time_scale: f64,
    /// The runs its demo is graded over, when not the test's own count.
    pub runs: Option<usize>,
    /// For a pair: the master's line after which its worker starts.
    pub pair_after: Option<String>,
}

/// `tests/fixtures/NAME/example.toml`: every field optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    demos: Option<Vec<String>>,
    originals: Option<Vec<String>>,
    #[serde(default)]
    params: Vec<String>,
    time_scale: Option<f64>,
    original_time_scale: Option<f64>,
    runs: Option<usize>,
    pair_after: Option<String>,
    /// Read by `scripts/timelines.sh` only: the picture's time scale and the demo's arguments.
    #[allow(dead_code)]
    picture_time_scale: Option<f64>,
    #[allow(dead_code)]
    picture_args: Option<String>,
    /// Read by `scripts/trace-overhead.sh` only: left out of the overhead table.
    #[allow(dead_code)]
    no_overhead: Option<bool>,
}

/// The tests' time scale: sleeps a hundredth of the notes'.
const SCALE: f64 = 0.01;

/// Every built-in example, in the grader's order.
pub fn examples() -> Vec<Example> {
    grader::Spec::builtin_names()
        .into_iter()
        .map(|(name, _)| example(name))
        .collect()
}

fn example(name: &'static str) -> Example {
    let file = fixtures(name).join("example.toml");
    let settings: Settings = match std::fs::read_to_string(&file) {
        Ok(text) => toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display())),
        Err(_) => Settings::default(),
    };
    let params = settings
        .params
        .iter()
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => panic!("{}: a param is K=V, not {p:?}", file.display()),
        })
        .collect();
    let time_scale = settings.time_scale.unwrap_or(SCALE);
    Example {
        name,
        demos: settings
            .demos
            .unwrap_or_else(|| vec![format!("{name}-demo")]),
        originals: settings
            .originals
            .unwrap_or_else(|| vec![format!("ref_{name}.py")]),
        params,
        time_scale,
        own_time_scale: settings.time_scale.is_some(),
        original_time_scale: settings.original_time_scale.unwrap_or(time_scale),
        runs: settings.runs,
        pair_after: settings.pair_after,
    }
}

/// An example's fixtures folder.
pub fn fixtures(name: &str) -> PathBuf {
    repo_path("tests/fixtures").join(name)
}

impl Example {
    /// Its programs are a master and a worker, graded together.
    pub fn is_pair(&self) -> bool {
        self.demos.len() == 2
    }

    /// Its parameters as `grade_options` take them.
    pub fn param_pairs(&self) -> Vec<(&str, &str)> {
        self.params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    /// `--param K=V` for each parameter, for the `grade` command line.
    pub fn param_args(&self) -> Vec<String> {
        self.params
            .iter()
            .flat_map(|(k, v)| ["--param".to_string(), format!("{k}={v}")])
            .collect()
    }

    /// Each demo binary's command line (built first by [`bin`]).
    pub fn demo_commands(&self) -> Vec<Vec<OsString>> {
        self.demos
            .iter()
            .map(|d| vec![bin(d).into_os_string()])
            .collect()
    }

    /// Each Python original's command line (`python3 tests/reference/FILE`).
    pub fn original_commands(&self) -> Vec<Vec<OsString>> {
        self.originals
            .iter()
            .map(|f| {
                let file = repo_path("tests/reference").join(f);
                vec![OsString::from("python3"), file.into_os_string()]
            })
            .collect()
    }
}

/// What a new or changed example lacks: each missing demo crate, Python original, fixtures
/// folder (with at least one script), one line each.
pub fn missing_parts() -> Vec<String> {
    let mut missing = Vec::new();
    for ex in examples() {
        for demo in &ex.demos {
            if !repo_path("crates").join(demo).join("Cargo.toml").is_file() {
                missing.push(format!("{}: no demo crate crates/{demo}", ex.name));
            }
        }
        for original in &ex.originals {
            if !repo_path("tests/reference").join(original).is_file() {
                missing.push(format!(
                    "{}: no Python original tests/reference/{original}",
                    ex.name
                ));
            }
        }
        let scripts = std::fs::read_dir(fixtures(ex.name))
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter(|e| e.path().extension().is_some_and(|x| x == "py" || x == "sh"))
                    .count()
            })
            .unwrap_or(0);
        if scripts == 0 {
            missing.push(format!(
                "{}: no fixtures in tests/fixtures/{}/",
                ex.name, ex.name
            ));
        }
        if ex.demos.len() != ex.originals.len() || !(1..=2).contains(&ex.demos.len()) {
            missing.push(format!(
                "{}: one program or a pair, demos and originals alike",
                ex.name
            ));
        }
    }
    missing
}

/// Runs `f` on every example, a few at once (as many as the machine has cores), then those
/// with a time scale of their own one at a time (multicore measures the CPU time it gets, which
/// a grading beside it would take); fails with the name and message of each example whose `f`
/// panicked.
pub fn for_each_example(f: impl Fn(&Example) + Sync) {
    let (alone, together): (Vec<Example>, Vec<Example>) =
        examples().into_iter().partition(|ex| ex.own_time_scale);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut failed = on_threads(&together, workers, &f);
    failed.extend(on_threads(&alone, 1, &f));
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}

/// `f` on each of `all` over `workers` threads; the name and panic message of each that failed.
fn on_threads(all: &[Example], workers: usize, f: &(impl Fn(&Example) + Sync)) -> Vec<String> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failed = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..workers.min(all.len()) {
            s.spawn(|| {
                while let Some(ex) = all.get(next.fetch_add(1, std::sync::atomic::Ordering::SeqCst))
                {
                    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(ex)));
                    if let Err(payload) = run {
                        let message = payload
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                            .unwrap_or_default();
                        let mut failed = failed.lock().unwrap_or_else(|p| p.into_inner());
                        failed.push(format!("{}: {message}", ex.name));
                    }
                }
            });
        }
    });
    failed.into_inner().unwrap_or_else(|p| p.into_inner())
}
