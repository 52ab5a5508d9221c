//! Issue 20's faults on real processes: a child outliving the thread that started it, a result
//! read twice, a put with nobody left to read, a pool of SIGTERM-deaf workers, SIGCHLD ignored,
//! a child's unjoined children, "wait forever" timeouts, and children dropped unjoined.

mod common;

use std::time::{Duration, Instant};

use common::{has_ended, is_reaped, is_running, isolated, within};
use multitask::{ErrorKind, Pipe, Pool, Process, Queue, active_children};

/// Waits until `done()` holds or `limit` passes; true if it held.
fn eventually(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while !done() {
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::yield_now();
    }
    true
}

fn pid_of_worker(_: u32) -> i32 {
    multitask::current_pid()
}

#[test]
fn a_process_started_by_a_thread_outlives_the_thread() {
    within(Duration::from_secs(20), || {
        let helper = std::thread::spawn(|| {
            let go: Queue<u8> = Queue::new().unwrap();
            let done: Queue<String> = Queue::new().unwrap();
            let mut p = Process::new(|| -> multitask::Result<()> {
                go.get()?;
                done.put("work done".to_string())
            });
            p.start().unwrap();
            let pid = p.pid().unwrap();
            drop(p);
            (go, done, pid)
        });
        // The thread that forked the child has ended when join returns.
        let (go, done, pid) = helper.join().unwrap();
        go.put(1).unwrap();
        let got = done.get_timeout(Duration::from_secs(10));
        assert_eq!(got.unwrap(), "work done", "the child died with its thread");
        assert!(eventually(Duration::from_secs(10), || {
            !active_children().contains(&pid) && is_reaped(pid)
        }));
    });
}

#[test]
fn a_pool_built_in_a_thread_keeps_its_workers_and_runs_every_task() {
    within(Duration::from_secs(30), || {
        let pool = std::thread::spawn(|| Pool::new(Some(2)).unwrap())
            .join()
            .unwrap();
        let before = pool.worker_pids();
        let results: Vec<_> = (0..20)
            .map(|i| pool.apply_async(pid_of_worker, i).unwrap())
            .collect();
        for r in &results {
            let pid = r.get().unwrap();
            assert!(before.contains(&pid), "task ran on {pid}, not {before:?}");
        }
        assert_eq!(pool.worker_pids(), before, "workers were replaced");
        pool.close().unwrap();
        pool.join().unwrap();
    });
}

fn refuse_odd(x: u32) -> u32 {
    assert!(x.is_multiple_of(2), "{x} is odd");
    x
}

#[test]
fn a_finished_result_reads_the_same_every_time() {
    within(Duration::from_secs(20), || {
        let pool = Pool::new(Some(1)).unwrap();
        let good = pool.apply_async(refuse_odd, 4).unwrap();
        let bad = pool.apply_async(refuse_odd, 3).unwrap();
        for _ in 0..3 {
            assert_eq!(good.get().unwrap(), 4);
            assert_eq!(good.get_timeout(Duration::from_millis(1)).unwrap(), 4);
            let err = bad.get().unwrap_err();
            assert_eq!(err.kind(), ErrorKind::ChildPanicked);
            assert!(err.message().contains("3 is odd"), "{}", err.message());
            let again = bad.get_timeout(Duration::ZERO).unwrap_err();
            assert_eq!(again, err);
        }
        pool.close().unwrap();
        pool.join().unwrap();
    });
}

#[test]
fn a_put_with_no_reader_left_is_disconnected_not_blocked() {
    isolated(Duration::from_secs(30), || {
        let q: Queue<Vec<u8>> = Queue::new().unwrap();
        let mut reader = Process::new(|| q.get().map(|_| ()));
        reader.start().unwrap();
        q.put(vec![1]).unwrap();
        reader.join().unwrap();
        // The ring holds 2 MiB: the puts fill it, then nobody is left to empty it.
        let mut puts = 0;
        let err = loop {
            match q.put(vec![0; 100_000]) {
                Ok(()) => puts += 1,
                Err(e) => break e,
            }
            assert!(puts < 100, "more puts than the ring holds went through");
        };
        assert_eq!(err.kind(), ErrorKind::Disconnected, "{err}");
        assert!(puts >= 10, "only {puts} puts before the queue was full");
    });
}

