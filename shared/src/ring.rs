//! A many-writer, many-reader message ring in memory shared by every fork of the process that
//! made it: what a `Queue` carries. A put or a get is a copy under a lock and, most of the time,
//! no system call at all: a reader that finds the ring empty spins a moment before it sleeps on a
//! futex, and a writer wakes sleepers only when there are some.
//!
//! A process may die anywhere, even holding the lock: the lock is a robust, process-shared
//! pthread mutex (the next locker is told, and goes on), and the ring's state changes by a
//! single store of `head` or `tail` after the bytes are copied, so a death mid-copy leaves it as
//! it was: a writer's half-written message is never seen, a reader's half-read one is read again
//! by the next reader.

use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

use crate::error::{Error, ErrorKind, Result};
use crate::futex;
use crate::shm::{Shared, ZeroedAtomics};

/// Bytes in the ring: messages of up to half of it, and room for many small ones.
const CAPACITY: usize = 2 << 20;
/// A message's length prefix.
const HEADER: usize = 4;
/// How many times a reader looks for a message before it sleeps (about 20 µs): a writer on the
/// other core usually puts the next one by then, and no system call is made on either side.
const SPINS: u32 = 400;

/// The shared part.
#[repr(C)]
struct Ring {
    lock: UnsafeCell<libc::pthread_mutex_t>,
    /// Bytes taken and put since the start (`tail - head` are in the ring); changed under the
    /// lock, read without it to tell whether to try.
    head: AtomicU64,
    tail: AtomicU64,
    /// Bumped at every put and take, for sleepers to wait on (futex words).
    data_seq: AtomicU32,
    space_seq: AtomicU32,
    /// Readers and writers asleep, or about to be (a dead one only costs a spare wake-up).
    readers_waiting: AtomicU32,
    writers_waiting: AtomicU32,
    bytes: UnsafeCell<[u8; CAPACITY]>,
}

// SAFETY: all zero is an empty ring (its mutex is initialized before first use, in
// `Messages::new`); `bytes` and the mutex are only touched under the mutex, the rest is atomic.
unsafe impl ZeroedAtomics for Ring {}

/// A handle on a ring; every fork's copy reaches the same one.
pub(crate) struct Messages {
    ring: Shared<Ring>,
}

impl std::fmt::Debug for Messages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let used = self.ring.tail.load(Ordering::Relaxed) - self.ring.head.load(Ordering::Relaxed);
        f.debug_struct("Messages")
            .field("bytes_used", &used)
            .finish()
    }
}

/// The lock, held; released when dropped.
struct Locked<'a>(&'a Ring);

impl Drop for Locked<'_> {
    fn drop(&mut self) {
        // SAFETY: this process holds the mutex (Locked exists only then).
        unsafe { libc::pthread_mutex_unlock(self.0.lock.get()) };
    }
}

impl Messages {
    pub(crate) fn new() -> Result<Self> {
        let ring = Shared::<Ring>::new()?;
        // SAFETY: a fresh attribute object, set up and destroyed here; the mutex is in the
        // shared mapping nobody else sees yet, initialized once.
        unsafe {
            let mut attr: libc::pthread_mutexattr_t = std::mem::zeroed();
            let mut made = libc::pthread_mutexattr_init(&mut attr);
            if made == 0 {
                libc::pthread_mutexattr_setpshared(&mut attr, libc::PTHREAD_PROCESS_SHARED);
                libc::pthread_mutexattr_setrobust(&mut attr, libc::PTHREAD_MUTEX_ROBUST);
                made = libc::pthread_mutex_init(ring.lock.get(), &attr);
                libc::pthread_mutexattr_destroy(&mut attr);
            }
            if made != 0 {
                return Err(Error::os(
                    "pthread_mutex_init",
                    nix::errno::Errno::from_raw(made),
                ));
            }
        }
        Ok(Messages { ring })
    }

    /// The largest message, in bytes.
    pub(crate) fn max_message(&self) -> usize {
        CAPACITY / 2 - HEADER
    }

