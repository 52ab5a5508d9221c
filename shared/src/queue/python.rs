//! The rest of Python's `multiprocessing.Queue`: `maxsize`, `qsize`, `empty`, `full`, `put` and
//! `get` with a timeout or none, `close`, `join_thread`; and the shared count of items they
//! read.

use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::packet::Packet;
use super::{LIVENESS_CHECK, Queue};
use crate::deadline;
use crate::error::{Error, ErrorKind, Result};
use crate::futex;
use crate::shm::ZeroedAtomics;

/// The items in a queue, in a page every fork shares: counts of items put and taken, each on
/// a cache line of its own, so that a writer and a reader on two cores do not pass one line
/// back and forth at every item (one shared count did, and cost the one-item queue a third).
#[repr(C)]
pub(super) struct Sizes {
    put: Line,
    taken: Line,
    /// Bumped at every get of a bounded queue, for puts waiting for room (a futex word).
    taken_seq: AtomicU32,
    putters_waiting: AtomicU32,
}

#[repr(C, align(64))]
struct Line(AtomicI64);

// SAFETY: only atomics; all zero is an empty queue with nobody waiting.
unsafe impl ZeroedAtomics for Sizes {}

impl Sizes {
    pub(super) fn added(&self, count: usize) {
        self.put.0.fetch_add(count as i64, Ordering::Release);
    }

    /// `count` items handed out; `bounded` queues wake a put waiting for room.
    pub(super) fn taken(&self, count: usize, bounded: bool) {
        self.taken.0.fetch_add(count as i64, Ordering::Release);
        if bounded {
            self.taken_seq.fetch_add(1, Ordering::AcqRel);
            if self.putters_waiting.load(Ordering::Acquire) > 0 {
                futex::wake(&self.taken_seq, i32::MAX);
            }
        }
    }

    /// Put and not yet handed out by a get (a get may count before its put does: never
    /// below zero).
    fn items(&self) -> usize {
        let taken = self.taken.0.load(Ordering::Acquire);
        let put = self.put.0.load(Ordering::Acquire);
        (put - taken).max(0) as usize
    }
}

