//! Pictures of runs: the SVG of a traced run has one lane per task and one mark per line the
//! trace holds, `grade trace` writes one (and refuses bad input with one line and status 2),
//! `--timeline DIR` writes one per run, and `--format html` is one well-formed page holding the
//! first failing run's timeline.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use grader::{Spec, StdoutKind, Timeline, TraceRunOptions, trace_command, writer_lines};
use quick_xml::events::Event;
use tracer::TaskKind;
use workspace_tests::bin;

const LIMIT: Duration = Duration::from_secs(120);

/// An element of a parsed document: its name and its attributes.
#[derive(Debug)]
struct Element {
    name: String,
    attrs: BTreeMap<String, String>,
}

impl Element {
    fn class(&self) -> &str {
        self.attrs.get("class").map(String::as_str).unwrap_or("")
    }
}

/// Every element of `xml`, in document order, after checking the document is well-formed:
/// tags closed in order, attributes well-formed and not repeated, only known entities.
fn parse(xml: &str) -> Vec<Element> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut open: Vec<String> = Vec::new();
    let mut all = Vec::new();
    let mut roots = 0;
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed at {}: {e}", reader.error_position()));
        let (e, empty) = match &event {
            Event::Eof => break,
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                open.pop().expect("an end tag closes an element");
                continue;
            }
            Event::GeneralRef(r) => {
                let known = r
                    .resolve_char_ref()
                    .expect("a valid character reference")
                    .is_some()
                    || quick_xml::escape::resolve_predefined_entity(r).is_some();
                assert!(known, "unknown entity {r:?}");
                continue;
            }
            _ => continue,
        };
        let name = e.name().as_ref().to_string();
        let attrs = e
            .attributes()
            .map(|a| {
                let a = a.expect("a well-formed attribute, not repeated");
                (a.key.as_ref().to_string(), a.value.to_string())
            })
            .collect();
        if open.is_empty() {
            roots += 1;
        }
        if !empty {
            open.push(name.clone());
        }
        all.push(Element { name, attrs });
    }
    assert!(open.is_empty(), "elements left open: {open:?}");
    assert_eq!(roots, 1, "one root element");
    all
}

fn count(elements: &[Element], name: &str, class: &str) -> usize {
    elements
        .iter()
        .filter(|e| e.name == name && e.class() == class)
        .count()
}

/// A fresh folder for one test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("grader-timeline-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scaled() -> TraceRunOptions {
    TraceRunOptions {
        env: vec![("MULTITASK_TIME_SCALE".into(), "0.05".into())],
        timeout: LIMIT,
        time_scale: 0.05,
        ..TraceRunOptions::default()
    }
}

#[test]
fn a_pool_runs_svg_has_a_lane_per_task_and_a_mark_per_line() {
    let traced =
        trace_command(bin("pool-demo").as_os_str(), &["3".into()], &scaled()).expect("traced");
    let trace = &traced.trace;
    // Pool(3): the parent and its three workers, and the program's 13 lines.
    assert_eq!(trace.tasks.len(), 4, "{:?}", trace.tasks);
    assert!(trace.tasks.iter().all(|t| t.kind == TaskKind::Process));
    let lines = writer_lines(trace);
    assert_eq!(lines.len(), 13, "{lines:?}");
    let spec = Spec::builtin("pool").expect("spec");
    let t = Timeline::of_trace(trace, "pool-demo 3").with_spec(&spec);
    // Each task's Run line opens a span its Task line closes.
    assert_eq!(t.spans.len(), 5, "{:?}", t.spans);
    assert!(t.spans.iter().all(|s| s.to.is_some()));
    let svg = t.svg();
    let doc = parse(&svg);
    assert_eq!(doc[0].name, "svg");
    assert_eq!(count(&doc, "g", "lane"), trace.tasks.len());
    assert_eq!(count(&doc, "g", "mark"), lines.len());
    assert_eq!(count(&doc, "rect", "span"), 5);
    // One arrow from the parent's lane to each worker's.
    assert_eq!(count(&doc, "line", "create"), 3);
    let lanes: Vec<i32> = doc
        .iter()
        .filter(|e| e.class() == "lane")
        .map(|e| e.attrs["data-tid"].parse().expect("tid"))
        .collect();
    assert_eq!(lanes[0], trace.main_pid, "the main process's lane first");
    // No more than 3 tasks were ever open at once, and the strip says so.
    assert!(
        ["at most 1<", "at most 2<", "at most 3<"]
            .iter()
            .any(|s| svg.contains(s)),
        "{svg}"
    );
}

