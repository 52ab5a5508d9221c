//! Traces a program's whole process tree from outside, with ptrace: every task (process or
//! thread), who created it, what it exec'd, how it ended; every byte it wrote to its stdout and
//! stderr, attributed to the pid and tid that wrote it; optionally, the bytes its tasks moved
//! through pipes and sockets (which task wrote what into which channel, which task read it),
//! seeded holds that shake its schedule, and the system calls the system refused it.
//!
//! ```no_run
//! use std::process::{Command, Stdio};
//! use std::time::Instant;
//!
//! let mut cmd = Command::new("sh");
//! cmd.args(["-c", "echo hi; (echo child) & wait"]).stdout(Stdio::piped());
//! let mut run = tracer::spawn(cmd, &tracer::TraceOptions::new(Instant::now()))?;
//! let out = run.take_stdout();
//! let trace = run.wait()?;
//! for w in &trace.writes {
//!     println!("{} (tid {}) wrote {:?}", w.tgid, w.tid, String::from_utf8_lossy(&w.bytes));
//! }
//! # drop(out);
//! # Ok::<(), tracer::TraceError>(())
//! ```
//!
//! How it works: a pre_exec hook added last to the command makes the child `PTRACE_TRACEME`,
//! sets `no_new_privs` and installs a seccomp filter whose `SECCOMP_RET_TRACE` stops the tracee
//! only at the calls that matter (the write family; connect, bind, kill, open for writing and the
//! like when refusals are watched). A dedicated thread spawns the command (ptrace belongs to the
//! forking thread), sets `PTRACE_O_TRACEFORK | TRACEVFORK | TRACECLONE | TRACEEXEC | TRACEEXIT |
//! TRACESECCOMP | TRACESYSGOOD | EXITKILL`, and serves stops with `waitpid(-1, __WALL |
//! __WNOTHREAD)`, so several runs can be traced at once by one process, each thread reaping only
//! its own. At a write's seccomp stop the tracer stats `/proc/TID/fd/N` to tell whether it goes to
//! the run's stdout or stderr (a dup, an inherited copy, an exec'd program's: all the same file),
//! reads the buffer, and takes the count at the call's return.
//!
//! With `channels` on, every read stops too (seccomp cannot tell a pipe from a file): the same
//! stat tells a pipe (`S_IFIFO`) or a socket (`S_IFSOCK`) from anything else, and only reads and
//! writes on those are followed to their return, where the bytes moved are read. A pipe's two
//! ends are one inode; a TCP socket is paired with its other end by their addresses
//! (`getsockname` and `getpeername` on a `pidfd_getfd` copy: `/proc/net/tcp` costs
//! milliseconds a read); a Unix socket's peer has no name to pair by.
//!
//! Limits: x86_64 and aarch64 only; clone3 and io_uring_setup fail with ENOSYS and clone with
//! `CLONE_UNTRACED` with EPERM inside the trace (they would hide tasks or writes); 32-bit and x32
//! system calls are refused. A call another seccomp filter refuses with an errno never reaches the
//! tracer (errno outranks trace), so such refusals are not in the trace.

#![deny(missing_docs)]

mod calls;
mod describe;
mod ends;
mod error;
mod filter;
mod hook;
mod memory;
mod options;
mod proc_info;
mod record;
mod running;
mod schedule;
mod shake;
mod spawn;
mod sys;
mod tasks;
mod tracer;

pub use error::{TraceError, TraceErrorKind};
pub use options::{Choice, Explore, FileId, Pct, Shake, TraceOptions};
pub use record::{
    Channel, ChannelKind, CpuSample, Decision, Direction, End, Eof, Exec, Hold, HoldPoint,
    PidfdOpen, Ready, Reap, Refusal, ScheduleStats, SharedMemory, SignalSent, Stream, Task,
    TaskKind, Trace, Transfer, Write,
};
pub use running::{Killer, Running};
pub use spawn::spawn;