fn deaf_to_sigterm(_: u32) {
    // SAFETY: SIG_IGN installs no handler code.
    unsafe { libc::signal(libc::SIGTERM, libc::SIG_IGN) };
    loop {
        std::thread::park();
    }
}

/// True when `pid` ignores SIGTERM (read from /proc/PID/status).
fn ignores_sigterm(pid: i32) -> bool {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("SigIgn:"))
        .and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok())
        .is_some_and(|mask| mask & (1 << (libc::SIGTERM - 1)) != 0)
}

#[test]
fn terminating_six_workers_that_ignore_sigterm_takes_one_grace_not_six() {
    within(Duration::from_secs(30), || {
        let pool = Pool::new(Some(6)).unwrap();
        let pids = pool.worker_pids();
        let _busy: Vec<_> = (0..6)
            .map(|i| pool.apply_async(deaf_to_sigterm, i).unwrap())
            .collect();
        assert!(
            eventually(Duration::from_secs(10), || pids
                .iter()
                .all(|&p| ignores_sigterm(p))),
            "the workers did not all start their task"
        );
        let t0 = Instant::now();
        pool.terminate().unwrap();
        let took = t0.elapsed();
        // One grace of 1 s for all (6 s when waited worker after worker).
        assert!(took < Duration::from_secs(4), "terminate took {took:?}");
        assert!(pids.iter().all(|&p| is_reaped(p)));
    });
}

fn one_more(x: u32) -> u32 {
    x + 1
}

#[test]
fn with_sigchld_ignored_join_returns_normally() {
    isolated(Duration::from_secs(30), || {
        // SAFETY: SIG_IGN installs no handler code; this isolated test process is our own.
        unsafe { libc::signal(libc::SIGCHLD, libc::SIG_IGN) };
        let mut p = Process::new(|| ());
        p.start().unwrap();
        p.join().unwrap();
        assert!(!p.is_alive());
        // The status is lost to the kernel's reaping; CPython's exitcode is None then too.
        assert_eq!(p.exitcode(), None);
        let mut panics = Process::new(|| -> () { panic!("still reported") });
        panics.start().unwrap();
        let err = panics.join().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ChildPanicked);
        let mut slow = Process::new(|| std::thread::sleep(Duration::from_millis(50)));
        slow.start().unwrap();
        slow.join_timeout(Duration::from_secs(10)).unwrap();
        let pool = Pool::new(Some(2)).unwrap();
        assert_eq!(pool.map(one_more, vec![1, 2, 3], 1).unwrap(), vec![2, 3, 4]);
        pool.close().unwrap();
        pool.join().unwrap();
        assert!(active_children().is_empty());
    });
}

#[test]
fn a_child_that_returns_joins_the_children_it_started() {
    within(Duration::from_secs(30), || {
        let go: Queue<u8> = Queue::new().unwrap();
        let done: Queue<String> = Queue::new().unwrap();
        let pids: Queue<i32> = Queue::new().unwrap();
        let mut child = Process::new(|| -> multitask::Result<()> {
            let mut grandchild = Process::new(|| -> multitask::Result<()> {
                go.get()?;
                done.put("grandchild done".to_string())
            });
            grandchild.start()?;
            pids.put(grandchild.pid().unwrap_or(0))
            // Returns without joining it, as Python's child may.
        });
        child.start().unwrap();
        let grandchild = pids.get().unwrap();
        assert!(is_running(grandchild), "the grandchild ended early");
        go.put(1).unwrap();
        assert_eq!(done.get().unwrap(), "grandchild done");
        child.join().unwrap();
        assert!(!is_running(grandchild));
    });
}