impl<T: Serialize + DeserializeOwned> Queue<T> {
    /// Python's `maxsize`: the bound given to [`with_maxsize`](Queue::with_maxsize), 0 for none.
    ///
    /// ```
    /// assert_eq!(multitask::Queue::<u8>::with_maxsize(3)?.maxsize(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn maxsize(&self) -> usize {
        self.maxsize
    }

    /// Python's `qsize()`: how many items are in the queue, counted over every process (put
    /// and not yet taken; as in Python, it may be stale by the time it is read).
    ///
    /// ```
    /// let q = multitask::Queue::new()?;
    /// q.put(1u8)?;
    /// q.put(2u8)?;
    /// assert_eq!(q.qsize(), 2);
    /// q.get()?;
    /// assert_eq!(q.qsize(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn qsize(&self) -> usize {
        self.sizes.items()
    }

    /// Python's `empty()`: `qsize() == 0`.
    ///
    /// ```
    /// let q: multitask::Queue<u8> = multitask::Queue::new()?;
    /// assert!(q.empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn empty(&self) -> bool {
        self.qsize() == 0
    }

    /// Python's `full()`: a bounded queue holding `maxsize` items (never for an unbounded one).
    ///
    /// ```
    /// let q: multitask::Queue<u8> = multitask::Queue::with_maxsize(1)?;
    /// assert!(!q.full());
    /// q.put(1)?;
    /// assert!(q.full());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn full(&self) -> bool {
        self.maxsize > 0 && self.qsize() >= self.maxsize
    }

    /// Python's `put(item, timeout=...)`: fails with `Timeout` ("the queue is full", Python's
    /// `queue.Full`) when there is no room for `timeout` (`Duration::MAX`: never), and with
    /// `Disconnected` as soon as no other process holding the queue is left to make room.
    ///
    /// ```
    /// use std::time::Duration;
    /// use multitask::{ErrorKind, Process, Queue};
    /// let q = Queue::with_maxsize(1)?;
    /// let go: Queue<u8> = Queue::new()?;
    /// let mut idle = Process::new(|| go.get().map(|_| ())); // holds `q`, takes nothing
    /// idle.start()?;
    /// q.put_timeout(1u8, Duration::from_millis(5))?;
    /// let err = q.put_timeout(2u8, Duration::from_millis(5)).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Timeout);
    /// go.put(0)?;
    /// idle.join()?;
    /// assert_eq!(q.put(3).unwrap_err().kind(), ErrorKind::Disconnected);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn put_timeout(&self, item: T, timeout: Duration) -> Result<()> {
        self.put_deadline(Packet::One(&item), 1, deadline::after(timeout))
    }

    /// Python's `put_nowait(item)`: a put that fails with `Timeout` at once when the queue is
    /// full.
    ///
    /// ```
    /// let q = multitask::Queue::with_maxsize(1)?;
    /// q.put_nowait('a')?;
    /// assert!(q.put_nowait('b').is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn put_nowait(&self, item: T) -> Result<()> {
        self.put_deadline(Packet::One(&item), 1, Some(Instant::now()))
    }

    /// Python's `get_nowait()`: an item if one is there, else a `Timeout` error at once
    /// (Python's `queue.Empty`).
    ///
    /// ```
    /// let q = multitask::Queue::new()?;
    /// assert!(q.get_nowait().is_err());
    /// q.put(3u8)?;
    /// assert_eq!(q.get_nowait()?, 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_nowait(&self) -> Result<T> {
        self.get_deadline(Some(Instant::now()))
    }

    /// Python's `close()`: this process will neither put nor get any more (both fail with a
    /// `State` error after it); the queue goes on for the other processes, and a get waiting
    /// in another process no longer counts on this one to put (it may answer `Disconnected`
    /// once the others are gone).
    ///
    /// ```
    /// let q: multitask::Queue<u8> = multitask::Queue::new()?;
    /// q.close();
    /// assert!(q.put(1).is_err());
    /// q.join_thread()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn close(&self) {
        *self.closed.borrow_mut() = true;
        self.holders.unregister_me();
    }

    /// Python's `join_thread()`: waits until what this process put has been handed to the
    /// queue. A put here returns only once its item is in the shared ring (Python's goes to a
    /// feeder thread), so there is nothing to wait for; like Python's, only after `close`
    /// (else a `State` error).
    ///
    /// ```
    /// let q: multitask::Queue<u8> = multitask::Queue::new()?;
    /// assert!(q.join_thread().is_err());
    /// q.close();
    /// assert!(q.join_thread().is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn join_thread(&self) -> Result<()> {
        if *self.closed.borrow_mut() {
            return Ok(());
        }
        Err(Error::new(
            ErrorKind::State,
            "join_thread() can only be used after close()",
        ))
    }

    /// True when every other process holding the queue has exited (for `JoinableQueue::join`:
    /// nobody is left to finish a task).
    pub(crate) fn others_gone(&self) -> bool {
        self.holders.all_gone()
    }

    pub(super) fn check_open(&self) -> Result<()> {
        if *self.closed.borrow_mut() {
            return Err(Error::new(ErrorKind::State, "the queue is closed"));
        }
        Ok(())
    }

    /// Waits until a bounded queue holds fewer than `maxsize` items, until `deadline`; gives
    /// up with `Disconnected` when every other holder has exited (nobody is left to get).
    pub(super) fn wait_for_room(&self, deadline: Option<Instant>) -> Result<()> {
        if self.maxsize == 0 {
            return Ok(());
        }
        let sizes: &Sizes = &self.sizes;
        loop {
            let seq = sizes.taken_seq.load(Ordering::Acquire);
            if sizes.items() < self.maxsize {
                return Ok(());
            }
            if deadline::passed(deadline) {
                return Err(Error::new(ErrorKind::Timeout, "the queue is full"));
            }
            // Look again once they are gone: the last get may land just before its process
            // exits, after the look above.
            if self.holders.all_gone() && sizes.items() >= self.maxsize {
                return Err(Error::new(
                    ErrorKind::Disconnected,
                    "the queue is full and every other process holding it has exited",
                ));
            }
            sizes.putters_waiting.fetch_add(1, Ordering::AcqRel);
            if sizes.items() >= self.maxsize {
                let nap = deadline::left(deadline).min(LIVENESS_CHECK);
                futex::wait(&sizes.taken_seq, seq, nap);
            }
            sizes.putters_waiting.fetch_sub(1, Ordering::AcqRel);
        }
    }
}
