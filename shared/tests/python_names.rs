//! Python's names where multitask could answer differently from CPython: the order of `imap`
//! and `imap_unordered`, the workers of `maxtasksperchild`, default process names, the
//! exitcode with SIGCHLD ignored. Each case is put to CPython (tests/python/names.py) and to
//! multitask, and the answers compared.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{isolated, within};
use multitask::{Pool, Process, Queue};

/// CPython's answer to `case` (the words after it on its line of names.py's output).
fn cpython(case: &str) -> Vec<String> {
    let go = scratch("python-go");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/names.py");
    let out = std::process::Command::new("/usr/bin/python3")
        .arg(&script)
        .arg(&go)
        .output()
        .expect("run /usr/bin/python3 (these tests compare with CPython)");
    let _ = std::fs::remove_file(&go);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{case} ")))
        .unwrap_or_else(|| panic!("no {case:?} line in {text}"));
    line.split_whitespace().map(str::to_string).collect()
}

/// A path of this test run's own, not yet made.
fn scratch(name: &str) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::env::temp_dir().join(format!("multitask-{name}-{}-{n}", std::process::id()))
}

/// Task 0 waits (at most 10 s) for the file `go` to exist; every task returns its number.
fn wait_for_go((x, go): (u32, String)) -> u32 {
    let deadline = Instant::now() + Duration::from_secs(10);
    while x == 0 && !Path::new(&go).exists() && Instant::now() < deadline {
        std::thread::yield_now();
    }
    x
}

fn nap(x: u64) -> u64 {
    std::thread::sleep(Duration::from_millis(x * 10));
    x
}

#[test]
fn imap_unordered_gives_the_first_done_first_and_imap_keeps_the_items_order() {
    let python = cpython("unordered");
    within(Duration::from_secs(30), move || {
        let go = scratch("go");
        let path = go.to_string_lossy().into_owned();
        let pool = Pool::new(Some(2)).unwrap();
        let items = vec![(0, path.clone()), (1, path.clone())];
        let mut it = pool.imap_unordered(wait_for_go, items, 1).unwrap();
        // Task 0 cannot finish before the file exists, which is made only after this.
        let first = it.next().unwrap().unwrap();
        std::fs::write(&go, b"").unwrap();
        let second = it.next().unwrap().unwrap();
        assert!(it.next().is_none());
        let _ = std::fs::remove_file(&go);
        assert_eq!(vec![first.to_string(), second.to_string()], python);
        let ordered: Vec<u64> = pool
            .imap(nap, vec![3, 1, 2], 1)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(ordered, vec![3, 1, 2]);
    });
    assert_eq!(cpython("ordered"), ["3", "1", "2"]);
}

fn my_pid(_: u32) -> i32 {
    multitask::current_pid()
}

/// How many equal values follow each other, run by run.
fn runs(values: &[i32]) -> Vec<String> {
    let mut out: Vec<(i32, usize)> = Vec::new();
    for &v in values {
        match out.last_mut() {
            Some((last, n)) if *last == v => *n += 1,
            _ => out.push((v, 1)),
        }
    }
    out.into_iter().map(|(_, n)| n.to_string()).collect()
}

#[test]
fn maxtasksperchild_gives_each_worker_that_many_tasks_then_a_fresh_one() {
    let python = cpython("maxtasks");
    within(Duration::from_secs(30), move || {
        let pool = Pool::builder()
            .processes(Some(1))
            .maxtasksperchild(2)
            .build()
            .unwrap();
        let pids = pool.map(my_pid, (0..6).collect(), 1).unwrap();
        assert_eq!(runs(&pids), python, "worker pids {pids:?}");
        let mut distinct = pids.clone();
        distinct.dedup();
        assert_eq!(distinct.len(), 3, "{pids:?}");
    });
}

#[test]
fn processes_made_in_a_child_are_named_like_pythons() {
    let python = cpython("names");
    isolated(Duration::from_secs(30), || {
        let names: Queue<String> = Queue::new().unwrap();
        let mut child = Process::new(|| {
            let (a, b) = (Process::new(|| ()), Process::new(|| ()));
            names.put(format!("{} {}", a.name(), b.name()))
        });
        child.start().unwrap();
        let got = names.get().unwrap();
        child.join().unwrap();
        let prefix = format!("{}:", child.name());
        assert_eq!(got, format!("{prefix}1 {prefix}2"));
    });
    // CPython: "Process-K:1 Process-K:2", K being the child's own number.
    let k = python[0].strip_suffix(":1").unwrap_or("?");
    assert_eq!(python, [format!("{k}:1"), format!("{k}:2")]);
}

#[test]
fn with_sigchld_ignored_the_exitcode_is_none_as_in_cpython() {
    assert_eq!(cpython("sigchld"), ["None"]);
    isolated(Duration::from_secs(30), || {
        // SAFETY: SIG_IGN installs no handler code; this isolated test process is our own.
        unsafe { libc::signal(libc::SIGCHLD, libc::SIG_IGN) };
        let mut p = Process::new(|| ());
        p.start().unwrap();
        p.join().unwrap();
        assert_eq!(p.exitcode(), None);
    });
}
