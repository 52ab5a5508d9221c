//! Issue 20's faults on real processes, each in every place it can take: a child outliving the
//! thread that started it, a result read twice, a blocking call with nobody left at the other
//! end, a pool of SIGTERM-deaf workers, SIGCHLD ignored, a child's unjoined children, "wait
//! forever" timeouts, children dropped unjoined, and a value over its size limit.

mod common;

use std::time::{Duration, Instant};

use common::{has_ended, is_reaped, is_running, isolated, within};
use multitask::{
    Barrier, Condition, ErrorKind, Event, JoinableQueue, Lock, Pipe, Pool, Process, Queue, RLock,
    Semaphore, SimpleQueue, Value, active_children,
};

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
        let all_good = pool.map_async(refuse_odd, vec![2, 4], 1).unwrap();
        let one_bad = pool.map_async(refuse_odd, vec![2, 5, 6], 1).unwrap();
        for _ in 0..3 {
            assert_eq!(good.get().unwrap(), 4);
            assert_eq!(good.get_timeout(Duration::from_millis(1)).unwrap(), 4);
            let err = bad.get().unwrap_err();
            assert_eq!(err.kind(), ErrorKind::ChildPanicked);
            assert!(err.message().contains("3 is odd"), "{}", err.message());
            let again = bad.get_timeout(Duration::ZERO).unwrap_err();
            assert_eq!(again, err);
            assert!(good.successful().unwrap() && !bad.successful().unwrap());
            assert_eq!(all_good.get().unwrap(), vec![2, 4]);
            let err = one_bad.get().unwrap_err();
            assert!(err.message().contains("5 is odd"), "{}", err.message());
        }
        pool.close().unwrap();
        pool.join().unwrap();
        // A process's end reads the same every time too.
        let mut failed = Process::new(|| Err::<(), _>("no input"));
        failed.start().unwrap();
        let first = failed.join().unwrap_err();
        for _ in 0..3 {
            assert_eq!(failed.join().unwrap_err(), first);
            assert_eq!(failed.join_timeout(Duration::ZERO).unwrap_err(), first);
            assert_eq!(failed.exitcode(), Some(1));
        }
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

/// Needs about 6 GiB of memory for the 4 GiB encoded before the refusal (and the buffer's last
/// growth): `scripts/fault-loop.sh` runs it once when the machine has the memory, or by hand
/// `cargo test -p multitask --test faults_corners -- --ignored`. Every run of the loop has the
/// same refusal at a queue's 1 MiB (`a_queue_item_over_its_limit_is_refused_as_it_is_encoded`).
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

/// Starts a daemon child that runs for ever: its pid.
fn start_a_daemon_that_runs_forever() -> i32 {
    let mut grandchild = Process::new(forever);
    grandchild.set_daemon(true).unwrap();
    grandchild.start().unwrap();
    grandchild.pid().unwrap_or(0)
}

#[test]
fn a_child_started_by_a_thread_of_a_child_outlives_that_thread() {
    isolated(Duration::from_secs(30), || {
        let pids: Queue<i32> = Queue::new().unwrap();
        let go: Queue<u8> = Queue::new().unwrap();
        let mut child = Process::new(|| -> multitask::Result<()> {
            // The grandchild is forked by a thread of this child, which ends at once.
            let pid = std::thread::spawn(start_a_daemon_that_runs_forever)
                .join()
                .unwrap_or(0);
            pids.put(pid)?;
            go.get().map(|_| ())
        });
        child.start().unwrap();
        let grandchild = pids.get().unwrap();
        assert!(grandchild > 0);
        // Its thread has ended: the grandchild still runs while its parent process does.
        let deadline = Instant::now() + Duration::from_millis(300);
        while Instant::now() < deadline {
            assert!(
                is_running(grandchild),
                "the grandchild died with its thread"
            );
            std::thread::yield_now();
        }
        // A daemon: its parent's normal exit terminates it.
        go.put(1).unwrap();
        child.join().unwrap();
        assert!(eventually(Duration::from_secs(10), || !is_running(
            grandchild
        )));
    });
}

#[test]
fn a_worker_replaced_from_a_thread_outlives_the_thread() {
    within(Duration::from_secs(30), || {
        let pool = Pool::new(Some(1)).unwrap();
        let victim = pool.worker_pids()[0];
        nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(victim),
            nix::sys::signal::Signal::SIGKILL,
        )
        .unwrap();
        // The replacement is forked by whichever thread next calls into the pool: this one.
        let (pool, replacement) = std::thread::spawn(move || {
            let pid = pool.apply(pid_of_worker, 0).unwrap();
            (pool, pid)
        })
        .join()
        .unwrap();
        assert_ne!(replacement, victim);
        for i in 0..20 {
            assert_eq!(pool.apply(pid_of_worker, i).unwrap(), replacement);
        }
        pool.close().unwrap();
        pool.join().unwrap();
    });
}

