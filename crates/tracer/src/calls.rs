//! The system calls a tracee stops at: which are writes to the run's stdout or stderr (and their
//! bytes), which are watched for refusal; and what each turned out to be at its return.

use std::time::Duration;

use crate::describe::{detail, syscall_name};
use crate::filter::WRITE_CALLS;
use crate::memory::{read_bytes, read_iov_bytes, read_iovecs};
use crate::options::FileId;
use crate::proc_info::{controlling_tty, fd_identity};
use crate::record::{Refusal, Stream, Write};
use crate::tasks::Pending;

#[cfg(target_arch = "x86_64")]
const NATIVE_ARCH: u32 = 0xc000_003e;
#[cfg(target_arch = "aarch64")]
const NATIVE_ARCH: u32 = 0xc000_00b7;
#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
compile_error!("the tracer knows the system-call numbers of x86_64 and aarch64 only");

/// The files that are the run's stdout and stderr.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Streams {
    pub(crate) stdout: Option<FileId>,
    pub(crate) stderr: Option<FileId>,
}

impl Streams {
    /// Which stream descriptor `fd` of `tid` writes to, looked up now (a cache would go stale at
    /// every dup2 or close the tracer does not stop at).
    fn of_fd(&self, tid: i32, fd: u64) -> Option<Stream> {
        let id = fd_identity(tid, fd)?;
        // `/dev/tty` (5:0) writes to the writer's controlling terminal, whatever it is: on a pty
        // run, the run's pty, its stdout.
        let id = match id.rdev == libc::makedev(5, 0) {
            true => FileId {
                rdev: controlling_tty(tid)?,
                ..id
            },
            false => id,
        };
        if self.stdout.is_some_and(|s| s.same_stream(&id)) {
            Some(Stream::Stdout)
        } else if self.stderr.is_some_and(|s| s.same_stream(&id)) {
            Some(Stream::Stderr)
        } else {
            None
        }
    }
}

/// A call at its seccomp stop: its number and arguments, if the stop was one.
pub(crate) fn entry_of(info: &libc::ptrace_syscall_info) -> Option<(i64, [u64; 6])> {
    if info.op != libc::PTRACE_SYSCALL_INFO_SECCOMP || info.arch != NATIVE_ARCH {
        return None;
    }
    // SAFETY: `op` says the kernel filled the `seccomp` member of the union.
    let s = unsafe { info.u.seccomp };
    Some((s.nr as i64, s.args))
}

/// The return value at a syscall-exit stop.
pub(crate) fn return_of(info: &libc::ptrace_syscall_info) -> Option<i64> {
    if info.op != libc::PTRACE_SYSCALL_INFO_EXIT {
        return None;
    }
    // SAFETY: `op` says the kernel filled the `exit` member of the union.
    Some(unsafe { info.u.exit.sval })
}

/// What the tracer must watch of a call entering now: `None` lets it run unwatched.
pub(crate) fn on_entry(
    tid: i32,
    nr: i64,
    args: &[u64; 6],
    streams: &Streams,
    max_bytes: usize,
    watch_refusals: bool,
) -> Option<Pending> {
    if WRITE_CALLS.contains(&nr) {
        let fd = match nr {
            libc::SYS_splice => args[2],
            libc::SYS_tee => args[1],
            _ => args[0],
        };
        let stream = streams.of_fd(tid, fd)?;
        let bytes = match nr {
            libc::SYS_write | libc::SYS_pwrite64 => {
                read_bytes(tid, args[1], (args[2] as usize).min(max_bytes))
            }
            libc::SYS_writev | libc::SYS_pwritev | libc::SYS_pwritev2 | libc::SYS_vmsplice => {
                read_iov_bytes(tid, &read_iovecs(tid, args[1], args[2]), max_bytes)
            }
            // sendfile, splice, tee move bytes the caller never held in its memory.
            _ => Vec::new(),
        };
        return Some(Pending::Write {
            stream,
            syscall: syscall_name(nr),
            bytes,
        });
    }
    if watch_refusals {
        return Some(Pending::Watch {
            syscall: syscall_name(nr),
            detail: detail(tid, nr, args),
        });
    }
    None
}

/// What a watched call came to.
#[derive(Debug)]
pub(crate) enum Outcome {
    Write(Write),
    Refusal(Refusal),
    Nothing,
}

/// A write that entered but whose writer ended before its return (`at`: the end).
pub(crate) fn unfinished(tid: i32, tgid: i32, pending: Pending, at: Duration) -> Option<Write> {
    match pending {
        Pending::Write {
            stream,
            syscall,
            bytes,
        } if !bytes.is_empty() => Some(Write {
            tid,
            tgid,
            stream,
            syscall,
            at,
            len: bytes.len(),
            bytes,
        }),
        _ => None,
    }
}

/// Settles a watched call at its return (`ret`: the raw return value, a negative errno on error).
pub(crate) fn on_return(tid: i32, tgid: i32, pending: Pending, ret: i64, at: Duration) -> Outcome {
    match pending {
        Pending::Write {
            stream,
            syscall,
            mut bytes,
        } => {
            if ret <= 0 {
                return Outcome::Nothing;
            }
            let len = ret as usize;
            bytes.truncate(len);
            Outcome::Write(Write {
                tid,
                tgid,
                stream,
                syscall,
                at,
                len,
                bytes,
            })
        }
        Pending::Watch { syscall, detail } => {
            let errno = match -ret {
                e if e == i64::from(libc::EPERM) => "EPERM",
                e if e == i64::from(libc::EACCES) => "EACCES",
                _ => return Outcome::Nothing,
            };
            Outcome::Refusal(Refusal {
                tid,
                tgid,
                at,
                syscall,
                errno,
                detail,
            })
        }
    }
}
