//! What a finished trace holds: tasks, writes to stdout and stderr, bytes through pipes and
//! sockets between the run's tasks, holds, refusals.
//!
//! Every time is a `Duration` since the `start` instant of the [`crate::TraceOptions`].

use std::time::Duration;

use serde::Serialize;

use crate::options::{Choice, Shake};

/// JSON shapes: times as seconds (a float), bytes as text (lossy UTF-8).
mod json {
    use std::time::Duration;

    use serde::Serializer;

    pub(super) fn secs<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(d.as_secs_f64())
    }

    pub(super) fn opt_secs<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_f64(d.as_secs_f64()),
            None => s.serialize_none(),
        }
    }

    pub(super) fn tid_secs<S: Serializer>(v: &[(i32, Duration)], s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(v.len()))?;
        for (tid, d) in v {
            seq.serialize_element(&(tid, d.as_secs_f64()))?;
        }
        seq.end()
    }

    pub(super) fn text<S: Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&String::from_utf8_lossy(b))
    }
}

mod between;

pub use between::{
    Channel, ChannelKind, Direction, Eof, PidfdOpen, Ready, Reap, SignalSent, Transfer,
};

/// Whether a task is a process of its own or a thread of its creator's process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TaskKind {
    /// A thread group leader: the program's main process, or a child made by fork, vfork or a
    /// clone without `CLONE_THREAD`.
    Process,
    /// A task made by clone with `CLONE_THREAD`: it shares its creator's pid (tgid).
    Thread,
}

/// How a task ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum End {
    /// It exited with this status (`exit`, `_exit`, `exit_group`, or its group's exit).
    Exited(i32),
    /// A signal killed it (the signal's number).
    Signaled(i32),
    /// Another thread of its process called execve: the kernel removed it without a status.
    Replaced,
}

/// One program a task exec'd.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exec {
    /// The executable (`/proc/PID/exe` right after the exec: for a script, its interpreter).
    pub path: String,
    /// The new command line (`/proc/PID/cmdline`), cut to 16 arguments of 256 bytes.
    pub argv: Vec<String>,
    /// The executable's identity (`stat` of `/proc/PID/exe` right after the exec: the file
    /// itself, even when it lives in another mount namespace or was removed since), which tells
    /// the system's `/usr/bin/uname` from a copy of another program given that name.
    pub file: Option<crate::FileId>,
    /// When the exec completed.
    #[serde(serialize_with = "json::secs")]
    pub at: Duration,
}

/// One task (process or thread) of the run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    /// Its thread id (for a process, its pid).
    pub tid: i32,
    /// Its process id (thread group id): equal to `tid` for a process.
    pub tgid: i32,
    /// The task whose fork, vfork or clone created it (`None` for the main process).
    pub creator: Option<i32>,
    /// Process or thread.
    pub kind: TaskKind,
    /// When its creation was seen.
    #[serde(serialize_with = "json::secs")]
    pub created_at: Duration,
    /// The programs it exec'd, in order.
    pub execs: Vec<Exec>,
    /// When it stopped at its exit (`PTRACE_EVENT_EXIT`: it is ending, its descriptors still
    /// open); `None` when the trace did not see it (a task killed by SIGKILL may end without
    /// stopping).
    #[serde(serialize_with = "json::opt_secs")]
    pub exiting_at: Option<Duration>,
    /// When it was reaped; `None` if the trace ended first (cannot happen after `wait`).
    #[serde(serialize_with = "json::opt_secs")]
    pub ended_at: Option<Duration>,
    /// How it ended.
    pub end: Option<End>,
    /// Its name (`comm`, at most 15 bytes) as last seen: once it ended, else at its creation.
    pub comm: Option<String>,
    /// The CPU time it used, read once it ended, before the tracer reaps it: the kernel's run
    /// time of the task (`/proc/PID/task/TID/schedstat`, in nanoseconds; where the kernel has
    /// none, `utime + stime` of its `stat`, in clock ticks of 10 ms); `None` when it could not be
    /// read (a task that outlived the trace, or one gone from `/proc` before it was reaped):
    /// unknown, not zero.
    #[serde(serialize_with = "json::opt_secs")]
    pub cpu_time: Option<Duration>,
    /// For a process, when channels are recorded: the writable shared memory it mapped (`rw-s`
    /// in `/proc/PID/maps`, POSIX semaphores `/dev/shm/sem.*` left out), as seen at its first
    /// write to stdout or stderr, or at its exit if it wrote none. Two processes that map one
    /// object can pass values through it without a system call the trace sees.
    pub shared_memory: Vec<SharedMemory>,
}

