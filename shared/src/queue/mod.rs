//! `Queue`: Python's `multiprocessing.Queue`, a channel every forked process shares. Its
//! sizes and Python's smaller names (`qsize`, `put_nowait`, `close`, ...) are in `python`.

mod packet;
mod python;

use std::any::type_name;
use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorKind, Result};
use crate::holders::Holders;
use crate::per_process::PerProcess;
use crate::ring::Messages;
use crate::shm::Shared;
use crate::{codec, deadline};
use packet::{Items, Packet, PacketInto};

/// The largest emptied batch buffer kept until the next `put_many` (see `Queue::spare`).
const SPARE_MAX: usize = 1 << 20;

/// How often a blocked `get` looks whether any writer is still alive.
const LIVENESS_CHECK: Duration = Duration::from_millis(50);

/// A FIFO queue between processes, like `multiprocessing.Queue()`.
///
/// Create it in the parent, then start the processes that use it: each child works on its own
/// copy of the handle (they are forks), and items cross between processes as serde values (where
/// Python pickles). Each item is delivered to exactly one `get`, in the order it was put by its
/// writer. A blocked `get` fails with [`ErrorKind::Disconnected`] once the queue is empty and
/// every other process that holds it (its maker, and the children forked while it existed) has
/// exited, instead of hanging as Python's does.
///
/// ```
/// use multitask::{Process, Queue};
/// let q = Queue::new()?;
/// let mut pw = Process::new(|| q.put("A".to_string()));
/// pw.start()?;
/// assert_eq!(q.get()?, "A");
/// pw.join()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Queue<T> {
    channel: Messages,
    holders: Holders,
    /// This process's buffers for encoding and receiving, kept to save an allocation an item.
    out: PerProcess<Vec<u8>>,
    inbox: PerProcess<Vec<u8>>,
    /// Items of a batch received by this process but not yet taken (a child forked meanwhile
    /// starts with none: they are its parent's to hand out).
    pending: PerProcess<VecDeque<T>>,
    /// Where `get_many` decodes messages, its buffer replaced at each call by one allocated
    /// after the `Vec` handed out: with glibc's malloc, that `Vec`, freed by the caller after
    /// its items, would otherwise border the heap's free top, and freeing it then merges every
    /// small chunk just freed (the items' own allocations: `malloc_consolidate`), so that the
    /// next items are carved slowly out of the merged space instead of reusing those chunks.
    batch: PerProcess<Vec<T>>,
    /// The buffer of the last batch put, emptied, freed at the next `put_many` rather than
    /// right after its items: with glibc's malloc, a large block freed just after many small
    /// ones (the items' own allocations) can merge them all back into one free region
    /// (`malloc_consolidate`), and the caller's next items are then carved slowly out of it;
    /// at the next `put_many` the caller has just allocated its new items, and there is
    /// nothing small to merge.
    spare: PerProcess<Option<Vec<T>>>,
    /// Items in the queue, shared by every fork (Python's `qsize`).
    sizes: Shared<python::Sizes>,
    /// The most items the queue holds before a put waits (0: no bound).
    maxsize: usize,
    /// This process has called `close`.
    closed: PerProcess<bool>,
    _items: PhantomData<T>,
}

impl<T> fmt::Debug for Queue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Queue")
            .field("item", &type_name::<T>())
            .finish()
    }
}

