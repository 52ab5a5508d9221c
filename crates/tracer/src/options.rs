//! What the caller asks of a trace: which files are the run's stdout and stderr, whether to shake
//! the schedule, whether to note refused system calls.

use std::io;
use std::os::fd::AsFd;
use std::path::Path;
use std::time::{Duration, Instant};

use nix::sys::stat::{FileStat, fstat, stat};

/// The identity of an open file, as `stat(2)` gives it: what fd 1 or 2 of the traced program is.
///
/// Two descriptors are the same stream when they name the same character device (`st_rdev`, a
/// pseudo-terminal slave however it was opened) or else the same inode (`st_dev`, `st_ino`: both
/// ends of a pipe share one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct FileId {
    /// `st_dev`: the device holding the inode.
    pub dev: u64,
    /// `st_ino`: the inode number.
    pub ino: u64,
    /// `st_rdev` when the file is a character device (a terminal), else 0.
    pub rdev: u64,
}

impl FileId {
    /// The identity of an open descriptor (`fstat`), e.g. the read end of the stdout pipe.
    pub fn of_fd(fd: impl AsFd) -> io::Result<FileId> {
        Ok(Self::from_stat(&fstat(fd.as_fd())?))
    }

    /// The identity of the file at `path`, following symbolic links (`stat`): e.g.
    /// `/proc/PID/fd/1`, which names whatever that descriptor is open on.
    pub fn of_path(path: &Path) -> io::Result<FileId> {
        Ok(Self::from_stat(&stat(path)?))
    }

    pub(crate) fn from_stat(st: &FileStat) -> FileId {
        let is_char = st.st_mode & libc::S_IFMT == libc::S_IFCHR;
        FileId {
            dev: st.st_dev,
            ino: st.st_ino,
            rdev: if is_char { st.st_rdev } else { 0 },
        }
    }

    /// Whether `other` is the same stream as `self`.
    pub fn same_stream(&self, other: &FileId) -> bool {
        if self.rdev != 0 || other.rdev != 0 {
            return self.rdev == other.rdev;
        }
        self.dev == other.dev && self.ino == other.ino
    }
}

/// Shaking: hold tasks for a random, bounded, seeded time at their output writes and at their
/// process and thread creations, so orders that rest on a sleep come out wrong.
///
/// Creations are hold points only inside the program proper: once the creating process, or one
/// it descends from within the run, has written to stdout or stderr. (A launcher's helpers, like
/// a version manager's shim forking dozens of commands before it execs the program, are left
/// alone.)
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Shake {
    /// The seed. Each task draws from its own stream, derived from this seed and its place in the
    /// tree (the n-th task created by its creator), so the same program replays the same holds.
    pub seed: u64,
    /// The longest hold.
    pub max_hold: Duration,
    /// The chance, in [0, 1], that a write to stdout or stderr is held.
    pub chance: f64,
    /// The chance that a new task is held at its first instruction. A start hold lasts at least
    /// half of `max_hold`: a task that starts late is what an order resting on a sleep misses.
    pub start_chance: f64,
    /// The chance that a task is held right after it created a process or thread.
    pub create_chance: f64,
    /// Schedule by PCT instead of random holds (then the chances and `max_hold` are unused).
    pub pct: Option<Pct>,
}

/// PCT (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010) over the stop points of the
/// run: random priorities per task, `depth - 1` priority drops among `points` decisions, every
/// task parked at its stop points (sleeps included), and at each decision, taken once every other
/// task is parked, blocked on another or gone, the parked task of highest priority let go on.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Pct {
    /// `d`: the depth of bug each run has a stated chance to show (at least 1).
    pub depth: u32,
    /// `k`: how many stop points (decisions) the run is expected to have (from an earlier run of
    /// the same program); the `depth - 1` drops are drawn among them.
    pub points: u64,
    /// The longest a task stays parked (a safety valve for what the model misses).
    pub max_park: Duration,
    /// Past this much of the run nothing is parked any more (so a run finishes within its limit).
    pub budget: Duration,
    /// The task (numbered from 0 in the order tasks first reach a stop point) whose first
    /// priority is above every other's; `None`: every first priority drawn. A grading moves the
    /// lead from run to run, so that each task of a small program leads in one of its runs
    /// (stratified PCT: with the lead uniform over the `n` tasks, each run is still PCT's random
    /// order, and the runs together miss no task at the top).
    pub lead: Option<u32>,
    /// The task (numbered as for `lead`) whose first priority is below every other's; `None`:
    /// drawn. A grading moves it from run to run with the lead, a fixed distance behind it, so
    /// that each task of a small program comes last in one of its runs: a bug that shows only
    /// when one task goes after all the others (a grandchild's exit after both its parent's and
    /// its grandparent's steps) is then found within `n` runs, not left to chance.
    pub last: Option<u32>,
}