/// A writable shared memory object a process mapped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct SharedMemory {
    /// The device of its inode (anonymous shared memory: the kernel's shmem device).
    pub dev: u64,
    /// Its inode: each anonymous shared mapping has one of its own, shared with every fork.
    pub ino: u64,
    /// Its name in the maps (`/dev/zero (deleted)` for anonymous shared memory, a path else).
    pub name: String,
}

/// Which of the run's streams a write went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stream {
    /// The run's stdout.
    Stdout,
    /// The run's stderr.
    Stderr,
}

/// One completed write to stdout or stderr.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Write {
    /// The writing thread.
    pub tid: i32,
    /// The writing process.
    pub tgid: i32,
    /// The stream written.
    pub stream: Stream,
    /// The system call (`write`, `writev`, `pwrite64`, `sendfile`, ...).
    pub syscall: &'static str,
    /// When the system call returned.
    #[serde(serialize_with = "json::secs")]
    pub at: Duration,
    /// How many bytes the call wrote (its return value).
    pub len: usize,
    /// The bytes written: all `len` of them, unless cut at the options' `max_write_bytes` or
    /// `max_total_bytes`, or unreadable (sendfile and splice move bytes the caller never held: then empty).
    #[serde(serialize_with = "json::text")]
    pub bytes: Vec<u8>,
}

/// Where a shaken task was held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HoldPoint {
    /// Before a write to stdout or stderr.
    Write,
    /// Right after it created a process or thread (the creator is held).
    Create,
    /// At its first instruction (the new task is held).
    Start,
    /// Before a sleep of a fixed time (`nanosleep`, `clock_nanosleep`; ordered schedules only):
    /// the sleep starts once the task is released.
    Sleep,
    /// At its exit (`PTRACE_EVENT_EXIT`, before its descriptors close and its parent can reap
    /// it; ordered schedules only): whoever learns of its end, by a wait, a pipe's end or a
    /// message sent just before, learns it only once the task is released.
    Exit,
}

/// One hold of a shaken run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Hold {
    /// The task held.
    pub tid: i32,
    /// When the hold began.
    #[serde(serialize_with = "json::secs")]
    pub at: Duration,
    /// How long it lasted: as meant (the loop releases it at most one poll later), or cut short
    /// when the main process ended first.
    #[serde(serialize_with = "json::secs")]
    pub duration: Duration,
    /// Where.
    pub point: HoldPoint,
}

/// A system call the system refused with `EPERM` or `EACCES` (watched when asked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    /// The calling thread.
    pub tid: i32,
    /// The calling process.
    pub tgid: i32,
    /// When the call returned.
    #[serde(serialize_with = "json::secs")]
    pub at: Duration,
    /// The system call's name.
    pub syscall: &'static str,
    /// `EPERM` or `EACCES`.
    pub errno: &'static str,
    /// What was asked: the address connected to, the signal and its target, the path opened.
    pub detail: String,
}

/// Everything seen of one run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Trace {
    /// The main process's pid.
    pub main_pid: i32,
    /// Every task, in order of creation.
    pub tasks: Vec<Task>,
    /// Every completed write to stdout or stderr, in order of return.
    pub writes: Vec<Write>,
    /// Writes to stdout or stderr that entered but never returned: the writer was killed in
    /// between, before or after its bytes went out (a pipe write of up to 4096 bytes goes out
    /// whole or not at all). `len` is what was asked (the bytes kept, when cut), `at` when the
    /// writer ended. Whether their bytes arrived is for whoever knows how many did.
    pub unfinished: Vec<Write>,
    /// The shaking asked for, if any.
    pub shake: Option<Shake>,
    /// Every hold, in order.
    pub holds: Vec<Hold>,
    /// Every refused system call, in order (empty unless `watch_refusals`).
    pub refusals: Vec<Refusal>,
    /// Every completed read and write on a pipe or socket, in order of return (empty unless
    /// `channels`), up to the options' `max_transfers`.
    pub transfers: Vec<Transfer>,
    /// Reads and writes on channels past `max_transfers`: not recorded.
    pub transfers_dropped: u64,
    /// When the first transfer past `max_transfers` returned.
    #[serde(serialize_with = "json::opt_secs")]
    pub transfers_dropped_from: Option<Duration>,
    /// The two ends of each connected IPv4 or IPv6 socket (TCP, connected UDP) the tracer
    /// paired (socket inodes): the local and peer addresses of one are the other's swapped, read
    /// from a copy of the descriptor (`pidfd_getfd`) at its first transfer. A Unix socket's peer
    /// has no such name: its ends are for the reader of the trace to pair.
    pub socket_peers: Vec<[u64; 2]>,
    /// Every wait for a child that reported an end or found none left, in order (empty unless
    /// [`crate::TraceOptions::waits`]), up to `max_transfers`.
    pub reaps: Vec<Reap>,
    /// Every `pidfd_open` that succeeded, in order (as `reaps`).
    pub pidfd_opens: Vec<PidfdOpen>,
    /// Every wait for several descriptors that returned one ready, in order (as `reaps`).
    pub readies: Vec<Ready>,
    /// Every signal sent to one process, in order (as `reaps`).
    pub signals: Vec<SignalSent>,
    /// Every read from a pipe or socket that found it closed, in order (with `channels`), up to
    /// `max_transfers`.
    pub eofs: Vec<Eof>,
    /// The run's stop points and what the schedule did at them.
    pub schedule: ScheduleStats,
    /// The CPU time of every live task at each write to stdout holding a newline, in order
    /// (empty unless [`crate::TraceOptions::cpu_at_lines`]), up to the options' `max_cpu_reads`.
    pub cpu_samples: Vec<CpuSample>,
}