#[test]
fn a_threads_lane_is_a_thread_of_its_process() {
    let traced = trace_command(bin("thread-demo").as_os_str(), &[], &scaled()).expect("traced");
    let trace = &traced.trace;
    let threads = trace
        .tasks
        .iter()
        .filter(|t| t.kind == TaskKind::Thread)
        .count();
    assert!(threads >= 1, "{:?}", trace.tasks);
    let lines = writer_lines(trace);
    let doc = parse(&Timeline::of_trace(trace, "thread-demo").svg());
    let thread_lanes = doc
        .iter()
        .filter(|e| {
            e.class() == "lane" && e.attrs.get("data-kind").map(String::as_str) == Some("thread")
        })
        .count();
    assert_eq!(thread_lanes, threads);
    assert_eq!(count(&doc, "g", "lane"), trace.tasks.len());
    assert_eq!(count(&doc, "g", "mark"), lines.len());
}

#[test]
fn a_shaken_runs_holds_are_drawn() {
    let opts = TraceRunOptions {
        shake: Some(11),
        ..scaled()
    };
    let traced = trace_command(bin("pool-demo").as_os_str(), &["2".into()], &opts).expect("traced");
    let trace = &traced.trace;
    // Half the hold points hold, and a Pool(2) run has some twenty: some holds.
    assert!(!trace.holds.is_empty(), "{trace:?}");
    let doc = parse(&Timeline::of_trace(trace, "pool-demo 2, shaken").svg());
    assert_eq!(count(&doc, "rect", "hold"), trace.holds.len());
    assert_eq!(count(&doc, "g", "lane"), trace.tasks.len());
}

#[test]
fn stdout_is_a_terminal_so_python_writes_each_line_as_it_prints_it() {
    let script = "import time\nprint('first')\ntime.sleep(0.01)\nprint('second')\n";
    let python = |stdout| {
        // Python's own buffering, whatever the shell running the tests says (empty is unset).
        let opts = TraceRunOptions {
            stdout,
            env: vec![("PYTHONUNBUFFERED".into(), "".into())],
            ..TraceRunOptions::default()
        };
        let traced = trace_command("python3".as_ref(), &["-c".into(), script.into()], &opts)
            .expect("traced");
        let writes: Vec<String> = traced
            .trace
            .writes
            .iter()
            .map(|w| String::from_utf8_lossy(&w.bytes).into_owned())
            .collect();
        writes
    };
    // At a terminal, print flushes each line; into a pipe, both wait in the buffer to the exit.
    assert_eq!(python(StdoutKind::Pty), vec!["first\n", "second\n"]);
    assert_eq!(python(StdoutKind::Pipe), vec!["first\nsecond\n"]);
}

#[test]
fn grade_trace_writes_the_picture_and_passes_the_output_on() {
    let dir = Scratch::new("cli");
    let out = dir.0.join("pool.svg");
    let pool = bin("pool-demo");
    let graded = common::grade(
        &[
            "trace",
            "-o",
            out.to_str().expect("utf-8"),
            "--example",
            "pool",
            "--time-scale",
            "0.05",
            "--",
            pool.to_str().expect("utf-8"),
            "2",
        ],
        LIMIT,
    );
    assert_eq!(graded.code, Some(0), "{graded:?}");
    assert!(
        graded.stdout.ends_with("All subprocesses done.\n"),
        "{graded:?}"
    );
    assert_eq!(graded.stderr.lines().count(), 1, "{graded:?}");
    assert!(
        graded.stderr.starts_with("grade trace: wrote "),
        "{graded:?}"
    );
    let svg = std::fs::read_to_string(&out).expect("the picture");
    let doc = parse(&svg);
    // Pool(2): the parent and two workers; 13 lines, each a mark.
    assert_eq!(count(&doc, "g", "lane"), 3);
    assert_eq!(count(&doc, "g", "mark"), 13);
    assert_eq!(count(&doc, "rect", "span"), 5);
}

