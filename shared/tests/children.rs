//! Issue 13, faults 3 and 5, on real children: finished children that nobody joined are reaped
//! (no zombies), `active_children` lists the live ones, and at a normal exit non-daemon children
//! are joined while daemons are terminated.

mod common;

use std::time::{Duration, Instant};

use common::{has_ended, is_reaped, is_running, within};
use multitask::{Pool, Process, Queue, active_children};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::Pid;

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

#[test]
fn twenty_processes_dropped_unjoined_leave_no_zombie_after_the_next_start() {
    within(Duration::from_secs(30), || {
        let started: Queue<i32> = Queue::new().unwrap();
        let mut pids = Vec::new();
        for _ in 0..20 {
            let mut p = Process::new(|| started.put(multitask::current_pid()));
            p.start().unwrap();
            pids.push(p.pid().unwrap());
            // Dropped here, never joined.
        }
        for _ in 0..20 {
            started.get().unwrap();
        }
        assert!(
            eventually(Duration::from_secs(10), || pids
                .iter()
                .all(|&p| has_ended(p))),
            "the children did not end"
        );
        let mut next = Process::new(|| ());
        next.start().unwrap();
        let zombies: Vec<i32> = pids.iter().copied().filter(|&p| !is_reaped(p)).collect();
        assert!(zombies.is_empty(), "zombies left: {zombies:?}");
        next.join().unwrap();
    });
}

#[test]
fn active_children_lists_the_live_ones_and_reaps_the_rest() {
    within(Duration::from_secs(30), || {
        let go: Queue<u8> = Queue::new().unwrap();
        let mut pids = Vec::new();
        for _ in 0..5 {
            let mut p = Process::new(|| go.get().map(|_| ()));
            p.start().unwrap();
            pids.push(p.pid().unwrap());
        }
        let pool = Pool::new(Some(2)).unwrap();
        let active = active_children();
        for pid in pids.iter().chain(&pool.worker_pids()) {
            assert!(active.contains(pid), "{pid} missing from {active:?}");
        }
        for _ in 0..5 {
            go.put(1).unwrap();
        }
        assert!(
            eventually(Duration::from_secs(10), || {
                let active = active_children();
                pids.iter().all(|p| !active.contains(p))
            }),
            "finished children still listed"
        );
        for &pid in &pids {
            assert!(is_reaped(pid), "{pid} left a zombie");
        }
        let workers = pool.worker_pids();
        drop(pool);
        for pid in workers {
            assert!(!active_children().contains(&pid));
        }
    });
}

fn nap_forever(_: ()) {
    loop {
        std::thread::park();
    }
}

/// SIGKILLs a process when dropped (a failed assertion unwinds through it).
struct KillOnDrop(i32);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = nix::sys::signal::kill(Pid::from_raw(self.0), nix::sys::signal::Signal::SIGKILL);
    }
}

/// A process forked here that starts a non-daemon child (which waits for `go`, then reports),
/// a daemon child and a pool that run forever, reports their pids, then exits normally.
#[test]
fn a_normal_exit_joins_non_daemon_children_and_terminates_daemons() {
    within(Duration::from_secs(30), || {
        let go: Queue<u8> = Queue::new().unwrap();
        let done: Queue<String> = Queue::new().unwrap();
        let pids: Queue<(i32, i32)> = Queue::new().unwrap();
        let middle = multitask::fork().unwrap();
        if middle == 0 {
            let mut worker = Process::new(|| -> multitask::Result<()> {
                go.get()?;
                done.put("work done".to_string())
            });
            let mut daemon = Process::new(|| nap_forever(()));
            let code = (|| -> multitask::Result<()> {
                daemon.set_daemon(true)?;
                worker.start()?;
                daemon.start()?;
                let pool = Pool::new(Some(1))?;
                pool.apply_async(nap_forever, ())?;
                pids.put((worker.pid().unwrap_or(0), daemon.pid().unwrap_or(0)))?;
                // Neither joined nor dropped: `exit` runs no destructor.
                std::mem::forget(pool);
                Ok(())
            })()
            .map_or(3, |()| 0);
            std::mem::forget(worker);
            std::mem::forget(daemon);
            std::process::exit(code);
        }
        // Should an assertion fail, the middle process dies with the test (and its children
        // with it) instead of waiting forever for a worker that waits for us.
        let _middle = KillOnDrop(middle);
        let (worker, daemon) = pids.get().unwrap();
        assert!(is_running(worker), "the worker ended before its work");
        // The middle process is exiting and must wait for its worker, which waits for us.
        go.put(1).unwrap();
        assert_eq!(done.get().unwrap(), "work done");
        let status = waitpid(Pid::from_raw(middle), None).unwrap();
        assert_eq!(status, WaitStatus::Exited(Pid::from_raw(middle), 0));
        assert!(!is_running(worker));
        assert!(!is_running(daemon), "the daemon outlived its parent");
    });
}

#[test]
fn daemon_can_only_be_set_before_start() {
    let mut p = Process::new(|| ());
    assert!(!p.daemon());
    p.set_daemon(true).unwrap();
    p.start().unwrap();
    assert_eq!(
        p.set_daemon(false).unwrap_err().kind(),
        multitask::ErrorKind::State
    );
    p.join().unwrap();
}
