//! Issue 13, fault 4: what a handle caches for its process (items of a batch already taken,
//! bytes already received, the workers it owns) must not act in a forked child as if it were
//! the child's.

mod common;

use std::time::Duration;

use common::within;
use multitask::{ErrorKind, Pipe, Pool, Process, Queue};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::Pid;

#[test]
fn a_child_forked_after_a_batch_was_started_does_not_hand_out_its_items_again() {
    within(Duration::from_secs(20), || {
        let q: Queue<u32> = Queue::new().unwrap();
        let seen: Queue<u32> = Queue::new().unwrap();
        q.put_many(vec![1, 2, 3]).unwrap();
        assert_eq!(q.get().unwrap(), 1);
        // 2 and 3 now wait in this process: the child must take from the queue, not from them.
        let mut child = Process::new(|| -> multitask::Result<()> { seen.put(q.get()?) });
        child.start().unwrap();
        assert_eq!(q.get().unwrap(), 2);
        assert_eq!(q.get().unwrap(), 3);
        q.put(4).unwrap();
        assert_eq!(
            seen.get().unwrap(),
            4,
            "the child took an item of its parent's batch"
        );
        child.join().unwrap();
    });
}

#[test]
fn a_child_forked_after_a_pipe_received_two_values_does_not_receive_the_second() {
    within(Duration::from_secs(20), || {
        let (a, b) = Pipe::new::<u32>().unwrap();
        let seen: Queue<u32> = Queue::new().unwrap();
        b.send(1).unwrap();
        b.send(2).unwrap();
        // One receive takes both values' bytes off the socket; the second waits here.
        assert_eq!(a.recv().unwrap(), 1);
        let mut child = Process::new(|| -> multitask::Result<()> { seen.put(a.recv()?) });
        child.start().unwrap();
        b.send(3).unwrap();
        assert_eq!(
            seen.get().unwrap(),
            3,
            "the child received its parent's value"
        );
        child.join().unwrap();
        assert_eq!(a.recv().unwrap(), 2);
    });
}

fn double(x: u32) -> u32 {
    2 * x
}

#[test]
fn a_forked_copy_of_a_pool_neither_uses_nor_stops_its_parents_workers() {
    within(Duration::from_secs(20), || {
        let pool = Pool::new(Some(2)).unwrap();
        let workers = pool.worker_pids();
        assert_eq!(pool.apply_async(double, 1).unwrap().get().unwrap(), 2);
        let child = multitask::fork().unwrap();
        if child == 0 {
            // The copy refuses work, and dropping it (as returning from main would) must not
            // stop the workers, which are not this process's.
            let refused = pool
                .apply_async(double, 2)
                .is_err_and(|e| e.kind() == ErrorKind::State);
            drop(pool);
            // SAFETY: leaving the forked test process at once, without the harness's code.
            unsafe { libc::_exit(if refused { 0 } else { 1 }) };
        }
        let status = waitpid(Pid::from_raw(child), None).unwrap();
        assert_eq!(
            status,
            WaitStatus::Exited(Pid::from_raw(child), 0),
            "the copy took work"
        );
        for &worker in &workers {
            assert!(
                common::is_running(worker),
                "the copy stopped worker {worker}"
            );
        }
        assert_eq!(pool.worker_pids(), workers);
        for i in 0..10 {
            assert_eq!(pool.apply_async(double, i).unwrap().get().unwrap(), 2 * i);
        }
        pool.close().unwrap();
        pool.join().unwrap();
    });
}