    fn lock(&self) -> Result<Locked<'_>> {
        let ring: &Ring = &self.ring;
        // SAFETY: the mutex was initialized in `new` and lives as long as the mapping.
        match unsafe { libc::pthread_mutex_lock(ring.lock.get()) } {
            0 => Ok(Locked(ring)),
            libc::EOWNERDEAD => {
                // Its holder died; every change is one final store, so the ring is whole.
                // SAFETY: we hold the mutex, as EOWNERDEAD says.
                unsafe { libc::pthread_mutex_consistent(ring.lock.get()) };
                Ok(Locked(ring))
            }
            e => Err(Error::os(
                "pthread_mutex_lock",
                nix::errno::Errno::from_raw(e),
            )),
        }
    }

    /// Puts one message, waiting while the ring has no room for it (a test's shorthand).
    #[cfg(test)]
    pub(crate) fn send(&self, bytes: &[u8]) -> Result<()> {
        while !self.send_within(bytes, Duration::from_secs(3600))? {}
        Ok(())
    }

    /// Puts one message, waiting at most `slice` for room: false when there was none (the
    /// caller looks whether anyone is left to make room, then calls again).
    pub(crate) fn send_within(&self, bytes: &[u8], slice: Duration) -> Result<bool> {
        if bytes.len() > self.max_message() {
            return Err(Error::new(
                ErrorKind::Serialize,
                format!(
                    "a message of {} bytes is over the {} bytes a queue carries",
                    bytes.len(),
                    self.max_message()
                ),
            ));
        }
        let need = (HEADER + bytes.len()) as u64;
        let ring: &Ring = &self.ring;
        // Read the clock only once the ring is full: a put that finds room makes no call.
        let mut deadline = None;
        loop {
            let locked = self.lock()?;
            let (head, tail) = (
                ring.head.load(Ordering::Relaxed),
                ring.tail.load(Ordering::Relaxed),
            );
            if CAPACITY as u64 - (tail - head) >= need {
                self.copy_in(&locked, tail, &(bytes.len() as u32).to_le_bytes());
                self.copy_in(&locked, tail + HEADER as u64, bytes);
                ring.tail.store(tail + need, Ordering::Release);
                ring.data_seq.fetch_add(1, Ordering::Release);
                let wake = ring.readers_waiting.load(Ordering::Acquire) > 0;
                drop(locked);
                if wake {
                    futex::wake(&ring.data_seq, 1);
                }
                return Ok(true);
            }
            let deadline = *deadline.get_or_insert_with(|| crate::deadline::after(slice));
            if crate::deadline::passed(deadline) {
                return Ok(false);
            }
            let seq = ring.space_seq.load(Ordering::Acquire);
            ring.writers_waiting.fetch_add(1, Ordering::AcqRel);
            drop(locked);
            let nap = crate::deadline::left(deadline).min(Duration::from_millis(50));
            futex::wait(&ring.space_seq, seq, nap);
            ring.writers_waiting.fetch_sub(1, Ordering::AcqRel);
        }
    }

    /// Takes one message into `buf` (replacing its contents) if one is there; never waits.
    pub(crate) fn try_recv(&self, buf: &mut Vec<u8>) -> Result<bool> {
        let ring: &Ring = &self.ring;
        if ring.head.load(Ordering::Acquire) == ring.tail.load(Ordering::Acquire) {
            return Ok(false);
        }
        let locked = self.lock()?;
        let (head, tail) = (
            ring.head.load(Ordering::Relaxed),
            ring.tail.load(Ordering::Relaxed),
        );
        if head == tail {
            return Ok(false);
        }
        let mut len = [0u8; HEADER];
        self.copy_out(&locked, head, &mut len);
        let len = u32::from_le_bytes(len) as usize;
        buf.clear();
        buf.reserve(len);
        let spare = &mut buf.spare_capacity_mut()[..len];
        // The bytes go straight into the buffer's spare room: no zeroing first.
        self.copy_out_raw(
            &locked,
            head + HEADER as u64,
            spare.as_mut_ptr().cast(),
            len,
        );
        // SAFETY: `copy_out_raw` initialized the first `len` bytes of the spare capacity,
        // which `reserve` made at least `len` long.
        unsafe { buf.set_len(len) };
        let head = head + (HEADER + len) as u64;
        ring.head.store(head, Ordering::Release);
        ring.space_seq.fetch_add(1, Ordering::Release);
        // Writers wait for half the ring (any message fits then): waking them sooner would
        // wake them once a message.
        let wake = ring.writers_waiting.load(Ordering::Acquire) > 0
            && CAPACITY as u64 - (tail - head) >= (CAPACITY / 2) as u64;
        drop(locked);
        if wake {
            futex::wake(&ring.space_seq, i32::MAX);
        }
        Ok(true)
    }

    /// Waits until a message may be there, at most `timeout`: a short spin first, then sleep.
    pub(crate) fn wait_readable(&self, timeout: Duration) {
        let ring: &Ring = &self.ring;
        let has_data = || ring.head.load(Ordering::Acquire) != ring.tail.load(Ordering::Acquire);
        for _ in 0..SPINS {
            if has_data() {
                return;
            }
            std::hint::spin_loop();
        }
        let Ok(locked) = self.lock() else {
            return;
        };
        if has_data() {
            return;
        }
        let seq = ring.data_seq.load(Ordering::Acquire);
        ring.readers_waiting.fetch_add(1, Ordering::AcqRel);
        drop(locked);
        futex::wait(&ring.data_seq, seq, timeout);
        ring.readers_waiting.fetch_sub(1, Ordering::AcqRel);
    }

    /// Copies `bytes` into the ring at byte position `at` (wrapping round).
    fn copy_in(&self, _locked: &Locked<'_>, at: u64, bytes: &[u8]) {
        let start = (at % CAPACITY as u64) as usize;
        let first = bytes.len().min(CAPACITY - start);
        let base = self.ring.bytes.get().cast::<u8>();
        // SAFETY: we hold the lock (`_locked`), both ranges are inside the ring, and `bytes`
        // is not in it.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), base.add(start), first);
            std::ptr::copy_nonoverlapping(bytes.as_ptr().add(first), base, bytes.len() - first);
        }
    }

    /// Copies from the ring at byte position `at` (wrapping round) into `out`.
    fn copy_out(&self, locked: &Locked<'_>, at: u64, out: &mut [u8]) {
        self.copy_out_raw(locked, at, out.as_mut_ptr(), out.len());
    }

    /// Copies `len` bytes from the ring at byte position `at` (wrapping round) to `out`, which
    /// must be valid for `len` bytes of writes (initialized or not) and outside the ring.
    fn copy_out_raw(&self, _locked: &Locked<'_>, at: u64, out: *mut u8, len: usize) {
        let start = (at % CAPACITY as u64) as usize;
        let first = len.min(CAPACITY - start);
        let base = self.ring.bytes.get().cast::<u8>();
        // SAFETY: we hold the lock (`_locked`), both ring ranges are inside the ring, and
        // `out` is valid for `len` bytes and not in it (this function's contract: its callers
        // pass a slice's pointer or reserved spare capacity).
        unsafe {
            std::ptr::copy_nonoverlapping(base.add(start), out, first);
            std::ptr::copy_nonoverlapping(base, out.add(first), len - first);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_wrap_round_the_ring_whole_and_in_order() {
        let ring = Messages::new().unwrap();
        let mut buf = Vec::new();
        assert!(!ring.try_recv(&mut buf).unwrap());
        // More than the ring holds in all, so the positions wrap several times.
        for round in 0..40u32 {
            let message = vec![round as u8; 300_000 + round as usize];
            ring.send(&message).unwrap();
            ring.send(b"").unwrap();
            assert!(ring.try_recv(&mut buf).unwrap());
            assert_eq!(buf, message);
            assert!(ring.try_recv(&mut buf).unwrap());
            assert!(buf.is_empty());
        }
        assert!(!ring.try_recv(&mut buf).unwrap());
        let too_big = vec![0u8; ring.max_message() + 1];
        assert_eq!(
            ring.send(&too_big).unwrap_err().kind(),
            ErrorKind::Serialize
        );
    }

    #[test]
    fn a_process_that_dies_holding_the_lock_does_not_stop_the_others() {
        let ring = Messages::new().unwrap();
        ring.send(b"before").unwrap();
        match crate::fork::raw_fork().unwrap() {
            nix::unistd::ForkResult::Child => {
                // Dies holding the lock, as a process killed inside a put would.
                let held = ring.lock();
                std::mem::forget(held);
                // SAFETY: leaving the forked test process at once.
                unsafe { libc::_exit(0) };
            }
            nix::unistd::ForkResult::Parent { child } => {
                nix::sys::wait::waitpid(child, None).unwrap();
            }
        }
        let mut buf = Vec::new();
        assert!(ring.try_recv(&mut buf).unwrap());
        assert_eq!(buf, b"before");
        ring.send(b"after").unwrap();
        assert!(ring.try_recv(&mut buf).unwrap());
        assert_eq!(buf, b"after");
    }
}
