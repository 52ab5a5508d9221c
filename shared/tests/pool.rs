//! `Pool` on real worker processes: reuse, results, errors, timeouts.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::within;
use multitask::{ErrorKind, Pool};

fn whoami(i: u32) -> (u32, i32) {
    (i, multitask::current_pid())
}

#[test]
fn pool_of_two_runs_a_thousand_tasks_on_two_workers() {
    within(Duration::from_secs(60), || {
        let pool = Pool::new(Some(2)).unwrap();
        let handles: Vec<_> = (0..1000)
            .map(|i| pool.apply_async(whoami, i).unwrap())
            .collect();
        let mut pids = HashSet::new();
        for (i, h) in handles.iter().enumerate() {
            let (echo, pid) = h.get().unwrap();
            assert_eq!(echo as usize, i);
            assert_ne!(pid, multitask::current_pid());
            pids.insert(pid);
        }
        assert!(pids.len() <= 2, "{} distinct workers", pids.len());
        pool.close().unwrap();
        pool.join().unwrap();
    });
}

#[test]
fn default_size_is_the_cpu_count() {
    within(Duration::from_secs(10), || {
        let pool = Pool::new(None).unwrap();
        assert_eq!(pool.size(), multitask::cpu_count());
        assert_eq!(pool.worker_pids().len(), multitask::cpu_count());
    });
}

fn boom(_: ()) -> u8 {
    panic!("task exploded")
}

#[test]
fn a_panicking_task_fails_its_get_and_the_pool_goes_on() {
    within(Duration::from_secs(10), || {
        let pool = Pool::new(Some(1)).unwrap();
        let bad = pool.apply_async(boom, ()).unwrap();
        let good = pool.apply_async(whoami, 5).unwrap();
        let err = bad.get().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ChildPanicked);
        assert!(err.message().contains("task exploded"));
        assert_eq!(good.get().unwrap().0, 5);
    });
}

fn nap(ms: u64) -> u64 {
    std::thread::sleep(Duration::from_millis(ms));
    ms
}

#[test]
fn get_timeout_keeps_the_result_for_later() {
    within(Duration::from_secs(10), || {
        let pool = Pool::new(Some(1)).unwrap();
        let r = pool.apply_async(nap, 300).unwrap();
        let err = r.get_timeout(Duration::from_millis(20)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Timeout);
        assert_eq!(r.get_timeout(Duration::from_secs(5)).unwrap(), 300);
    });
}

#[test]
fn join_without_close_is_an_error_and_terminate_kills_workers() {
    within(Duration::from_secs(10), || {
        let pool = Pool::new(Some(2)).unwrap();
        let pids = pool.worker_pids();
        assert_eq!(pool.join().unwrap_err().kind(), ErrorKind::State);
        let r = pool.apply_async(nap, 60_000).unwrap();
        pool.terminate().unwrap();
        assert!(r.get().is_err());
        for pid in pids {
            assert!(common::is_reaped(pid), "worker {pid} left behind");
        }
    });
}

fn square(x: u64) -> u64 {
    x * x
}

#[test]
fn map_keeps_order_across_chunks() {
    within(Duration::from_secs(30), || {
        let pool = Pool::new(Some(2)).unwrap();
        let out = pool.map(square, (0..1000).collect(), 64).unwrap();
        assert_eq!(out, (0..1000u64).map(|x| x * x).collect::<Vec<_>>());
    });
}