fn deaf_worker(_: u32) {
    // SAFETY: SIG_IGN installs no handler code.
    unsafe { libc::signal(libc::SIGTERM, libc::SIG_IGN) };
    loop {
        std::thread::park();
    }
}

fn forever() {
    loop {
        std::thread::park();
    }
}

#[test]
fn with_sigchld_ignored_every_way_a_child_ends_returns() {
    isolated(Duration::from_secs(60), || {
        // SAFETY: SIG_IGN installs no handler code; this isolated test process is our own.
        unsafe { libc::signal(libc::SIGCHLD, libc::SIG_IGN) };
        let mut terminated = Process::new(forever);
        terminated.start().unwrap();
        terminated.terminate().unwrap();
        terminated.join().unwrap();
        let mut killed = Process::new(forever);
        killed.start().unwrap();
        killed.kill().unwrap();
        killed.join().unwrap();
        assert!(!killed.is_alive());
        let mut timed = Process::new(|| ());
        timed.start().unwrap();
        timed.join_timeout(Duration::MAX).unwrap();
        // A child inherits the ignored SIGCHLD: its exit joins its own child all the same.
        let done: Queue<u8> = Queue::new().unwrap();
        let mut parent = Process::new(|| -> multitask::Result<()> {
            let mut grandchild = Process::new(|| done.put(1));
            grandchild.start()
        });
        parent.start().unwrap();
        parent.join().unwrap();
        assert_eq!(done.get_timeout(Duration::from_secs(10)).unwrap(), 1);
        // Pool workers replaced after maxtasksperchild, and a terminate of deaf workers.
        let pool = Pool::builder()
            .processes(Some(1))
            .maxtasksperchild(1)
            .build()
            .unwrap();
        let pids = pool.map(pid_of_worker, (0..4).collect(), 1).unwrap();
        assert_eq!(pids.len(), 4);
        pool.close().unwrap();
        pool.join().unwrap();
        let pool = Pool::new(Some(2)).unwrap();
        let _deaf: Vec<_> = (0..2)
            .map(|i| pool.apply_async(deaf_worker, i).unwrap())
            .collect();
        pool.terminate().unwrap();
        assert!(active_children().is_empty());
    });
}

#[test]
fn children_dropped_unjoined_are_reaped_when_a_pool_starts_its_workers() {
    within(Duration::from_secs(30), || {
        let mut pids = Vec::new();
        for _ in 0..20 {
            let mut p = Process::new(|| ());
            p.start().unwrap();
            pids.push(p.pid().unwrap());
        }
        assert!(
            eventually(Duration::from_secs(10), || pids
                .iter()
                .all(|&p| has_ended(p))),
            "the children did not end"
        );
        // Python's Pool starts its workers as processes, each start reaping what ended.
        let pool = Pool::new(Some(1)).unwrap();
        let zombies: Vec<i32> = pids.iter().copied().filter(|&p| !is_reaped(p)).collect();
        assert!(zombies.is_empty(), "zombies left: {zombies:?}");
        pool.close().unwrap();
        pool.join().unwrap();
    });
}

#[test]
fn every_blocking_call_answers_disconnected_once_its_peer_is_gone() {
    isolated(Duration::from_secs(60), || {
        let bounded: Queue<u8> = Queue::with_maxsize(1).unwrap();
        let batches: Queue<Vec<u8>> = Queue::new().unwrap();
        let joinable: JoinableQueue<u8> = JoinableQueue::new().unwrap();
        let simple: SimpleQueue<Vec<u8>> = SimpleQueue::new().unwrap();
        let (mine, theirs) = Pipe::new::<Vec<u8>>().unwrap();
        let mut peer = Process::new(|| {
            // Takes one item of each, then leaves: nobody is left to take or finish more.
            mine.close();
            let _ = bounded.get();
            let _ = joinable.get();
            let _ = theirs.recv();
        });
        peer.start().unwrap();
        theirs.close();
        bounded.put(1).unwrap();
        joinable.put(1).unwrap();
        mine.send(vec![1]).unwrap();
        peer.join().unwrap();
        let disconnected = |r: multitask::Result<()>| {
            let err = r.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Disconnected, "{err}");
        };
        // A full bounded queue, with or without a deadline.
        bounded.put(2).unwrap();
        disconnected(bounded.put(3));
        disconnected(bounded.put_timeout(3, Duration::MAX));
        // The ring full of batches, of SimpleQueue items.
        let fill = |put: &dyn Fn() -> multitask::Result<()>| loop {
            if let Err(e) = put() {
                break Err(e);
            }
        };
        disconnected(fill(&|| batches.put_many(vec![vec![0; 50_000]; 4])));
        disconnected(fill(&|| simple.put(vec![0; 100_000])));
        // A task put and never finished: join cannot wait for anyone.
        joinable.put(2).unwrap();
        disconnected(joinable.join());
        // A pipe whose other end is closed everywhere: send and recv.
        disconnected(fill(&|| mine.send(vec![0; 100_000])));
        disconnected(mine.recv().map(|_| ()));
    });
}

