//! What a run is watched through: its output pipes, read into the capture, and its clocks (the
//! timeout, the grace after the main process's exit, the rescans while something lingers). One
//! `ppoll` gives the typed events the supervise loop matches on.

use std::os::fd::{OwnedFd, RawFd};
use std::time::{Duration, Instant};

use super::capture::{Capture, Stream, pump};
use super::config::{RunConfig, RunError};
use super::machine::Machine;
use super::pair_start::PairStart;
use super::sys::ppoll;
use crate::outcome::{CpuSample, Line};

/// One read from a pipe at most.
const READ_CHUNK: usize = 64 * 1024;
/// While processes linger after the output closed, the tree is re-scanned at most this far apart.
pub(super) const RESCAN_MAX: Duration = Duration::from_millis(50);
/// Reads from the pipes after a kill at most (64 KiB each).
const DRAIN_READS: usize = 64;
/// The grace after the main process's exit stretches, while what outlived it still runs, to at
/// most this many graces: on a loaded machine Python's helpers (its resource tracker, its fork
/// server) need longer than a grace to see their pipes close and exit, and a process that ends
/// by itself was not left behind.
const GRACE_STRETCH: u32 = 6;
/// While the grace is stretched, what outlived the main process is looked at this often.
const STRETCH_STEP: Duration = Duration::from_millis(50);
/// Without a pidfd (old kernel) the main process's exit is asked for this often.
const NO_PIDFD_POLL: Duration = Duration::from_millis(2);

/// Why the runner killed the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum KillReason {
    Timeout,
    Grace,
    OutputLimit,
}

/// What woke the supervise loop, in the order it is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Event {
    /// Stdout has bytes (or its end).
    Stdout,
    /// Stderr has bytes (or its end).
    Stderr,
    /// The main process's status may be there (its descriptor is readable, or there is none to
    /// wait on).
    Main,
    /// Every process of the run is gone: the run is over.
    AllGone,
    /// The run must be killed.
    Kill(KillReason),
}

/// The events of one wake-up, at most one of each source.
pub(super) type Events = [Option<Event>; 3];

/// One event alone.
pub(super) fn only(event: Event) -> Events {
    [Some(event), None, None]
}

/// The pipes, the capture and the clocks of one run.
pub(super) struct Watch<'c> {
    out: Option<Stream>,
    err: Option<Stream>,
    /// Readable once the main process's status can be had; `None`: ask often.
    main_fd: Option<RawFd>,
    cap: Capture,
    pair: PairStart<'c>,
    start: Instant,
    timeout_at: Instant,
    grace: Duration,
    /// The grace as configured, before any stretch.
    first_grace: Duration,
    main_exit_at: Option<Instant>,
    /// How soon to look at the tree again while something lingers.
    rescan: Option<Duration>,
    buf: Vec<u8>,
    machine: Machine,
}

/// What the watch saw, once the run is over.
pub(super) struct Watched {
    pub(super) elapsed: Duration,
    pub(super) machine: Vec<CpuSample>,
    pub(super) lines: Vec<Line>,
    pub(super) stderr_tail: String,
    pub(super) unterminated: bool,
    pub(super) output_limit_hit: bool,
    /// Bytes of stdout that arrived, kept or not.
    pub(super) stdout_bytes: usize,
}

impl<'c> Watch<'c> {
    /// Watches the run started at `start` through its pipes and `main_fd`.
    pub(super) fn open(
        cfg: &'c RunConfig,
        start: Instant,
        main_fd: Option<RawFd>,
        stdout: Option<OwnedFd>,
        stderr: Option<OwnedFd>,
    ) -> Result<Self, RunError> {
        let out = stdout
            .map(Stream::new)
            .transpose()
            .map_err(|e| RunError::os("os-read-stdout", e))?;
        let err = stderr
            .map(Stream::new)
            .transpose()
            .map_err(|e| RunError::os("os-read-stderr", e))?;
        // A timeout past what an Instant can hold is no timeout at all (a century is as good).
        let timeout_at = start
            .checked_add(cfg.timeout)
            .unwrap_or_else(|| start + Duration::from_secs(100 * 365 * 24 * 3600));
        let mut machine = Machine::default();
        machine.sample(start.elapsed());
        Ok(Watch {
            out,
            err,
            main_fd,
            cap: Capture::new(cfg.output_limit),
            pair: PairStart::new(cfg.pair_after.as_deref()),
            start,
            timeout_at,
            grace: cfg.grace,
            first_grace: cfg.grace,
            main_exit_at: None,
            rescan: None,
            buf: vec![0u8; READ_CHUNK],
            machine,
        })
    }

    /// The output passed the limit.
    pub(super) fn limit_hit(&self) -> bool {
        self.cap.limit_hit
    }

    /// Both pipes reached their end (or never were).
    pub(super) fn pipes_closed(&self) -> bool {
        self.out.is_none() && self.err.is_none()
    }

