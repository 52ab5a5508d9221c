//! Python's names where multitask could answer differently from CPython: the order of `imap`
//! and `imap_unordered`, the workers of `maxtasksperchild`, default process names, the
//! exitcode with SIGCHLD ignored. Each case is put to CPython (tests/python/names.py) and to
//! multitask, and the answers compared.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{isolated, within};
use multitask::{Pool, Process, Queue};

/// CPython's answer to `case` (the words after it on its line of names.py's output). The
/// script runs once for all the cases of this test binary.
fn cpython(case: &str) -> Vec<String> {
    static OUTPUT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let text = OUTPUT.get_or_init(|| {
        let go = scratch("python-go");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/names.py");
        let out = std::process::Command::new("/usr/bin/python3")
            .arg(&script)
            .arg(&go)
            .output()
            .expect("run /usr/bin/python3 (these tests compare with CPython)");
        let _ = std::fs::remove_file(&go);
        let _ = std::fs::remove_file(go.with_extension("chunked"));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    });
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

#[test]
fn imap_unordered_gives_each_chunk_whole_as_soon_as_it_is_done() {
    let python = cpython("chunked");
    within(Duration::from_secs(30), move || {
        let go = scratch("go-chunked");
        let path = go.to_string_lossy().into_owned();
        let pool = Pool::new(Some(2)).unwrap();
        let items = (0..4).map(|i| (i, path.clone())).collect();
        let mut it = pool.imap_unordered(wait_for_go, items, 2).unwrap();
        // Chunk [0, 1] cannot finish before the file exists: chunk [2, 3] comes first.
        let mut got: Vec<String> = (0..2)
            .map(|_| it.next().unwrap().unwrap().to_string())
            .collect();
        std::fs::write(&go, b"").unwrap();
        got.extend(it.map(|r| r.unwrap().to_string()));
        let _ = std::fs::remove_file(&go);
        assert_eq!(got, python);
    });
}

fn inv(x: u32) -> u32 {
    100 / x
}

#[test]
fn a_failed_imap_item_raises_in_its_place_and_the_rest_still_come() {
    let python = cpython("imaperr");
    within(Duration::from_secs(30), move || {
        let pool = Pool::new(Some(2)).unwrap();
        let got: Vec<String> = pool
            .imap(inv, vec![50, 0, 25], 1)
            .unwrap()
            .map(|r| r.map_or_else(|_| "error".to_string(), |v| v.to_string()))
            .collect();
        assert_eq!(got, python);
    });
}

fn square(x: u32) -> u32 {
    x * x
}

fn fail_on_two(x: u32) -> u32 {
    assert_ne!(x, 2, "two");
    x
}

#[test]
fn map_async_calls_its_callback_or_its_error_callback_once() {
    let python = cpython("mapasync");
    within(Duration::from_secs(30), move || {
        let (tx, rx) = std::sync::mpsc::channel::<(u8, char, String)>();
        let pool = Pool::new(Some(2)).unwrap();
        for (run, func) in [(0u8, square as fn(u32) -> u32), (1, fail_on_two)] {
            let (on_value, on_error) = (tx.clone(), tx.clone());
            pool.map_async(func, vec![1, 2, 3], 1)
                .unwrap()
                .callback(move |v| {
                    let digits = v.iter().map(u32::to_string).collect();
                    on_value.send((run, 'v', digits)).unwrap()
                })
                .error_callback(move |e| on_error.send((run, 'e', e.to_string())).unwrap());
        }
        // Callbacks run at the latest in join, as Python's have all run once join returns.
        pool.close().unwrap();
        pool.join().unwrap();
        drop(tx);
        let calls: Vec<(u8, char, String)> = rx.iter().collect();
        let count = |run, kind| {
            calls
                .iter()
                .filter(|(r, k, _)| *r == run && *k == kind)
                .count()
                .to_string()
        };
        let list = calls
            .iter()
            .find(|(r, k, _)| *r == 0 && *k == 'v')
            .map(|(_, _, digits)| digits.clone())
            .unwrap_or_default();
        let got = [
            count(0, 'v'),
            count(0, 'e'),
            list,
            count(1, 'v'),
            count(1, 'e'),
        ];
        assert_eq!(got.to_vec(), python);
    });
}

#[test]
fn task_done_counts_the_tasks_put_and_refuses_one_more() {
    // CPython: three task_done calls after three puts, then ValueError.
    assert_eq!(cpython("taskdone"), ["3", "ValueError"]);
    isolated(Duration::from_secs(30), || {
        let q = multitask::JoinableQueue::new().unwrap();
        for i in 0..3u32 {
            q.put(i).unwrap();
        }
        let mut consumer = Process::new(|| -> multitask::Result<()> {
            for _ in 0..3 {
                q.get()?;
                q.task_done()?;
            }
            Ok(())
        });
        consumer.start().unwrap();
        consumer.join().unwrap();
        q.join().unwrap();
        let err = q.task_done().unwrap_err();
        assert_eq!(err.kind(), multitask::ErrorKind::State, "{err}");
    });
}

/// The barrier action's runs, counted in shared memory made before the parties are forked.
static ACTIONS: std::sync::OnceLock<multitask::Value<u32>> = std::sync::OnceLock::new();

fn count_action() {
    if let Some(actions) = ACTIONS.get() {
        let _held = actions.get_lock().acquire();
        actions.set(actions.get() + 1);
    }
}

#[test]
fn a_barrier_across_processes_numbers_each_round_and_breaks_for_all_on_a_timeout() {
    // CPython: each round's indices are 0, 1 and 2, the action runs once a round, and both
    // waiters of a round that times out get BrokenBarrierError.
    assert_eq!(
        cpython("barrier"),
        ["0", "1", "2", "2", "BrokenBarrierError"]
    );
    isolated(Duration::from_secs(30), || {
        let _ = ACTIONS.set(multitask::Value::new(0).unwrap());
        let barrier = multitask::Barrier::with_action(3, count_action).unwrap();
        let indices: Queue<u32> = Queue::new().unwrap();
        let mut parties: Vec<Process> = (0..3)
            .map(|_| {
                Process::new(|| -> multitask::Result<()> {
                    for _ in 0..2 {
                        indices.put(barrier.wait(None)?)?;
                    }
                    Ok(())
                })
            })
            .collect();
        parties.iter_mut().for_each(|p| p.start().unwrap());
        let mut got: Vec<u32> = (0..6).map(|_| indices.get().unwrap()).collect();
        parties.iter().for_each(|p| p.join().unwrap());
        got.sort();
        assert_eq!(got, [0, 0, 1, 1, 2, 2]);
        assert_eq!(ACTIONS.get().map(|a| a.get()), Some(2));
        // Two of three parties: the first to time out breaks the barrier for both.
        let broken = multitask::Barrier::new(3).unwrap();
        let kinds: Queue<String> = Queue::new().unwrap();
        let mut waiters: Vec<Process> = (0..2)
            .map(|_| {
                Process::new(|| {
                    let kind = match broken.wait(Some(Duration::from_millis(200))) {
                        Err(e) if e.kind() == multitask::ErrorKind::BrokenBarrier => {
                            "BrokenBarrierError".to_string()
                        }
                        other => format!("{other:?}"),
                    };
                    kinds.put(kind)
                })
            })
            .collect();
        waiters.iter_mut().for_each(|p| p.start().unwrap());
        for _ in 0..2 {
            assert_eq!(kinds.get().unwrap(), "BrokenBarrierError");
        }
        waiters.iter().for_each(|p| p.join().unwrap());
    });
}

fn nap_a_minute() {
    std::thread::sleep(Duration::from_secs(60));
}

#[test]
fn a_killed_process_has_exitcode_minus_nine() {
    let python = cpython("kill");
    within(Duration::from_secs(30), move || {
        let mut p = Process::new(nap_a_minute);
        p.start().unwrap();
        p.kill().unwrap();
        p.join().unwrap();
        assert_eq!(vec![format!("{}", p.exitcode().unwrap_or(0))], python);
    });
}

#[test]
fn a_bounded_queue_is_full_and_empty_as_pythons() {
    // CPython: full() after one put into Queue(1), queue.Full from put_nowait, the item, then
    // queue.Empty, and queue.Full from a put with a timeout.
    assert_eq!(cpython("queue"), ["True", "Full", "1", "Empty", "Full"]);
    isolated(Duration::from_secs(30), || {
        let name = |e: multitask::Error| match e.kind() {
            multitask::ErrorKind::Timeout if e.message().contains("full") => "Full".to_string(),
            multitask::ErrorKind::Timeout => "Empty".to_string(),
            _ => e.to_string(),
        };
        let q: Queue<u32> = Queue::with_maxsize(1).unwrap();
        let go: Queue<u8> = Queue::new().unwrap();
        // Holds `q` and takes nothing: a put that finds no room waits for it (with nobody
        // left, it would answer Disconnected at once, where Python's waits).
        let mut idle = Process::new(|| go.get().map(|_| ()));
        idle.start().unwrap();
        q.put(1).unwrap();
        assert!(q.full());
        assert_eq!(name(q.put_nowait(2).unwrap_err()), "Full");
        assert_eq!(q.get_nowait().unwrap(), 1);
        assert_eq!(name(q.get_nowait().unwrap_err()), "Empty");
        q.put(3).unwrap();
        let timed = q.put_timeout(4, Duration::from_millis(50)).unwrap_err();
        assert_eq!(name(timed), "Full");
        go.put(0).unwrap();
        idle.join().unwrap();
    });
}
