//! Fault tolerance on real processes: a parent killed, a worker killed mid-task, a reader
//! terminated while a writer streams. Each test has its own deadline.

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use common::{is_running, within};
use multitask::{ErrorKind, Pool, Process, Queue};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

fn forever() {
    loop {
        std::thread::park();
    }
}

fn nap_forever(_: ()) {
    forever()
}

/// Waits until `done()` holds or `limit` passes; true if it held.
fn eventually(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        if done() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::yield_now();
    }
}

#[test]
fn killing_the_parent_kills_its_process_pool_workers_and_queue_reader() {
    within(Duration::from_secs(20), || {
        let pids: Queue<Vec<i32>> = Queue::new().unwrap();
        let mut middle = Process::new(|| -> multitask::Result<()> {
            let mut child = Process::new(forever);
            child.start()?;
            let pool = Pool::new(Some(2))?;
            let _busy = pool.apply_async(nap_forever, ())?;
            let q: Queue<u8> = Queue::new()?;
            let mut reader = Process::new(|| q.get().map(|_| ()));
            reader.start()?;
            let mut all = vec![child.pid().unwrap_or(0), reader.pid().unwrap_or(0)];
            all.extend(pool.worker_pids());
            pids.put(all)?;
            forever();
            Ok(())
        });
        middle.start().unwrap();
        let children = pids.get().unwrap();
        assert_eq!(children.len(), 4);
        for &pid in &children {
            assert!(is_running(pid), "{pid} should run before the kill");
        }
        kill(Pid::from_raw(middle.pid().unwrap()), Signal::SIGKILL).unwrap();
        let _ = middle.join();
        let t0 = Instant::now();
        let gone = eventually(Duration::from_secs(1), || {
            children.iter().all(|&pid| !is_running(pid))
        });
        let still: Vec<i32> = children
            .iter()
            .copied()
            .filter(|&p| is_running(p))
            .collect();
        assert!(gone, "still running {:?} after {:?}", still, t0.elapsed());
    });
}

/// Writes this worker's pid to `path`, then sleeps far longer than any test.
fn report_then_hang(path: String) -> u8 {
    let _ = std::fs::write(&path, multitask::current_pid().to_string());
    forever();
    0
}

fn double(x: u32) -> u32 {
    2 * x
}

