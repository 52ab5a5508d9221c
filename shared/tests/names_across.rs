//! Python's names on real processes, where a doctest in one process cannot show them: a
//! bounded queue between two processes, `close` in one process seen by another, a pool's
//! tasks all run when it is dropped, a one-way pipe across a fork.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{isolated, within};
use multitask::{ErrorKind, Pipe, Pool, Process, Queue};

#[test]
fn a_bounded_queue_never_holds_more_than_maxsize_and_loses_nothing() {
    isolated(Duration::from_secs(30), || {
        let q: Queue<u32> = Queue::with_maxsize(2).unwrap();
        let mut producer = Process::new(|| -> multitask::Result<()> {
            for i in 0..200 {
                q.put(i)?;
            }
            Ok(())
        });
        producer.start().unwrap();
        for i in 0..200 {
            assert!(q.qsize() <= 2, "qsize {} over maxsize 2", q.qsize());
            assert_eq!(q.get().unwrap(), i);
        }
        producer.join().unwrap();
        assert!(q.empty());
    });
}

#[test]
fn a_process_that_closed_the_queue_is_not_waited_for() {
    isolated(Duration::from_secs(30), || {
        let q: Queue<u8> = Queue::new().unwrap();
        let go: Queue<u8> = Queue::new().unwrap();
        let closed: Queue<u8> = Queue::new().unwrap();
        let mut child = Process::new(|| -> multitask::Result<()> {
            q.close();
            closed.put(1)?;
            // Still alive, but done with `q`.
            go.get().map(|_| ())
        });
        child.start().unwrap();
        closed.get().unwrap();
        let err = q.get_timeout(Duration::from_secs(20)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Disconnected, "{err}");
        go.put(1).unwrap();
        child.join().unwrap();
    });
}

/// Writes a file named after `i` in `dir`.
fn leave_a_mark((dir, i): (String, u32)) {
    std::thread::sleep(Duration::from_millis(5));
    let _ = std::fs::write(Path::new(&dir).join(i.to_string()), b"");
}

#[test]
fn a_dropped_pool_runs_every_task_it_was_given() {
    within(Duration::from_secs(30), || {
        let dir = std::env::temp_dir().join(format!("multitask-drop-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        {
            let pool = Pool::new(Some(2)).unwrap();
            for i in 0..20 {
                let _ = pool.apply_async(leave_a_mark, (dir.to_string_lossy().into_owned(), i));
            }
            // Dropped here: closed and joined.
        }
        let marks = std::fs::read_dir(&dir).unwrap().count();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(marks, 20);
    });
}

#[test]
fn a_one_way_pipe_carries_values_and_bytes_across_a_fork() {
    within(Duration::from_secs(30), || {
        let (receiver, sender) = Pipe::with_duplex(false).unwrap();
        let mut child = Process::new(|| -> multitask::Result<()> {
            receiver.close();
            sender.send("hello".to_string())?;
            sender.send_bytes(b"raw")
        });
        child.start().unwrap();
        sender.close();
        assert!(receiver.poll(Duration::from_secs(10)).unwrap());
        assert_eq!(receiver.recv().unwrap(), "hello");
        assert_eq!(receiver.recv_bytes().unwrap(), b"raw");
        child.join().unwrap();
        let err = receiver.recv().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Disconnected);
        assert_eq!(
            receiver.send("back".into()).unwrap_err().kind(),
            ErrorKind::State
        );
    });
}