    /// When the run must end: the timeout, or the grace after the main process's exit.
    pub(super) fn deadline(&self) -> Instant {
        match self.main_exit_at {
            Some(t) => self
                .timeout_at
                .min(t.checked_add(self.grace).unwrap_or(self.timeout_at)),
            None => self.timeout_at,
        }
    }

    /// Why the run must be killed now, if it must.
    pub(super) fn overdue(&self, now: Instant) -> Option<KillReason> {
        if now < self.deadline() {
            None
        } else if now >= self.timeout_at {
            Some(KillReason::Timeout)
        } else {
            Some(KillReason::Grace)
        }
    }

    /// The grace ran out while what outlived the main process still runs: let it go on a step
    /// more, unless that passes `GRACE_STRETCH` graces or the timeout. False: the grace is over.
    pub(super) fn stretch_grace(&mut self, now: Instant) -> bool {
        let Some(exit) = self.main_exit_at else {
            return false;
        };
        let Some(cap) = exit.checked_add(self.first_grace * GRACE_STRETCH) else {
            return false;
        };
        let cap = cap.min(self.timeout_at);
        if now >= cap {
            return false;
        }
        self.grace = (now + STRETCH_STEP)
            .min(cap)
            .saturating_duration_since(exit);
        true
    }

    /// Something lingers without our pipes: look again soon, backing off.
    pub(super) fn back_off(&mut self) {
        self.rescan = Some(match self.rescan {
            None => Duration::from_millis(1),
            Some(d) => (d * 2).min(RESCAN_MAX),
        });
    }

    /// The main process was reaped now.
    pub(super) fn main_exited(&mut self) {
        self.main_exit_at = Some(Instant::now());
    }

    /// Waits until a pipe or the main process (if `watch_main`) has news, the deadline or the
    /// next rescan, and says which of them have news.
    pub(super) fn wait(&mut self, now: Instant, watch_main: bool) -> Result<Events, RunError> {
        let mut wait = self.deadline().saturating_duration_since(now);
        if let Some(r) = self.rescan {
            wait = wait.min(r);
        }
        if watch_main && self.main_fd.is_none() {
            wait = wait.min(NO_PIDFD_POLL);
        }
        let mut fds: Vec<libc::pollfd> = Vec::with_capacity(3);
        let mut slots = [usize::MAX; 3];
        let sources = [
            self.out.as_ref().map(|s| s.fd()),
            self.err.as_ref().map(|s| s.fd()),
            self.main_fd.filter(|_| watch_main),
        ];
        for (i, fd) in sources.into_iter().enumerate() {
            if let Some(fd) = fd {
                slots[i] = fds.len();
                fds.push(libc::pollfd {
                    fd,
                    events: libc::POLLIN,
                    revents: 0,
                });
            }
        }
        ppoll(&mut fds, wait).map_err(|e| RunError::os("os-wait-port", e))?;
        let ready = |i: usize| slots[i] != usize::MAX && fds[slots[i]].revents != 0;
        let main = watch_main && (self.main_fd.is_none() || ready(2));
        Ok([
            ready(0).then_some(Event::Stdout),
            ready(1).then_some(Event::Stderr),
            main.then_some(Event::Main),
        ])
    }

    /// Reads what stdout has now, and starts a pair's worker at its line.
    pub(super) fn read_stdout(&mut self, main_pid: i32) {
        let (cap, start) = (&mut self.cap, self.start);
        pump(&mut self.out, &mut self.buf, |data| {
            cap.stdout(data, start.elapsed())
        });
        self.machine.sample(self.start.elapsed());
        self.pair.check(self.cap.lines(), main_pid);
    }

    /// Reads what stderr has now.
    pub(super) fn read_stderr(&mut self) {
        let cap = &mut self.cap;
        pump(&mut self.err, &mut self.buf, |data| cap.stderr(data));
    }

    /// After a kill: what the dead wrote before they died is still in the pipes; a writer we
    /// could not identify may still be writing, so the drain is bounded.
    pub(super) fn drain(&mut self) {
        for _ in 0..DRAIN_READS {
            if self.pipes_closed() {
                break;
            }
            let before = self.cap.total;
            let (cap, start) = (&mut self.cap, self.start);
            pump(&mut self.out, &mut self.buf, |data| {
                cap.stdout(data, start.elapsed())
            });
            pump(&mut self.err, &mut self.buf, |data| cap.stderr(data));
            if self.cap.total == before {
                break;
            }
        }
    }

    /// What was seen, the run being over.
    pub(super) fn finish(self) -> Watched {
        let elapsed = self.start.elapsed();
        let mut machine = self.machine;
        machine.sample(elapsed);
        let output_limit_hit = self.cap.limit_hit;
        let stdout_bytes = self.cap.stdout_total;
        let (lines, stderr_tail, unterminated) = self.cap.finish();
        Watched {
            elapsed,
            machine: machine.samples,
            lines,
            stderr_tail,
            unterminated,
            output_limit_hit,
            stdout_bytes,
        }
    }
}
