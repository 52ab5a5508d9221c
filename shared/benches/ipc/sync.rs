//! The benches of issue 20's names that work between processes, beside the raw mechanism:
//! `Lock` handed back and forth between two processes against a raw futex round trip, an
//! `Event` set/wait round trip, and `Value` increments under its lock by two processes. Each
//! returns the time of its timed part; the partner process is started before it and joined
//! after it.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use multitask::{Event, Lock, Process, Value};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// Round trips per repetition (a Lock, an Event, a raw futex).
pub const ROUND_TRIPS: u64 = 50_000;
/// Increments per process per repetition; two processes.
pub const INCREMENTS: u64 = 100_000;

/// Two locks, each held by one side and released by the other (Python's `Lock` may be released
/// by any process): a round trip is two handoffs between the processes.
pub fn lock_handoff() -> Res<Duration> {
    let ping = Lock::new()?;
    let pong = Lock::new()?;
    ping.acquire().keep();
    pong.acquire().keep();
    let mut partner = Process::new(|| -> multitask::Result<()> {
        for _ in 0..ROUND_TRIPS {
            ping.acquire().keep();
            pong.release()?;
        }
        Ok(())
    });
    partner.start()?;
    let start = Instant::now();
    for _ in 0..ROUND_TRIPS {
        ping.release()?;
        pong.acquire().keep();
    }
    let took = start.elapsed();
    partner.join()?;
    Ok(took)
}

/// A word in a shared page, 0 for "parent's turn" and 1 for "child's turn": FUTEX_WAIT while
/// it is not your turn, FUTEX_WAKE after every turn, no spinning.
pub fn raw_futex_round_trip() -> Res<Duration> {
    let page = SharedWord::new()?;
    let word = page.word();
    let mut partner = Process::new(|| {
        for _ in 0..ROUND_TRIPS {
            while word.load(Ordering::Acquire) != 1 {
                futex(word, libc::FUTEX_WAIT, 0);
            }
            word.store(0, Ordering::Release);
            futex(word, libc::FUTEX_WAKE, 1);
        }
    });
    partner.start()?;
    let start = Instant::now();
    for _ in 0..ROUND_TRIPS {
        word.store(1, Ordering::Release);
        futex(word, libc::FUTEX_WAKE, 1);
        while word.load(Ordering::Acquire) != 0 {
            futex(word, libc::FUTEX_WAIT, 1);
        }
    }
    let took = start.elapsed();
    partner.join()?;
    Ok(took)
}

fn futex(word: &AtomicU32, op: libc::c_int, value: u32) {
    // SAFETY: `word` is a live, aligned u32 in a shared mapping; no timeout pointer.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            op,
            value,
            std::ptr::null::<libc::timespec>(),
        )
    };
}

/// One page of `MAP_SHARED | MAP_ANONYMOUS` memory holding a futex word.
struct SharedWord(*mut AtomicU32);

impl SharedWord {
    fn new() -> Res<Self> {
        // SAFETY: a fresh anonymous shared page, zero-filled: a valid AtomicU32 at its start.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                4096,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(std::io::Error::last_os_error().into());
        }
        Ok(SharedWord(ptr.cast()))
    }

    fn word(&self) -> &AtomicU32 {
        // SAFETY: the page lives as long as self.
        unsafe { &*self.0 }
    }
}

impl Drop for SharedWord {
    fn drop(&mut self) {
        // SAFETY: our own mapping, unmapped once.
        unsafe { libc::munmap(self.0.cast(), 4096) };
    }
}

/// Two events: the parent sets `ping` and waits for `pong`; the partner waits for `ping`,
/// clears it, sets `pong`.
pub fn event_round_trip() -> Res<Duration> {
    let ping = Event::new()?;
    let pong = Event::new()?;
    let mut partner = Process::new(|| {
        for _ in 0..ROUND_TRIPS {
            ping.wait(None);
            ping.clear();
            pong.set();
        }
    });
    partner.start()?;
    let start = Instant::now();
    for _ in 0..ROUND_TRIPS {
        ping.set();
        pong.wait(None);
        pong.clear();
    }
    let took = start.elapsed();
    partner.join()?;
    Ok(took)
}

/// Two processes each add 1 to a `Value` `INCREMENTS` times, holding its lock for the read
/// and the write (`with v.get_lock(): v.value += 1`); timed from the go to the last.
pub fn value_increments() -> Res<Duration> {
    let counter = Value::new(0u64)?;
    let go = Event::new()?;
    let done = Event::new()?;
    let add = || {
        for _ in 0..INCREMENTS {
            let _held = counter.get_lock().acquire();
            counter.set(counter.get() + 1);
        }
    };
    let mut partner = Process::new(|| {
        go.wait(None);
        add();
        done.set();
    });
    partner.start()?;
    let start = Instant::now();
    go.set();
    add();
    done.wait(None);
    let took = start.elapsed();
    partner.join()?;
    if counter.get() != 2 * INCREMENTS {
        return Err(format!("lost increments: {} of {}", counter.get(), 2 * INCREMENTS).into());
    }
    Ok(took)
}
