//! `Queue` between real processes: volume, order, dead writers, bad data.

mod common;

use std::time::{Duration, Instant};

use common::{isolated, within};
use multitask::{ErrorKind, Process, Queue};
use serde::{Deserialize, Serialize};

#[test]
fn hundred_thousand_items_arrive_complete_and_in_order() {
    within(Duration::from_secs(60), || {
        const N: u64 = 100_000;
        let q: Queue<u64> = Queue::new().unwrap();
        let mut writer = Process::new(|| -> multitask::Result<()> {
            for i in 0..N {
                q.put(i)?;
            }
            Ok(())
        });
        writer.start().unwrap();
        for expected in 0..N {
            assert_eq!(q.get().unwrap(), expected);
        }
        writer.join().unwrap();
    });
}

#[test]
fn batches_arrive_in_order_too() {
    within(Duration::from_secs(30), || {
        let q: Queue<u32> = Queue::new().unwrap();
        let mut writer = Process::new(|| -> multitask::Result<()> {
            for chunk in (0..10_000u32).collect::<Vec<_>>().chunks(333) {
                q.put_many(chunk.to_vec())?;
            }
            Ok(())
        });
        writer.start().unwrap();
        let mut got = Vec::new();
        while got.len() < 10_000 {
            got.extend(q.get_many(1000).unwrap());
        }
        writer.join().unwrap();
        assert_eq!(got, (0..10_000).collect::<Vec<_>>());
    });
}

#[test]
fn a_reader_whose_writer_exited_gets_an_error_within_a_second() {
    isolated(Duration::from_secs(10), || {
        let q: Queue<String> = Queue::new().unwrap();
        let mut writer = Process::new(|| q.put("last".to_string()));
        writer.start().unwrap();
        assert_eq!(q.get().unwrap(), "last");
        // The writer is now exiting (or has exited, unreaped): the next get must not hang.
        let t0 = Instant::now();
        let err = q.get().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Disconnected);
        assert!(
            t0.elapsed() < Duration::from_secs(1),
            "took {:?}",
            t0.elapsed()
        );
        writer.join().unwrap();
    });
}

#[test]
fn get_timeout_times_out_and_loses_nothing() {
    within(Duration::from_secs(10), || {
        let q: Queue<u8> = Queue::new().unwrap();
        let go: Queue<u8> = Queue::new().unwrap();
        let mut writer = Process::new(|| -> multitask::Result<()> {
            go.get()?;
            q.put(9)
        });
        writer.start().unwrap();
        assert_eq!(
            q.get_timeout(Duration::from_millis(50)).unwrap_err().kind(),
            ErrorKind::Timeout
        );
        go.put(1).unwrap();
        assert_eq!(q.get_timeout(Duration::from_secs(5)).unwrap(), 9);
        writer.join().unwrap();
    });
}

/// Serializes any value, but refuses odd numbers when deserializing: bad data on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
struct Even(u32);

impl TryFrom<u32> for Even {
    type Error = String;
    fn try_from(v: u32) -> Result<Self, String> {
        if v.is_multiple_of(2) {
            Ok(Even(v))
        } else {
            Err(format!("{v} is odd"))
        }
    }
}

impl From<Even> for u32 {
    fn from(e: Even) -> u32 {
        e.0
    }
}

#[test]
fn bad_data_is_an_error_naming_the_type_and_the_queue_goes_on() {
    within(Duration::from_secs(10), || {
        let q: Queue<Even> = Queue::new().unwrap();
        let mut writer = Process::new(|| -> multitask::Result<()> {
            q.put(Even(3))?;
            q.put(Even(4))
        });
        writer.start().unwrap();
        let err = q.get().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Deserialize);
        assert!(err.message().contains("Even"), "{}", err.message());
        assert_eq!(q.get().unwrap(), Even(4));
        writer.join().unwrap();
    });
}

#[test]
fn a_get_that_nobody_else_could_answer_fails_instead_of_hanging() {
    isolated(Duration::from_secs(10), || {
        let q: Queue<u8> = Queue::new().unwrap();
        let err = q.get().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Disconnected);
    });
}

#[test]
fn a_child_that_has_not_put_yet_keeps_the_reader_waiting() {
    within(Duration::from_secs(10), || {
        let q: Queue<u32> = Queue::new().unwrap();
        let go: Queue<u8> = Queue::new().unwrap();
        let mut early = Process::new(|| q.put(1));
        let mut late = Process::new(|| -> multitask::Result<()> {
            go.get()?;
            q.put(2)
        });
        early.start().unwrap();
        late.start().unwrap();
        assert_eq!(q.get().unwrap(), 1);
        early.join().unwrap();
        // The early writer is gone, the late one has not put yet: no Disconnected here.
        assert_eq!(
            q.get_timeout(Duration::from_millis(200))
                .unwrap_err()
                .kind(),
            ErrorKind::Timeout
        );
        go.put(1).unwrap();
        assert_eq!(q.get().unwrap(), 2);
        late.join().unwrap();
    });
}

#[test]
fn large_items_cross_and_too_large_ones_are_an_error() {
    within(Duration::from_secs(20), || {
        let q: Queue<Vec<u8>> = Queue::new().unwrap();
        let big = vec![7u8; 100_000];
        let mut writer = Process::new(|| q.put(vec![7u8; 100_000]));
        writer.start().unwrap();
        assert_eq!(q.get().unwrap(), big);
        writer.join().unwrap();
        let err = q.put(vec![0u8; 8 << 20]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Serialize);
        // A batch too big for one message is split, and arrives whole and in order.
        let many: Vec<Vec<u8>> = (0..100u8).map(|i| vec![i; 50_000]).collect();
        let mut writer = Process::new(|| q.put_many(many.clone()));
        writer.start().unwrap();
        let mut got = Vec::new();
        while got.len() < many.len() {
            got.extend(q.get_many(1000).unwrap());
        }
        writer.join().unwrap();
        assert_eq!(got, many);
    });
}

/// The last `task_done` can land between `join`'s read of the count and its look at who is
/// still alive; `join` must not then report those tasks unfinished. And a full queue's last
/// taker can make room just before it exits; the blocked `put` must not then report it full.
#[test]
fn a_holder_that_finishes_and_exits_at_once_is_not_taken_for_gone_with_work_left() {
    within(Duration::from_secs(60), || {
        for _ in 0..200 {
            let tasks = multitask::JoinableQueue::new().unwrap();
            let mut worker = Process::new(|| -> multitask::Result<()> {
                let n: u32 = tasks.get()?;
                tasks.task_done()?;
                assert_eq!(n, 7);
                Ok(())
            });
            worker.start().unwrap();
            tasks.put(7u32).unwrap();
            tasks.join().unwrap();
            worker.join().unwrap();

            let full: Queue<u8> = Queue::with_maxsize(1).unwrap();
            full.put(1).unwrap();
            let mut taker = Process::new(|| full.get().map(drop));
            taker.start().unwrap();
            full.put(2).unwrap();
            taker.join().unwrap();
            assert_eq!(full.get().unwrap(), 2);
        }
    });
}
