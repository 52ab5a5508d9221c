//! `Value`, `Array`, `JoinableQueue`, `SimpleQueue`, `current_process` and `parent_process`
//! between real forked processes, and against what Python's own answer is.

mod common;

use std::process::Command;
use std::time::Duration;

use common::{isolated, within};
use multitask::{
    Array, ErrorKind, JoinableQueue, Process, Queue, SimpleQueue, Value, current_pid,
    current_process, parent_process,
};

const LIMIT: Duration = Duration::from_secs(60);

#[test]
fn value_increments_under_its_lock_lose_nothing() {
    within(LIMIT, || {
        let counter = Value::new(0u64).unwrap();
        let mut children: Vec<Process> = (0..4)
            .map(|_| {
                Process::new(|| {
                    for _ in 0..5_000 {
                        let _held = counter.get_lock().acquire();
                        counter.set(counter.get() + 1);
                    }
                })
            })
            .collect();
        for p in &mut children {
            p.start().unwrap();
        }
        for p in &children {
            p.join().unwrap();
        }
        assert_eq!(counter.get(), 20_000);
    });
}

#[test]
fn an_array_written_by_children_is_seen_whole_by_the_parent() {
    within(LIMIT, || {
        let squares = Array::<i64>::from_slice(&[-1; 8]).unwrap();
        let mut children: Vec<Process> = (0..8)
            .map(|i| {
                let squares = &squares;
                Process::new(move || squares.set(i, (i * i) as i64))
            })
            .collect();
        for p in &mut children {
            p.start().unwrap();
        }
        for p in &children {
            p.join().unwrap();
        }
        assert_eq!(squares.to_vec(), vec![0, 1, 4, 9, 16, 25, 36, 49]);
        assert!(squares.get(8).is_none());
        assert_eq!(squares.set(8, 0).unwrap_err().kind(), ErrorKind::State);
        assert!(squares.copy_from_slice(&[1, 2]).is_err());
    });
}

#[test]
fn join_returns_only_after_every_task_is_done() {
    // Its own process: no fork by another test becomes a holder of its queues.
    isolated(LIMIT, || {
        const TASKS: u32 = 200;
        let tasks = JoinableQueue::new().unwrap();
        let done = Value::new(0u32).unwrap();
        let mut workers: Vec<Process> = (0..3)
            .map(|_| {
                Process::new(|| {
                    loop {
                        let n: u32 = tasks.get().unwrap();
                        if n == u32::MAX {
                            tasks.task_done().unwrap();
                            return;
                        }
                        let _held = done.get_lock().acquire();
                        done.set(done.get() + 1);
                        drop(_held);
                        tasks.task_done().unwrap();
                    }
                })
            })
            .collect();
        for p in &mut workers {
            p.start().unwrap();
        }
        for n in 0..TASKS {
            tasks.put(n).unwrap();
        }
        tasks.join().unwrap();
        // Every task_done came after its count: join saw them all.
        assert_eq!(done.get(), TASKS);
        for _ in &workers {
            tasks.put(u32::MAX).unwrap();
        }
        tasks.join().unwrap();
        for p in &workers {
            p.join().unwrap();
        }
        // Python: "task_done() called too many times" (ValueError).
        let err = tasks.task_done().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::State);
        assert!(err.message().contains("too many times"));
    });
}

#[test]
fn a_simple_queue_carries_items_and_says_when_it_is_empty() {
    isolated(LIMIT, || {
        let q = SimpleQueue::new().unwrap();
        assert!(q.empty());
        let mut p = Process::new(|| {
            for i in 0..100u32 {
                q.put(i).unwrap();
            }
        });
        p.start().unwrap();
        let got: Vec<u32> = (0..100).map(|_| q.get().unwrap()).collect();
        p.join().unwrap();
        assert_eq!(got, (0..100).collect::<Vec<_>>());
        assert!(q.empty());
    });
}

/// Each process's name and its parent's name, as Python prints them for: main starts A, A
/// starts its own child, then main starts B.
const FAMILY_PY: &str = r#"
import multiprocessing as mp
def show(q):
    q.put(f"{mp.current_process().name} {mp.parent_process().name}")
def first(q):
    show(q)
    p = mp.Process(target=show, args=(q,)); p.start(); p.join()
if __name__ == "__main__":
    mp.set_start_method("fork")
    q = mp.Queue()
    print(mp.current_process().name, mp.parent_process())
    for target in (first, show):
        p = mp.Process(target=target, args=(q,)); p.start(); p.join()
    for _ in range(3):
        print(q.get())
"#;