/// The CPU time of the run's live tasks as a write to stdout returned: what the run used between
/// two of its lines is the difference of two samples (each task's exit time for one that ended
/// in between, see [`Task::cpu_time`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CpuSample {
    /// The writing thread.
    pub tid: i32,
    /// When its write returned (the write's `at`).
    #[serde(serialize_with = "json::secs")]
    pub at: Duration,
    /// Every live task's thread id and CPU time so far (as [`Task::cpu_time`] reads it), the
    /// writer included; a task whose time could not be read is left out.
    #[serde(serialize_with = "json::tid_secs")]
    pub tasks: Vec<(i32, Duration)>,
}

/// What the schedule saw and did in one run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ScheduleStats {
    /// Stop points of the program proper (writes to stdout and stderr, starts and creations
    /// once the program printed): `k` of PCT. Counted in unshaken runs too.
    pub points: u64,
    /// How many times a task was held or parked.
    pub parks: u64,
    /// How many decisions were forced: a park ended by the safety valve (`max_park`), or a
    /// decision taken while a task kept running.
    pub valves: u64,
    /// The run outlived PCT's budget: from then on nothing was parked.
    pub gave_up: bool,
    /// PCT's priority-change points (stop point numbers from 1).
    pub change_points: Vec<u64>,
    /// PCT's depth `d` in this run; 0 when it was not scheduled by PCT.
    pub depth: u32,
    /// The `k` PCT was given (its change points are drawn among 1..=k); 0 without PCT.
    pub planned_points: u64,
    /// PCT's lead ([`crate::Pct::lead`]) in this run.
    pub lead: Option<u32>,
    /// PCT's last ([`crate::Pct::last`]) in this run.
    pub last: Option<u32>,
    /// Every decision of the schedule (PCT's or an explored one), in order: the order of the
    /// stop points. The same seed, or the same schedule, should give the same list.
    pub decisions: Vec<Decision>,
    /// An explored schedule's first decision whose scripted choice was not among its options
    /// (the run went another way than the one the script was taken from).
    pub missed: Option<usize>,
}

/// One decision of the schedule: with every task of the run parked at a stop point, waiting
/// for another, or gone, which one goes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Decision {
    /// What could go on: the parked tasks by label, in the order of the tree.
    pub options: Vec<Choice>,
    /// Where each option was parked (as `at`).
    pub stops: Vec<String>,
    /// What went on.
    pub chosen: Choice,
    /// Where the chosen task was parked: `w` a write to stdout, `e` to stderr, `c` a creation,
    /// `s` its start, `z` a sleep, `x` its exit, then the number of its stop point (from 1).
    pub at: String,
    /// The task that went on last, when it was parked here (then choosing another preempts it).
    pub current: Option<Choice>,
    /// What an explored schedule takes here when it says nothing: a task passed over while
    /// others went on to 20 sleeps in a row (a poll loop that sleeps must not starve it), else
    /// `current`, else the first option.
    pub default: Choice,
    /// `current` was parked here and another was chosen: a preemption.
    pub preempts: bool,
    /// Taken without the tasks settling (one kept running past the valve, or a park outlived
    /// its limit): its timing, not the schedule, decided what came before it.
    pub forced: bool,
}

impl Trace {
    /// The task with this tid (the last one, if the kernel reused the tid within the run).
    pub fn task(&self, tid: i32) -> Option<&Task> {
        self.tasks.iter().rev().find(|t| t.tid == tid)
    }

    /// The main process's record.
    pub fn main_task(&self) -> Option<&Task> {
        self.tasks.iter().find(|t| t.tid == self.main_pid)
    }
}