#[test]
fn every_timeout_of_duration_max_waits_instead_of_panicking() {
    isolated(Duration::from_secs(60), || {
        let forever = Duration::MAX;
        let lock = Lock::new().unwrap();
        let rlock = RLock::new().unwrap();
        let sem = Semaphore::new(1).unwrap();
        let event = Event::new().unwrap();
        let cond = Condition::new().unwrap();
        let flag = Value::new(0u8).unwrap();
        let barrier = Barrier::new(2).unwrap();
        let bounded: Queue<u8> = Queue::with_maxsize(1).unwrap();
        let joinable: JoinableQueue<u8> = JoinableQueue::new().unwrap();
        let held: Queue<u8> = Queue::new().unwrap();
        let (a, b) = Pipe::new::<u8>().unwrap();
        bounded.put(0).unwrap();
        let mut partner = Process::new(|| -> multitask::Result<()> {
            lock.acquire().keep();
            let rheld = rlock.acquire();
            let sheld = sem.acquire();
            held.put(1)?;
            // Let go of each, one by one, while the parent waits with Duration::MAX.
            lock.release()?;
            drop(rheld);
            drop(sheld);
            event.set();
            {
                let guard = cond.acquire();
                flag.set(1);
                guard.notify_all();
            }
            barrier.wait(None)?;
            bounded.get()?;
            joinable.put(7)?;
            b.send(9)
        });
        partner.start().unwrap();
        held.get().unwrap();
        assert!(lock.acquire_timeout(forever).is_some());
        assert!(rlock.acquire_timeout(forever).is_some());
        assert!(sem.acquire_timeout(forever).is_some());
        assert!(event.wait(Some(forever)));
        assert!(
            cond.acquire_timeout(forever)
                .is_some_and(|guard| { guard.wait_for(|| flag.get() == 1, Some(forever)) })
        );
        assert!(barrier.wait(Some(forever)).is_ok());
        bounded.put_timeout(1, forever).unwrap();
        assert_eq!(joinable.get_timeout(forever).unwrap(), 7);
        assert!(a.poll(forever).unwrap());
        assert_eq!(a.recv_timeout(forever).unwrap(), 9);
        partner.join_timeout(forever).unwrap();
        let pool = Pool::new(Some(1)).unwrap();
        let mut it = pool.imap(one_more, vec![1, 2], 1).unwrap();
        assert_eq!(it.next_timeout(forever).unwrap().unwrap(), 2);
        assert_eq!(it.next_timeout(forever).unwrap().unwrap(), 3);
        assert!(it.next_timeout(forever).is_none());
    });
}

#[test]
fn a_queue_item_over_its_limit_is_refused_as_it_is_encoded() {
    within(Duration::from_secs(60), || {
        // 8 GiB made up as it is encoded: refused once past the 1 MiB a queue message carries,
        // having asked for a MiB or two, not for all of it.
        let q: Queue<Endless> = Queue::new().unwrap();
        let before = ASKED.load(std::sync::atomic::Ordering::Relaxed);
        let t0 = Instant::now();
        let err = q.put(Endless { chunks: 8 << 10 }).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Serialize, "{err}");
        let asked = ASKED.load(std::sync::atomic::Ordering::Relaxed) - before;
        assert!(asked <= 2, "{asked} MiB encoded before the refusal");
        assert!(t0.elapsed() < Duration::from_secs(10), "{:?}", t0.elapsed());
        // The queue goes on.
        let q: Queue<u8> = Queue::new().unwrap();
        q.put(1).unwrap();
        assert_eq!(q.get().unwrap(), 1);
    });
}