impl<T: Serialize + DeserializeOwned> Queue<T> {
    /// An empty queue. Create it before forking the processes that share it.
    ///
    /// ```
    /// let q: multitask::Queue<u64> = multitask::Queue::new()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new() -> Result<Self> {
        Self::with_maxsize(0)
    }

    /// Python's `Queue(maxsize)`: a put waits while `maxsize` items are in the queue (0: no
    /// bound but the ring's 2 MiB).
    ///
    /// ```
    /// let q: multitask::Queue<u8> = multitask::Queue::with_maxsize(1)?;
    /// q.put(1)?;
    /// assert!(q.full());
    /// assert!(q.put_nowait(2).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_maxsize(maxsize: usize) -> Result<Self> {
        Ok(Queue {
            channel: Messages::new()?,
            holders: Holders::new()?,
            out: PerProcess::default(),
            inbox: PerProcess::default(),
            pending: PerProcess::default(),
            batch: PerProcess::default(),
            spare: PerProcess::default(),
            sizes: Shared::new()?,
            maxsize,
            closed: PerProcess::default(),
            _items: PhantomData,
        })
    }

    /// Puts one item (Python's `q.put(value)`). Blocks while the queue's 2 MiB ring is full:
    /// Python hands the item to a feeder thread instead, so a process that puts more than the
    /// ring holds before anyone reads waits here for a reader. Fails with `Disconnected` when
    /// the ring is full and every other process holding the queue has exited (nobody is left
    /// to take an item), as `get` does in the mirror case. An item that serializes to more
    /// than 1 MiB is an error (`Serialize`), found as it is encoded.
    ///
    /// ```
    /// let q = multitask::Queue::new()?;
    /// q.put(7u32)?;
    /// assert_eq!(q.get()?, 7);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn put(&self, item: T) -> Result<()> {
        self.put_deadline(Packet::One(&item), 1, None)
    }

    /// Puts many items as one message: far fewer system calls than one `put` each. All of them
    /// go to the same reader.
    ///
    /// ```
    /// let q = multitask::Queue::new()?;
    /// q.put_many(vec![1u8, 2, 3])?;
    /// assert_eq!(q.get_many(10)?, vec![1, 2, 3]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn put_many(&self, mut items: Vec<T>) -> Result<()> {
        if items.is_empty() {
            return Ok(());
        }
        // The buffer of the batch before goes now: see `spare`.
        drop(self.spare.borrow_mut().take());
        let count = items.len();
        let sent = self.put_deadline(Packet::Many(&items), count, None);
        items.clear();
        if items.capacity().saturating_mul(size_of::<T>()) <= SPARE_MAX {
            *self.spare.borrow_mut() = Some(items);
        }
        sent
    }

    /// Puts `count` items, waiting until `deadline` for room (`maxsize`, then the ring's).
    fn put_deadline(
        &self,
        packet: Packet<'_, T>,
        count: usize,
        deadline: Option<Instant>,
    ) -> Result<()> {
        self.check_open()?;
        self.wait_for_room(deadline)?;
        self.send(packet, deadline)?;
        self.sizes.added(count);
        Ok(())
    }

    fn send(&self, packet: Packet<'_, T>, deadline: Option<Instant>) -> Result<()> {
        self.holders.register_me();
        let mut out = self.out.borrow_mut();
        out.clear();
        let limit = self.channel.max_message();
        if !codec::encode_within(&packet, &mut out, type_name::<T>(), limit)? {
            drop(out);
            return match packet {
                // Too big for one message: two halves, each split again if need be.
                Packet::Many(items) if items.len() > 1 => {
                    let (head, tail) = items.split_at(items.len() / 2);
                    self.send(Packet::Many(head), deadline)?;
                    self.send(Packet::Many(tail), deadline)
                }
                _ => Err(Error::new(
                    ErrorKind::Serialize,
                    format!(
                        "a {} is over the {limit} bytes a queue message carries",
                        type_name::<T>()
                    ),
                )),
            };
        }
        // As a blocked `get` does: wait in slices, and between them look whether anyone who
        // could make room (by taking an item) is still alive.
        loop {
            let slice = deadline::left(deadline).min(LIVENESS_CHECK);
            if self.channel.send_within(&out, slice)? {
                return Ok(());
            }
            if deadline::passed(deadline) {
                return Err(Error::new(ErrorKind::Timeout, "the queue stayed full"));
            }
            if self.holders.all_gone() {
                // Room may have been made just before the last other holder exited.
                if self.channel.send_within(&out, Duration::ZERO)? {
                    return Ok(());
                }
                return Err(Error::new(
                    ErrorKind::Disconnected,
                    "the queue is full and every other process holding it has exited",
                ));
            }
        }
    }

    /// Takes the next item, waiting as long as it takes (Python's `q.get(True)`).
    ///
    /// Fails with `Disconnected` when it is empty and every other process holding the queue has
    /// exited, and with `Deserialize` (naming the type) on an item that does not decode; the
    /// queue goes on working after either.
    ///
    /// ```
    /// let q = multitask::Queue::new()?;
    /// q.put("B".to_string())?;
    /// assert_eq!(q.get()?, "B");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get(&self) -> Result<T> {
        self.get_deadline(None)
    }

    /// Like [`get`](Queue::get), but fails with `Timeout` after `timeout`; call again to go on
    /// waiting, nothing is lost.
    ///
    /// ```
    /// use std::time::Duration;
    /// use multitask::{ErrorKind, Process, Queue};
    /// let q: Queue<u8> = Queue::new()?;
    /// let go: Queue<u8> = Queue::new()?;
    /// let mut writer = Process::new(|| -> multitask::Result<()> {
    ///     go.get()?;
    ///     q.put(7)
    /// });
    /// writer.start()?;
    /// let err = q.get_timeout(Duration::from_millis(5)).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Timeout);
    /// go.put(1)?;
    /// assert_eq!(q.get_timeout(Duration::from_secs(5))?, 7);
    /// writer.join()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_timeout(&self, timeout: Duration) -> Result<T> {
        self.get_deadline(deadline::after(timeout))
    }

    /// Takes up to `max` items that have arrived, waiting for the first one like `get`.
    ///
    /// ```
    /// let q = multitask::Queue::new()?;
    /// q.put(1u8)?;
    /// q.put(2u8)?;
    /// let got = q.get_many(10)?;
    /// assert!(got == vec![1, 2] || got == vec![1]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_many(&self, max: usize) -> Result<Vec<T>> {
        self.check_open()?;
        let out = self.take_many(max.max(1))?;
        self.sizes.taken(out.len(), self.maxsize > 0);
        Ok(out)
    }

    /// The items waiting in this process, then whatever else has arrived, up to `max` in all.
    /// Messages are decoded onto `batch`, moved out in one copy (`append`) into a `Vec`
    /// allocated after their items were; `batch` then gets a new buffer, allocated after that
    /// one (see `Queue::batch` for why the order matters to malloc).
    fn take_many(&self, max: usize) -> Result<Vec<T>> {
        let mut pending = self.pending.borrow_mut();
        if pending.len() >= max {
            return Ok(pending.drain(..max).collect());
        }
        let mut batch = self.batch.borrow_mut();
        let gathered = (|| {
            if pending.is_empty() && !self.try_take(&mut *batch)? {
                self.wait_message(None, &mut *batch)?;
            }
            while pending.len() + batch.len() < max && self.try_take(&mut *batch)? {}
            Ok(())
        })();
        if let Err(e) = gathered {
            // What arrived before the failure waits for the next take, in order.
            pending.extend(batch.drain(..));
            return Err(e);
        }
        let n = (pending.len() + batch.len()).min(max);
        let mut out = Vec::with_capacity(n);
        out.extend(pending.drain(..));
        let rest = n - out.len();
        if rest < batch.len() {
            out.extend(batch.drain(..rest));
            pending.extend(batch.drain(..));
        } else {
            out.append(&mut batch);
        }
        *batch = Vec::with_capacity(n);
        Ok(out)
    }

    fn get_deadline(&self, deadline: Option<Instant>) -> Result<T> {
        self.check_open()?;
        let item = self.take_one(deadline)?;
        self.sizes.taken(1, self.maxsize > 0);
        Ok(item)
    }

    fn take_one(&self, deadline: Option<Instant>) -> Result<T> {
        let mut pending = self.pending.borrow_mut();
        loop {
            if let Some(item) = pending.pop_front() {
                return Ok(item);
            }
            if !self.try_take(&mut *pending)? {
                self.wait_message(deadline, &mut *pending)?;
            }
        }
    }

    /// Waits until a message has arrived and been taken (its items at the back of `into`),
    /// until `deadline`.
    fn wait_message<L: Items<T>>(&self, deadline: Option<Instant>, into: &mut L) -> Result<()> {
        loop {
            let slice = match deadline {
                None => LIVENESS_CHECK,
                Some(d) => match d.checked_duration_since(Instant::now()) {
                    Some(left) if !left.is_zero() => left.min(LIVENESS_CHECK),
                    _ => {
                        return Err(Error::new(ErrorKind::Timeout, "the queue stayed empty"));
                    }
                },
            };
            self.channel.wait_readable(slice);
            if self.try_take(into)? {
                return Ok(());
            }
            if self.holders.all_gone() {
                // A last item may have landed just before its writer exited.
                return match self.try_take(into)? {
                    true => Ok(()),
                    false => Err(Error::new(
                        ErrorKind::Disconnected,
                        "every other process holding the queue has exited",
                    )),
                };
            }
        }
    }

    /// Takes one message if one has arrived, its items decoded onto the back of `into`; false
    /// when none had. A message that does not decode is consumed and reported, and none of its
    /// items is kept.
    fn try_take<L: Items<T>>(&self, into: &mut L) -> Result<bool> {
        let mut inbox = self.inbox.borrow_mut();
        if !self.channel.try_recv(&mut inbox)? {
            return Ok(false);
        }
        let before = into.len();
        codec::decode_seed(&inbox, PacketInto(into, PhantomData), type_name::<T>())
            .inspect_err(|_| into.truncate(before))?;
        Ok(true)
    }
}