fn show(q: &Queue<String>) {
    let parent = parent_process().expect("a child has a parent");
    q.put(format!("{} {}", current_process().name(), parent.name()))
        .unwrap();
}

#[test]
fn process_names_follow_pythons() {
    let python = Command::new("/usr/bin/python3")
        .args(["-c", FAMILY_PY])
        .output()
        .expect("run python3");
    assert!(python.status.success(), "{python:?}");
    let python = String::from_utf8(python.stdout).unwrap();
    isolated(LIMIT, || {
        // This test runs in a child of the test process: its own name stands where Python's
        // says "MainProcess", and its children's names extend it.
        let root = current_process().name().to_string();
        assert_eq!(current_process().pid(), current_pid());
        let parent = parent_process().unwrap();
        assert_eq!(parent.pid(), multitask::parent_pid());
        let q = Queue::new().unwrap();
        let mut lines = vec![format!("{root} {}", parent.name())];
        let first = || {
            show(&q);
            let mut p = Process::new(|| show(&q));
            p.start().unwrap();
            p.join().unwrap();
        };
        let mut a = Process::new(first);
        a.start().unwrap();
        a.join().unwrap();
        let mut b = Process::new(|| show(&q));
        b.start().unwrap();
        b.join().unwrap();
        lines.extend((0..3).map(|_| q.get().unwrap()));
        // The test process is this child's parent.
        std::fs::write(family_file(multitask::parent_pid()), lines.join("\n")).unwrap();
    });
    let ours = std::fs::read_to_string(family_file(current_pid())).unwrap();
    let _ = std::fs::remove_file(family_file(current_pid()));
    let mut ours = ours.lines();
    let first = ours.next().unwrap().to_string();
    let root = first.split(' ').next().unwrap();
    let as_python = |line: &str| {
        line.split(' ')
            .map(|name| match name.strip_prefix(root) {
                Some("") => "MainProcess".to_string(),
                Some(rest) => format!("Process-{}", rest.trim_start_matches(':')),
                None => name.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut expected = python.lines();
    assert_eq!(expected.next(), Some("MainProcess None"));
    assert!(root.starts_with("Process-"), "{first}");
    // Python's children put through feeder threads of their own: its lines come in either
    // order, so the sets are compared.
    let mut ours: Vec<String> = ours.map(as_python).collect();
    let mut expected: Vec<&str> = expected.collect();
    ours.sort();
    expected.sort();
    assert_eq!(ours, expected);
}

/// Where the test process with this pid has its isolated child write the names.
fn family_file(test_pid: i32) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("multitask-family-{test_pid}"))
}

#[test]
fn the_table_of_python_names_lists_every_public_name() {
    let python = Command::new("/usr/bin/python3")
        .args([
            "-c",
            "import multiprocessing as m; print(' '.join(m.__all__))",
        ])
        .output()
        .expect("run python3");
    assert!(python.status.success(), "{python:?}");
    let table = include_str!("../src/python_names.rs");
    let rows: Vec<&str> = table
        .lines()
        .filter(|l| l.starts_with("//! | `"))
        .map(|l| l.split(" | ").nth(1).unwrap_or(""))
        .collect();
    for name in String::from_utf8(python.stdout).unwrap().split_whitespace() {
        let cell = format!("`{name}");
        assert!(
            rows.iter()
                .any(|r| r.contains(&format!("{cell}`")) || r.contains(&format!("{cell}("))),
            "multiprocessing.{name} is missing from python_names"
        );
    }
}

#[test]
fn a_child_knows_the_name_its_process_was_given_and_pool_workers_are_named_as_pythons() {
    isolated(LIMIT, || {
        let q = Queue::new().unwrap();
        let mut p = Process::new(|| q.put(current_process().name().to_string()).unwrap());
        let default = p.name().to_string();
        let mut named = Process::new(|| q.put(current_process().name().to_string()).unwrap());
        named.set_name("worker");
        named.start().unwrap();
        assert_eq!(q.get().unwrap(), "worker");
        named.join().unwrap();
        // Made first, started last: the name was given when it was made, as in Python.
        p.start().unwrap();
        assert_eq!(q.get().unwrap(), default);
        p.join().unwrap();
        let pool = multitask::Pool::new(Some(1)).unwrap();
        fn my_name(_: ()) -> String {
            current_process().name().to_string()
        }
        let worker_name = pool.apply_async(my_name, ()).unwrap().get().unwrap();
        assert!(worker_name.starts_with("ForkPoolWorker-"), "{worker_name}");
        pool.close().unwrap();
        pool.join().unwrap();
    });
}
