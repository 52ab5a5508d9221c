//! What passed between the run's tasks: the bytes through pipes and sockets, the waits for a
//! child's end, the pidfds opened, the signals sent, the reads that found a channel closed.

use std::time::Duration;

use serde::Serialize;

use super::json;

/// What kind of kernel object a channel is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelKind {
    /// A pipe or a FIFO: both ends are the one object.
    Pipe,
    /// A socket (a socketpair's end, a connected Unix or TCP socket): each end is an object of
    /// its own, and what one end writes the other reads.
    Socket,
}

/// The kernel object a descriptor of a channel is open on (`stat` of `/proc/TID/fd/N`: a pipe
/// is `pipe:[ino]`, a socket `socket:[ino]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Channel {
    /// Pipe or socket.
    pub kind: ChannelKind,
    /// `st_dev` (pipefs, sockfs, or a FIFO's file system).
    pub dev: u64,
    /// `st_ino`.
    pub ino: u64,
}

/// Which way bytes went through a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The task read them from the channel.
    Read,
    /// The task wrote them into the channel.
    Write,
}

/// One completed read from, or write into, a pipe or socket other than the run's stdout and
/// stderr (recorded when [`crate::TraceOptions::channels`] is on).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transfer {
    /// The reading or writing thread.
    pub tid: i32,
    /// Its process.
    pub tgid: i32,
    /// The end it read or wrote.
    pub channel: Channel,
    /// Read or write.
    pub direction: Direction,
    /// The system call (`read`, `recvmsg`, `write`, `sendto`, ...).
    pub syscall: &'static str,
    /// When the system call entered: a write's bytes may be read before the writer's return
    /// is seen.
    #[serde(serialize_with = "json::secs")]
    pub entered: Duration,
    /// When the system call returned.
    #[serde(serialize_with = "json::secs")]
    pub at: Duration,
    /// How many bytes it moved (its return value; for `recvmmsg` and `sendmmsg`, the messages'
    /// lengths added).
    pub len: usize,
    /// The first of those bytes, up to the options' caps (empty for sendfile, splice and tee,
    /// which move bytes the caller never held).
    #[serde(serialize_with = "json::text")]
    pub bytes: Vec<u8>,
}

/// A wait for a child that returned (`wait4`, `waitid`; recorded when
/// [`crate::TraceOptions::waits`] is on): the calling task learned that a process ended, or that
/// it had no child left to wait for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reap {
    /// The waiting thread.
    pub tid: i32,
    /// Its process.
    pub tgid: i32,
    /// The process whose end the call reported; `None`: it failed with `ECHILD`, no child left
    /// (every child it had has ended and was reaped, by this process or, with `SIGCHLD`
    /// ignored, by the kernel).
    pub pid: Option<i32>,
    /// `waitid` with `WNOWAIT`: the end was reported and the child left a zombie.
    pub kept: bool,
    /// `wait4` or `waitid`.
    pub syscall: &'static str,
    /// When the call returned.
    #[serde(serialize_with = "json::secs")]
    pub at: Duration,
}

/// A `pidfd_open` that returned a descriptor (recorded when [`crate::TraceOptions::waits`] is
/// on): the calling process can learn of that process's end by polling it, which the trace does
/// not follow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PidfdOpen {
    /// The calling thread.
    pub tid: i32,
    /// Its process.
    pub tgid: i32,
    /// The process the descriptor refers to.
    pub pid: i32,
    /// When the call returned.
    #[serde(serialize_with = "json::secs")]
    pub at: Duration,
}

/// A wait with no timeout for any of several descriptors (`poll`, `ppoll`, `select`,
/// `pselect6`, `epoll_wait`, `epoll_pwait`, `epoll_pwait2`) that returned with one ready, or a
/// `sigwaitinfo` that took a `SIGCHLD` (recorded when
/// [`crate::TraceOptions::waits`] is on). Which descriptor is not read: a process can learn of
/// another's end this way (Python's `multiprocessing.connection.wait` on a `Process.sentinel`,
/// a pipe whose write end only the child held), which the trace cannot tell from other readiness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ready {
    /// The calling thread.
    pub tid: i32,
    /// Its process.
    pub tgid: i32,
    /// The call's name.
    pub syscall: &'static str,
    /// When the call returned.
    #[serde(serialize_with = "json::secs")]
    pub at: Duration,
}

/// A signal one process of the run sent another (`kill`, `tkill`, `tgkill`,
/// `pidfd_send_signal`, `rt_sigqueueinfo` that returned 0; recorded when
/// [`crate::TraceOptions::waits`] is on). A signal to a group, or of number 0, is not recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignalSent {
    /// The sending thread.
    pub tid: i32,
    /// Its process.
    pub tgid: i32,
    /// The process it went to.
    pub target: i32,
    /// The signal's number.
    pub signal: i32,
    /// The system call.
    pub syscall: &'static str,
    /// When the call returned.
    #[serde(serialize_with = "json::secs")]
    pub at: Duration,
}

/// A read from a pipe or socket that found it closed: it returned 0 bytes (recorded when
/// [`crate::TraceOptions::channels`] is on). Every writer of a pipe had closed its end (exited,
/// or closed it); a socket's peer had shut down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Eof {
    /// The reading thread.
    pub tid: i32,
    /// Its process.
    pub tgid: i32,
    /// The end it read.
    pub channel: Channel,
    /// The system call.
    pub syscall: &'static str,
    /// When the call returned.
    #[serde(serialize_with = "json::secs")]
    pub at: Duration,
}
