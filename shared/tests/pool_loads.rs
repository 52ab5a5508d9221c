//! Issue 13, faults 1 and 2, replayed on real workers: messages bigger than a socket buffer in
//! both directions at once, a worker killed while it receives one, and a failure on the worker's
//! side that must come back with its kind and serde's own message.

mod common;

use std::time::Duration;

use common::within;
use multitask::{ErrorKind, Pipe, Pool, Process, Queue};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use serde::{Deserialize, Serialize};

const MIB: usize = 1 << 20;

fn echo(bytes: Vec<u8>) -> Vec<u8> {
    bytes
}

fn length(bytes: Vec<u8>) -> usize {
    bytes.len()
}

#[test]
fn two_one_mib_tasks_on_a_pool_of_one_both_return() {
    within(Duration::from_secs(60), || {
        let pool = Pool::new(Some(1)).unwrap();
        let first = pool.apply_async(echo, vec![1u8; MIB]).unwrap();
        let second = pool.apply_async(echo, vec![2u8; MIB]).unwrap();
        assert_eq!(first.get().unwrap(), vec![1u8; MIB]);
        assert_eq!(second.get().unwrap(), vec![2u8; MIB]);
        pool.close().unwrap();
        pool.join().unwrap();
    });
}

#[test]
fn big_arguments_and_big_results_cross_at_once_and_map_sends_big_chunks() {
    within(Duration::from_secs(120), || {
        let pool = Pool::new(Some(2)).unwrap();
        let handles: Vec<_> = (0..12u8)
            .map(|i| {
                pool.apply_async(echo, vec![i; MIB + usize::from(i)])
                    .unwrap()
            })
            .collect();
        for (i, h) in handles.iter().enumerate() {
            let got = h.get().unwrap();
            assert_eq!(got.len(), MIB + i);
            assert!(
                got.iter().all(|&b| usize::from(b) == i),
                "task {i} corrupted"
            );
        }
        // Eight items of 256 KiB a chunk: 2 MiB a message.
        let items: Vec<Vec<u8>> = (0..64u8).map(|i| vec![i; MIB / 4]).collect();
        let lengths = pool.map(length, items, 8).unwrap();
        assert_eq!(lengths, vec![MIB / 4; 64]);
        pool.close().unwrap();
        pool.join().unwrap();
    });
}

#[test]
fn a_worker_killed_while_it_receives_a_task_loses_nothing() {
    within(Duration::from_secs(60), || {
        let pool = Pool::new(Some(1)).unwrap();
        let victim = pool.worker_pids()[0];
        // 16 MiB cannot all be in the socket: the rest waits in this process, which does not
        // call into the pool until the worker is dead, so the worker is still receiving.
        let big = pool.apply_async(length, vec![9u8; 16 * MIB]).unwrap();
        kill(Pid::from_raw(victim), Signal::SIGKILL).unwrap();
        assert_eq!(big.get().unwrap(), 16 * MIB);
        let workers = pool.worker_pids();
        assert_eq!(workers.len(), 1);
        assert_ne!(workers[0], victim, "the dead worker was replaced");
        assert!(common::is_reaped(victim));
    });
}

/// Serializes only even numbers, deserializes only even numbers: each way's failure carries
/// a message of its own.
#[derive(Debug, Clone, PartialEq)]
struct Even(u32);

impl Serialize for Even {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0 % 2 == 1 {
            return Err(serde::ser::Error::custom(format!(
                "{} is odd, cannot send",
                self.0
            )));
        }
        s.serialize_u32(self.0)
    }
}

impl<'de> Deserialize<'de> for Even {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = u32::deserialize(d)?;
        if n % 2 == 1 {
            return Err(serde::de::Error::custom(format!("{n} is odd, cannot take")));
        }
        Ok(Even(n))
    }
}

fn make_even(n: u32) -> Even {
    Even(n)
}

#[test]
fn a_result_that_fails_to_serialize_in_the_worker_keeps_its_kind_and_message() {
    within(Duration::from_secs(20), || {
        let pool = Pool::new(Some(1)).unwrap();
        let err = pool.apply_async(make_even, 3).unwrap().get().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Serialize, "{err}");
        assert!(err.message().contains("3 is odd, cannot send"), "{err}");
        assert!(err.message().contains("Even"), "{err}");
        assert_eq!(err.pid(), Some(pool.worker_pids()[0]));
        assert_eq!(
            pool.apply_async(make_even, 4).unwrap().get().unwrap(),
            Even(4)
        );
    });
}

/// Serializes any number but deserializes only even ones: bad data on the wire.
#[derive(Debug, Clone, PartialEq)]
struct Strict(u32);

impl Serialize for Strict {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.0)
    }
}

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Even::deserialize(d).map(|e| Strict(e.0))
    }
}

fn half_of_even(n: Even) -> u32 {
    n.0 / 2
}

fn half_of_strict(n: Strict) -> u32 {
    n.0 / 2
}

fn strict(n: u32) -> Strict {
    Strict(n)
}

fn boom(_: u32) -> u32 {
    panic!("task exploded")
}

#[test]
fn every_other_serde_failure_keeps_its_kind_and_message_and_a_panic_stays_a_panic() {
    within(Duration::from_secs(30), || {
        let pool = Pool::new(Some(1)).unwrap();
        // An argument this process cannot serialize.
        let err = pool.apply_async(half_of_even, Even(5)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Serialize);
        assert!(err.message().contains("5 is odd, cannot send"), "{err}");
        // An argument the worker cannot deserialize.
        let err = pool
            .apply_async(half_of_strict, Strict(7))
            .unwrap()
            .get()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Deserialize, "{err}");
        assert!(err.message().contains("7 is odd, cannot take"), "{err}");
        // A result this process cannot deserialize.
        let err = pool.apply_async(strict, 9).unwrap().get().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Deserialize, "{err}");
        assert!(err.message().contains("9 is odd, cannot take"), "{err}");
        // A panic is a panic.
        let err = pool.apply_async(boom, 1).unwrap().get().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ChildPanicked);
        assert!(err.message().contains("task exploded"), "{err}");
        assert_eq!(
            pool.apply_async(half_of_strict, Strict(8))
                .unwrap()
                .get()
                .unwrap(),
            4
        );

        // A Queue and a Pipe: an item that does not serialize, and bad data, the same way.
        let q: Queue<Even> = Queue::new().unwrap();
        let err = q.put(Even(1)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Serialize);
        assert!(err.message().contains("1 is odd, cannot send"), "{err}");
        let q: Queue<Strict> = Queue::new().unwrap();
        let (a, b) = Pipe::new::<Strict>().unwrap();
        let mut writer = Process::new(|| -> multitask::Result<()> {
            q.put(Strict(11))?;
            b.send(Strict(13))?;
            q.put(Strict(2))?;
            b.send(Strict(4))
        });
        writer.start().unwrap();
        let err = q.get().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Deserialize);
        assert!(err.message().contains("11 is odd, cannot take"), "{err}");
        let err = a.recv().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Deserialize);
        assert!(err.message().contains("13 is odd, cannot take"), "{err}");
        assert_eq!(q.get().unwrap(), Strict(2));
        assert_eq!(a.recv().unwrap(), Strict(4));
        writer.join().unwrap();
    });
}