#[test]
fn grade_trace_works_as_nobody() {
    use std::os::unix::fs::PermissionsExt;
    let dir = Scratch::new("nobody");
    std::fs::set_permissions(&dir.0, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let out = dir.0.join("pool.svg");
    let pool = bin("pool-demo");
    let run = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_grade"))
        .args(["trace", "-o"])
        .arg(&out)
        .args(["--time-scale", "0.05", "--"])
        .arg(&pool)
        .arg("2")
        .output()
        .expect("setpriv grade trace");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let doc = parse(&std::fs::read_to_string(&out).expect("the picture"));
    assert_eq!(count(&doc, "g", "lane"), 3);
    assert_eq!(count(&doc, "g", "mark"), 13);
}

/// `grade trace` could not draw: status 2, one line on stderr, nothing on stdout.
fn assert_cannot_trace(args: &[&str], says: &str) {
    let out = common::grade(args, LIMIT);
    assert_eq!(out.code, Some(2), "{args:?}: {out:?}");
    assert_eq!(out.stdout, "", "{args:?}");
    assert_eq!(out.stderr.lines().count(), 1, "{args:?}: {:?}", out.stderr);
    assert!(out.stderr.starts_with("grade: "), "{:?}", out.stderr);
    assert!(out.stderr.contains(says), "{args:?}: {:?}", out.stderr);
}

#[test]
fn bad_input_to_grade_trace_is_one_line_and_status_2() {
    let dir = Scratch::new("bad");
    let out = dir.0.join("x.svg");
    let out = out.to_str().expect("utf-8");
    assert_cannot_trace(&["trace"], "no command given");
    assert_cannot_trace(&["trace", "-o", out], "no command given");
    assert_cannot_trace(&["trace", "--bogus", "--", "true"], "--bogus");
    assert_cannot_trace(&["trace", "-o"], "-o");
    assert_cannot_trace(&["trace", "--timeout", "0", "--", "true"], "positive");
    assert_cannot_trace(&["trace", "--timeout", "1e19", "--", "true"], "at most");
    assert_cannot_trace(&["trace", "--time-scale", "-1", "--", "true"], "positive");
    assert_cannot_trace(&["trace", "--time-scale", "5000", "--", "true"], "up to");
    assert_cannot_trace(
        &["trace", "--example", "nope", "--", "true"],
        "unknown example",
    );
    assert_cannot_trace(
        &["trace", "--", "/no/such/program"],
        "cannot start /no/such/program",
    );
    assert_cannot_trace(
        &["trace", "-o", "/no/such/folder/x.svg", "--", "true"],
        "cannot write",
    );
    assert!(!std::path::Path::new(out).exists());
}

#[test]
fn a_grading_draws_each_run_and_its_html_page_holds_the_failing_run() {
    let dir = Scratch::new("html");
    let script = common::fixtures().join("process/no_join.py");
    let out = common::grade(
        &[
            "process",
            "--runs",
            "2",
            "--format",
            "html",
            "--timeline",
            dir.0.to_str().expect("utf-8"),
            "--",
            script.to_str().expect("utf-8"),
        ],
        LIMIT,
    );
    assert_eq!(out.code, Some(1), "{out:?}");
    let page = parse(&out.stdout);
    assert_eq!(page[0].name, "html");
    assert_eq!(count(&page, "svg", ""), 1, "one run's timeline inline");
    // The check that fails quotes a line of the run: that mark is highlighted.
    assert!(count(&page, "g", "mark hl") >= 1, "{}", out.stdout);
    assert!(out.stdout.contains("FAIL"));
    for k in 1..=2 {
        let svg = std::fs::read_to_string(dir.0.join(format!("run-{k}.svg"))).expect("run-K.svg");
        let doc = parse(&svg);
        // Traced: the main process's lane and its child's (a pyenv shim's helpers may add
        // more), each of the port's four lines a mark.
        assert!(count(&doc, "g", "lane") >= 2, "{svg}");
        assert_eq!(
            count(&doc, "g", "mark") + count(&doc, "g", "mark hl"),
            4,
            "{svg}"
        );
    }
}
