//! The bookkeeping's unit tests: batching, lanes, bytes, first answer, a dead worker's tasks.

use super::*;
use crate::pool::messages::{Failure, FailureKind, Reply};

fn reply(id: u64, micros: u64, value: u8) -> Reply {
    Reply {
        id,
        micros,
        outcome: Outcome::Value(vec![value]),
    }
}

fn answer(book: &mut Book, pid: i32, replies: Vec<Reply>) {
    book.record(FromWorker { pid, replies });
}

fn submit(book: &mut Book, bytes: usize) -> u64 {
    book.submit(1, 2, vec![0; bytes]).unwrap()
}

#[test]
fn long_tasks_go_one_at_a_time_to_idle_workers_only() {
    let mut book = Book::new(2);
    for _ in 0..5 {
        submit(&mut book, 0);
    }
    assert_eq!(book.next_batch(), Some((0, vec![1])));
    assert_eq!(book.next_batch(), Some((1, vec![2])));
    assert_eq!(book.next_batch(), None, "both workers busy: task 3 waits");
    answer(&mut book, 8, vec![reply(2, 1_000_000, 0)]);
    assert_eq!(book.next_batch(), Some((1, vec![3])));
}

#[test]
fn short_tasks_go_in_batches_two_deep_per_worker() {
    let mut book = Book::new(1);
    let ids: Vec<u64> = (0..1000).map(|_| submit(&mut book, 0)).collect();
    assert_eq!(ids[..3], [1, 2, 3]);
    assert_eq!(book.next_batch(), Some((0, vec![1])));
    answer(&mut book, 7, vec![reply(1, 10, 0)]);
    // 10 µs a task: 50 tasks make BATCH_WORK; two such batches out at once, no third.
    let (_, first) = book.next_batch().unwrap();
    assert_eq!(first, (2..=51).collect::<Vec<_>>());
    let (_, second) = book.next_batch().unwrap();
    assert_eq!(second, (52..=101).collect::<Vec<_>>());
    assert_eq!(book.next_batch(), None);
    assert!(book.wants_dispatch(), "a full batch waits");
}

#[test]
fn bytes_out_with_a_worker_are_bounded_but_a_big_task_still_goes() {
    let mut book = Book::new(1);
    let big = submit(&mut book, 3 * LANE_BYTES);
    let small: Vec<u64> = (0..3).map(|_| submit(&mut book, LANE_BYTES / 2)).collect();
    assert_eq!(book.next_batch(), Some((0, vec![big])));
    assert_eq!(book.next_batch(), None);
    answer(&mut book, 7, vec![reply(big, 1, 0)]);
    // Short by now (1 µs), so batched, but only as many as fit in LANE_BYTES.
    assert_eq!(book.next_batch(), Some((0, small[..2].to_vec())));
    assert_eq!(book.next_batch(), None);
}

#[test]
fn the_first_answer_wins_and_unwanted_answers_are_dropped() {
    let mut book = Book::new(2);
    let a = submit(&mut book, 0);
    let b = submit(&mut book, 0);
    book.next_batch().unwrap();
    book.next_batch().unwrap();
    book.forget(b);
    answer(&mut book, 7, vec![reply(a, 5, 42), reply(b, 5, 43)]);
    book.worker_died(0, 7, Ended::Signaled(9), a);
    assert_eq!(book.result(a).unwrap().as_ref().unwrap(), &vec![42]);
    assert_eq!(
        book.result(a).unwrap().as_ref().unwrap(),
        &vec![42],
        "again"
    );
    assert!(book.result(b).is_none());
    assert!(book.idle());
}

#[test]
fn a_dead_workers_current_task_fails_and_the_rest_of_its_lane_goes_again_first() {
    let mut book = Book::new(2);
    for _ in 0..8 {
        submit(&mut book, 0);
    }
    book.next_batch().unwrap();
    answer(&mut book, 7, vec![reply(1, 1, 0)]);
    let (lane, batch) = book.next_batch().unwrap();
    assert_eq!((lane, batch.len()), (0, 7));
    answer(&mut book, 7, vec![reply(2, 1, 0)]);
    book.worker_died(0, 7, Ended::Signaled(9), 3);
    let err = book.result(3).unwrap().clone().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::WorkerDied);
    assert_eq!(err.pid(), Some(7));
    assert_eq!(
        err.message(),
        "worker 7 killed by SIGKILL while running task 3"
    );
    let (_, again) = book.next_batch().unwrap();
    assert_eq!(again, vec![4, 5, 6, 7, 8]);
    assert_eq!(book.result(2).unwrap().as_ref().unwrap(), &vec![0]);
}

#[test]
fn a_worker_dead_before_it_started_its_batch_loses_nothing() {
    let mut book = Book::new(1);
    let id = submit(&mut book, 2 << 20);
    assert_eq!(book.next_batch(), Some((0, vec![id])));
    book.worker_died(0, 7, Ended::Signaled(9), 0);
    assert!(book.result(id).is_none());
    assert_eq!(book.next_batch(), Some((0, vec![id])), "sent again");
}

#[test]
fn a_failure_keeps_its_kind_and_closing_refuses_new_tasks() {
    let mut book = Book::new(1);
    let panicked = submit(&mut book, 0);
    let unserializable = submit(&mut book, 0);
    book.next_batch().unwrap();
    let failed = |id, kind, message: &str| Reply {
        id,
        micros: 1,
        outcome: Outcome::Failed(Failure {
            kind,
            message: message.to_string(),
        }),
    };
    answer(
        &mut book,
        8,
        vec![failed(panicked, FailureKind::Panicked, "boom")],
    );
    book.next_batch().unwrap();
    let message = "a Odd: 3 is odd";
    answer(
        &mut book,
        8,
        vec![failed(unserializable, FailureKind::Serialize, message)],
    );
    let err = book.result(panicked).unwrap().clone().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ChildPanicked);
    assert_eq!(err.message(), "task 1 panicked: boom");
    let err = book.result(unserializable).unwrap().clone().unwrap_err();
    assert_eq!((err.kind(), err.message()), (ErrorKind::Serialize, message));
    assert_eq!(err.pid(), Some(8));
    book.close();
    assert_eq!(
        book.submit(1, 2, vec![]).unwrap_err().kind(),
        ErrorKind::State
    );
    assert!(book.finish(true));
    assert!(!book.finish(true));
}