#[test]
fn a_timeout_of_duration_max_waits_instead_of_panicking() {
    within(Duration::from_secs(30), || {
        let forever = Duration::MAX;
        let q: Queue<u8> = Queue::new().unwrap();
        let (a, b) = Pipe::new::<u8>().unwrap();
        let mut p = Process::new(|| -> multitask::Result<()> {
            q.put(1)?;
            b.send(2)
        });
        p.start().unwrap();
        assert_eq!(q.get_timeout(forever).unwrap(), 1);
        assert_eq!(a.recv_timeout(forever).unwrap(), 2);
        p.join_timeout(forever).unwrap();
        let pool = Pool::new(Some(1)).unwrap();
        let r = pool.apply_async(one_more, 1).unwrap();
        assert!(r.wait_timeout(forever));
        assert_eq!(r.get_timeout(forever).unwrap(), 2);
        pool.close().unwrap();
        pool.join().unwrap();
    });
}

#[test]
fn twenty_dropped_unjoined_then_one_joined_leave_no_zombie() {
    within(Duration::from_secs(30), || {
        let mut pids = Vec::new();
        for _ in 0..20 {
            let mut p = Process::new(|| ());
            p.start().unwrap();
            pids.push(p.pid().unwrap());
        }
        let mut last = Process::new(|| ());
        last.start().unwrap();
        last.join().unwrap();
        // Those still running at the join end later: active_children reaps them, as Python's.
        let reaped = eventually(Duration::from_secs(10), || {
            let live = active_children();
            pids.iter().all(|&p| !live.contains(&p) && is_reaped(p))
        });
        let left: Vec<i32> = pids.iter().copied().filter(|&p| !is_reaped(p)).collect();
        assert!(reaped, "not reaped: {left:?}");
    });
}

#[test]
fn children_dropped_unjoined_are_reaped_by_the_next_join() {
    within(Duration::from_secs(30), || {
        let mut pids = Vec::new();
        for _ in 0..20 {
            let mut p = Process::new(|| ());
            p.start().unwrap();
            pids.push(p.pid().unwrap());
        }
        let mut last = Process::new(|| ());
        last.start().unwrap();
        assert!(
            eventually(Duration::from_secs(10), || pids
                .iter()
                .all(|&p| has_ended(p))),
            "the children did not end"
        );
        last.join().unwrap();
        let zombies: Vec<i32> = pids.iter().copied().filter(|&p| !is_reaped(p)).collect();
        assert!(zombies.is_empty(), "zombies left: {zombies:?}");
    });
}

/// A sequence of `chunks` binaries of 1 MiB, made up as it is encoded: it holds no memory of
/// its own, and counts in ASKED how many chunks the encoder asked for.
struct Endless {
    chunks: usize,
}

static ASKED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

impl serde::Serialize for Endless {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        static CHUNK: [u8; 1 << 20] = [0; 1 << 20];
        struct Bytes;
        impl serde::Serialize for Bytes {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(&CHUNK)
            }
        }
        let mut seq = s.serialize_seq(Some(self.chunks))?;
        for _ in 0..self.chunks {
            ASKED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            seq.serialize_element(&Bytes)?;
        }
        seq.end()
    }
}

impl<'de> serde::Deserialize<'de> for Endless {
    fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(serde::de::Error::custom("never received"))
    }
}

/// Needs about 4 GiB of memory for the part encoded before the refusal: run by hand
/// (`cargo test -p multitask --test faults_corners -- --ignored`).
#[test]
#[ignore]
fn a_value_over_4_gib_is_refused_once_encoded_that_far_not_after_encoding_it_whole() {
    within(Duration::from_secs(300), || {
        let (a, _b) = Pipe::new::<Endless>().unwrap();
        // 8 GiB in all: the refusal comes at 4 GiB.
        let t0 = Instant::now();
        let err = a.send(Endless { chunks: 8 << 10 }).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Serialize, "{err}");
        let asked = ASKED.load(std::sync::atomic::Ordering::Relaxed);
        assert!(
            asked <= (4 << 10) + 1,
            "{asked} MiB encoded before the refusal"
        );
        eprintln!("refused after {:?} and {asked} MiB: {err}", t0.elapsed());
    });
}
