//! What one run of a port produced: the only input the checks see.

pub(crate) mod assembler;
pub(crate) mod channels;
pub(crate) mod ends;
pub(crate) mod writer;

use std::time::Duration;

use crate::outcome::channels::Channels;
use crate::outcome::ends::Ends;
use crate::outcome::writer::{RunTask, Tracing, Writer};

/// One line of the port's stdout: as it arrived, or, when the run was traced, as one writer
/// wrote it (its bytes up to its newline).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    /// The text without its newline; shown lossily when the bytes were not UTF-8.
    pub text: String,
    /// False when the bytes were not valid UTF-8 (such a line never matches a pattern).
    pub utf8: bool,
    /// When the line arrived (traced: when its newline was written), from the start of the run.
    pub at: Duration,
    /// Who wrote it, when the run was traced.
    pub writer: Option<Writer>,
}

/// How the port's main process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Exited with this status code.
    Code(i32),
    /// Killed by this signal number.
    Signal(i32),
}

/// A process of the port's tree that was still alive when it should have been gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftBehind {
    /// Its pid.
    pub pid: i32,
    /// From /proc/PID/cmdline, arguments joined by spaces.
    pub cmdline: String,
}

/// Everything one run of a port produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunOutcome {
    /// The run's number, from 1.
    pub run: usize,
    /// The pid of the port's main process.
    pub main_pid: i32,
    /// The pid that adopts the port's orphans (the grader, as child subreaper).
    pub adopter_pid: i32,
    /// Stdout, line by line in arrival order.
    pub lines: Vec<Line>,
    /// The last few KiB of stderr, lossily decoded.
    pub stderr_tail: String,
    /// None when the main process was killed by the grader before it exited on its own.
    pub exit: Option<Exit>,
    /// The run hit `--timeout` and its tree was killed.
    pub timed_out: bool,
    /// Output passed the cap; the rest was discarded and the tree killed.
    pub output_limit_hit: bool,
    /// Processes still alive after the main process exited (plus grace), killed by the grader.
    pub left_behind: Vec<LeftBehind>,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Whether the run was traced (then every line has its writer).
    pub tracing: Tracing,
    /// Every task of the run, when traced, in order of creation.
    pub tasks: Vec<RunTask>,
    /// The seed of the run's shaking, when its schedule was shaken.
    pub shake_seed: Option<u64>,
    /// The explored schedule the run followed (`--schedule`, `grade explore`), as a string.
    pub explored: Option<String>,
    /// The run's stop points and what the schedule did at them (traced runs).
    pub schedule: tracer::ScheduleStats,
    /// Where the schedule held whom, and how long (traced shaken runs).
    pub holds: Vec<tracer::Hold>,
    /// Stdout was a pseudo-terminal (else a pipe).
    pub stdout_tty: bool,
    /// Things worth knowing that fail no check (e.g. two writers' bytes mixed in one line of
    /// the real stdout).
    pub advice: Vec<String>,
    /// System calls the trace saw refused with EPERM or EACCES (a fenced run's escapes that
    /// the fence stopped): `kill (EPERM): SIGKILL to pid 123`, in order.
    pub refused: Vec<String>,
    /// The machine's CPU counters as stdout arrived (traced runs): the cores others left free.
    pub machine: Vec<CpuSample>,
    /// Stdout ended without a newline after its last line.
    pub unterminated: bool,
    /// What went through the run's pipes and sockets, and who shares memory (traced runs).
    pub channels: Channels,
    /// How the run's processes learned of each other's ends, and ended each other (traced runs).
    pub ends: Ends,
    /// The CPU time of every live task of the run as each stdout line was written (traced
    /// runs whose spec asks for it: a `cpu_time` check with `since`).
    pub task_cpu: Vec<tracer::CpuSample>,
}

impl RunOutcome {
    /// Whether its schedule was not left to the machine: shaken (random holds or PCT) or an
    /// explored order. Likely checks judge unshaken runs only.
    pub fn shaken(&self) -> bool {
        self.shake_seed.is_some() || self.explored.is_some()
    }
}

/// The machine's CPU counters at one moment of a run (`/proc/stat`'s `cpu` line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CpuSample {
    /// When, from the start of the run.
    pub at: Duration,
    /// Every CPU's time so far, in clock ticks (`USER_HZ`, 100 a second).
    pub total: u64,
    /// Of it, idle (idle + iowait).
    pub idle: u64,
}