/// The task that may go on at a [`crate::Decision`]: a task's label, its place in the tree of
/// creations (`0` the main process, `2` its second child, `2.1` that one's first).
pub type Choice = String;

/// An explored schedule (`grade explore`): the run is ordered as PCT orders it (a task parked at
/// each stop point, one going on per decision, decisions taken once the run settled), but each
/// decision is the script's where it has one, else the default (see
/// [`crate::Decision::default`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Explore {
    /// The choices that differ from the default: (decision number from 0, task label).
    pub choices: Vec<(usize, Choice)>,
    /// The longest a task stays parked (a safety valve).
    pub max_park: Duration,
    /// Past this much of the run nothing is parked any more.
    pub budget: Duration,
}

impl Shake {
    /// Holds of up to `max_hold`: at half of the writes, at every new task's start, at a quarter
    /// of the creations.
    pub fn new(seed: u64, max_hold: Duration) -> Shake {
        Shake {
            seed,
            max_hold,
            chance: 0.5,
            start_chance: 1.0,
            create_chance: 0.25,
            pct: None,
        }
    }

    /// PCT scheduling with this seed (an odd seed reverses the first priorities of the even seed
    /// below it, so a pair of runs covers both orders of two tasks).
    pub fn pct(seed: u64, pct: Pct) -> Shake {
        Shake {
            pct: Some(pct),
            ..Shake::new(seed, pct.max_park)
        }
    }
}

/// How to trace one run.
#[derive(Debug, Clone)]
pub struct TraceOptions {
    /// Every time in the trace is a `Duration` since this instant.
    pub start: Instant,
    /// The run's stdout; `None`: whatever fd 1 of the program is when it starts.
    pub stdout: Option<FileId>,
    /// The run's stderr; `None`: whatever fd 2 of the program is when it starts.
    pub stderr: Option<FileId>,
    /// Shake the schedule (`None`: never hold a task).
    pub shake: Option<Shake>,
    /// Follow an explored schedule (it outranks `shake`).
    pub explore: Option<Explore>,
    /// Stop at connect, bind, kill, tkill, tgkill, pidfd_send_signal, open for writing and the
    /// like, and note those that fail with `EPERM` or `EACCES`.
    pub watch_refusals: bool,
    /// Bytes kept of one write at most (the length is always kept whole).
    pub max_write_bytes: usize,
    /// Bytes kept of all writes together at most: past it, writes are still recorded, with
    /// their length but no bytes (a flood cannot fill the tracer's memory).
    pub max_total_bytes: usize,
    /// Record reads and writes on pipes and sockets (other than stdout and stderr): which task
    /// moved which bytes through which channel. Every read then stops the tracee at its entry
    /// (a read of a file runs on at once; one of a pipe or socket is followed to its return).
    pub channels: bool,
    /// Record how processes learn of each other's ends and end each other: every wait for a
    /// child that reported an end (`wait4`, `waitid`), every `pidfd_open`, every signal sent to
    /// a process. These calls stop the tracee (they are rare), and are followed to their return.
    pub waits: bool,
    /// Bytes kept of one read or write on a channel at most.
    pub max_channel_bytes: usize,
    /// Bytes kept of all reads and writes on channels together at most; past it, they are
    /// recorded with their length but no bytes.
    pub max_channel_total: usize,
    /// Reads and writes on channels recorded at most: past it, none is recorded (a flood of
    /// small messages cannot fill the tracer's memory) and the trace counts the rest.
    pub max_transfers: usize,
    /// At each write to stdout holding a newline, read the CPU time of every live task of the
    /// run ([`crate::Trace::cpu_samples`]): what the run used between two lines.
    pub cpu_at_lines: bool,
    /// Task CPU times read for `cpu_at_lines` at most (one per live task per sample): past it,
    /// no sample is taken (a flood of lines from many tasks cannot slow the run without end).
    pub max_cpu_reads: usize,
}

impl TraceOptions {
    /// Attribution of fd 1 and 2 as the program starts with them; no shaking, no refusals.
    pub fn new(start: Instant) -> TraceOptions {
        TraceOptions {
            start,
            stdout: None,
            stderr: None,
            shake: None,
            explore: None,
            watch_refusals: false,
            max_write_bytes: 1024 * 1024,
            max_total_bytes: 16 * 1024 * 1024,
            channels: false,
            waits: false,
            max_channel_bytes: 64 * 1024,
            max_channel_total: 8 * 1024 * 1024,
            max_transfers: 100_000,
            cpu_at_lines: false,
            max_cpu_reads: 20_000,
        }
    }
}