#[test]
fn a_worker_killed_mid_task_fails_that_task_only_and_is_replaced() {
    within(Duration::from_secs(20), || {
        let dir = std::env::temp_dir().join(format!("multitask-kill-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("worker.pid");
        let _ = std::fs::remove_file(&path);
        let pool = Pool::new(Some(2)).unwrap();
        let before: HashSet<i32> = pool.worker_pids().into_iter().collect();
        let doomed = pool
            .apply_async(report_then_hang, path.to_string_lossy().into_owned())
            .unwrap();
        let others: Vec<_> = (0..20)
            .map(|i| pool.apply_async(double, i).unwrap())
            .collect();
        assert!(
            eventually(Duration::from_secs(5), || std::fs::read_to_string(&path)
                .is_ok_and(|s| !s.is_empty())),
            "the task never started"
        );
        let victim: i32 = std::fs::read_to_string(&path).unwrap().parse().unwrap();
        assert!(before.contains(&victim));
        kill(Pid::from_raw(victim), Signal::SIGKILL).unwrap();
        let t0 = Instant::now();
        let err = doomed.get().unwrap_err();
        assert!(
            t0.elapsed() < Duration::from_secs(1),
            "took {:?}",
            t0.elapsed()
        );
        assert_eq!(err.kind(), ErrorKind::WorkerDied);
        assert_eq!(err.pid(), Some(victim));
        assert!(err.message().contains("SIGKILL"), "{}", err.message());
        assert!(
            err.message().contains(&victim.to_string()),
            "{}",
            err.message()
        );
        for (i, h) in others.iter().enumerate() {
            assert_eq!(h.get().unwrap(), 2 * i as u32);
        }
        let after: HashSet<i32> = pool.worker_pids().into_iter().collect();
        assert_eq!(after.len(), 2);
        assert!(!after.contains(&victim));
        pool.close().unwrap();
        pool.join().unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    });
}

#[test]
fn terminating_one_of_two_readers_loses_nothing_put_afterwards() {
    within(Duration::from_secs(60), || {
        const N: u32 = 100_000;
        const HALF: u32 = N / 2;
        let q: Queue<u32> = Queue::new().unwrap();
        let go: Queue<u8> = Queue::new().unwrap();
        let seen: Queue<(u8, u32)> = Queue::new().unwrap();
        let mut writer = Process::new(|| -> multitask::Result<()> {
            for i in 0..HALF {
                q.put(i)?;
            }
            go.get()?;
            for i in HALF..N {
                q.put(i)?;
            }
            Ok(())
        });
        let reader = |id: u8| {
            let (q, seen) = (&q, &seen);
            Process::new(move || -> multitask::Result<()> {
                loop {
                    seen.put((id, q.get()?))?;
                }
            })
        };
        let mut first = reader(1);
        let mut second = reader(2);
        writer.start().unwrap();
        first.start().unwrap();
        second.start().unwrap();
        let mut got: Vec<u32> = Vec::new();
        let mut from_first = 0;
        while from_first == 0 || got.len() < 1000 {
            let (id, item) = seen.get().unwrap();
            from_first += usize::from(id == 1);
            got.push(item);
        }
        first.terminate().unwrap();
        go.put(1).unwrap();
        let mut late = HashSet::new();
        while late.len() < (N - HALF) as usize {
            let (id, item) = seen.get().unwrap();
            got.push(item);
            if item >= HALF {
                assert_eq!(id, 2, "item {item} from the terminated reader");
                assert!(late.insert(item), "item {item} twice");
            }
        }
        writer.join().unwrap();
        second.terminate().unwrap();
        // Drain what the survivor forwarded before it was stopped.
        while let Ok((_, item)) = seen.get_timeout(Duration::from_millis(100)) {
            got.push(item);
        }
        let unique: HashSet<u32> = got.iter().copied().collect();
        assert_eq!(unique.len(), got.len(), "an item arrived twice");
        // And the queue goes on working.
        q.put(7).unwrap();
        assert_eq!(q.get().unwrap(), 7);
    });
}

/// Twice `i`, except for task `hang` which reports its worker's pid to `path` and never ends.
fn double_or_hang((i, hang, path): (u32, u32, String)) -> u32 {
    if i == hang {
        report_then_hang(path);
    }
    2 * i
}

#[test]
fn a_worker_killed_inside_a_batch_loses_only_its_current_task() {
    within(Duration::from_secs(30), || {
        let dir = std::env::temp_dir().join(format!("multitask-batch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("worker.pid");
        let _ = std::fs::remove_file(&path);
        let path_text = path.to_string_lossy().into_owned();
        let pool = Pool::new(Some(1)).unwrap();
        // Short tasks first, so the pool sends them in batches; then a batch with a hang in it.
        for h in (0..500)
            .map(|i| pool.apply_async(double, i).unwrap())
            .collect::<Vec<_>>()
        {
            h.get().unwrap();
        }
        const HANG: u32 = 300;
        let handles: Vec<_> = (0..600)
            .map(|i| {
                pool.apply_async(double_or_hang, (i, HANG, path_text.clone()))
                    .unwrap()
            })
            .collect();
        // Tasks before the hang may have run already; wait for the hang to start.
        let first = handles[0].get().unwrap();
        assert_eq!(first, 0);
        // The pool sends more tasks only while this process calls into it (no feeder thread):
        // answering task 0 may have left the hang's batch unsent, so keep waiting on the hang.
        let hang = &handles[HANG as usize];
        assert!(
            eventually(Duration::from_secs(10), || {
                let _ = hang.wait_timeout(Duration::from_millis(20));
                std::fs::read_to_string(&path).is_ok_and(|s| !s.is_empty())
            }),
            "the hanging task never started"
        );
        let victim: i32 = std::fs::read_to_string(&path).unwrap().parse().unwrap();
        kill(Pid::from_raw(victim), Signal::SIGKILL).unwrap();
        for (i, h) in handles.iter().enumerate().skip(1) {
            let got = h.get();
            if i as u32 == HANG {
                assert_eq!(got.unwrap_err().kind(), ErrorKind::WorkerDied);
            } else {
                assert_eq!(got.unwrap(), 2 * i as u32, "task {i}");
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    });
}

/// An item that shows whether it arrived whole: who wrote it, its number, and a payload made
/// from both.
type Stamped = (u8, u32, Vec<u8>);

fn stamped(writer: u8, i: u32) -> Stamped {
    (writer, i, vec![writer ^ (i as u8); 500])
}

fn assert_whole((writer, i, payload): &Stamped) {
    assert!(
        payload.len() == 500 && payload.iter().all(|&b| b == writer ^ (*i as u8)),
        "item {i} of writer {writer} arrived torn"
    );
}

#[test]
fn writers_and_readers_killed_mid_stream_leave_the_queue_whole() {
    within(Duration::from_secs(60), || {
        let q: Queue<Stamped> = Queue::new().unwrap();
        for round in 1..=6u8 {
            // A writer putting as fast as it can, or a reader getting as fast as it can, is
            // killed while this process reads or writes: often inside a put or a get, holding
            // the lock.
            let writes = round % 2 == 1;
            let mut victim = if writes {
                Process::new(|| -> multitask::Result<()> {
                    for i in 0.. {
                        q.put(stamped(round, i))?;
                    }
                    Ok(())
                })
            } else {
                Process::new(|| -> multitask::Result<()> {
                    loop {
                        assert_whole(&q.get()?);
                    }
                })
            };
            victim.start().unwrap();
            let victim_pid = Pid::from_raw(victim.pid().unwrap());
            if writes {
                for _ in 0..500 {
                    assert_whole(&q.get().unwrap());
                }
                kill(victim_pid, Signal::SIGKILL).unwrap();
            } else {
                // Fewer than the ring holds are left after the kill: these puts never block.
                for i in 0..1500 {
                    q.put(stamped(round, i)).unwrap();
                    if i == 1000 {
                        kill(victim_pid, Signal::SIGKILL).unwrap();
                    }
                }
            }
            let _ = victim.join();
            // Nobody else writes now: what is left comes at once, and then nothing.
            while let Ok(item) = q.get_timeout(Duration::from_millis(100)) {
                assert_whole(&item);
            }
        }
        // Whatever the victims left, the queue still works: a last writer's items all arrive,
        // whole and in order.
        const LAST: u8 = 99;
        let mut writer = Process::new(|| -> multitask::Result<()> {
            for i in 0..5000 {
                q.put(stamped(LAST, i))?;
            }
            Ok(())
        });
        writer.start().unwrap();
        for i in 0..5000 {
            let item = q.get().unwrap();
            assert_whole(&item);
            assert_eq!(
                (item.0, item.1),
                (LAST, i),
                "the last writer's items out of order"
            );
        }
        writer.join().unwrap();
    });
}
