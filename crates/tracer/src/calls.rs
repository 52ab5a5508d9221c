//! The system calls a tracee stops at: which are writes to the run's stdout or stderr (and their
//! bytes), which are reads and writes on pipes and sockets, which are watched for refusal; and
//! what each turned out to be at its return.

use std::time::Duration;

use nix::sys::stat::FileStat;

use crate::describe::{detail, syscall_name};
use crate::ends::{SignalCall, WaitCall, WaitOutcome, signal_call, wait_call};
use crate::filter::{CHANNEL_CALLS, WRITE_CALLS};
use crate::memory::{read_bytes, read_iov_bytes, read_iovecs};
use crate::options::FileId;
use crate::proc_info::{channel, controlling_tty, fd_stat, identity};
use crate::record::{
    Channel, Direction, Eof, PidfdOpen, Ready, Reap, Refusal, SignalSent, Stream, Transfer, Write,
};

mod buffers;

pub(crate) use buffers::Buffers;

/// A system call a tracee is inside, whose return the tracer waits for.
#[derive(Debug)]
pub(crate) enum Pending {
    /// A write to stdout or stderr, with the bytes read at its entry.
    Write {
        stream: Stream,
        syscall: &'static str,
        bytes: Vec<u8>,
    },
    /// A read or write on a pipe or socket: its bytes are read at its return.
    Transfer {
        /// The descriptor.
        fd: u64,
        channel: Channel,
        direction: Direction,
        syscall: &'static str,
        buffers: Buffers,
        /// A read asked for no bytes: its 0 is no end of the channel.
        empty: bool,
        /// When the call entered.
        entered: Duration,
    },
    /// A watched call that may be refused.
    Watch {
        syscall: &'static str,
        detail: String,
    },
    /// A wait for a child or a `pidfd_open`: what it reported is read at its return.
    Wait(WaitCall),
    /// A signal sent; `refusal`: what it asked, when refusals are watched.
    Signal {
        call: SignalCall,
        refusal: Option<String>,
    },
}

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
    /// Which stream a descriptor of `tid` open on `st` writes to (looked up at every call: a
    /// cache would go stale at every dup2 or close the tracer does not stop at).
    fn of_stat(&self, tid: i32, st: &FileStat) -> Option<Stream> {
        let id = identity(st);
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

/// What the tracer watches of calls: the run's streams, the bytes it may keep of a write to
/// them now, refusals, channels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Watching<'a> {
    pub(crate) streams: &'a Streams,
    pub(crate) max_bytes: usize,
    pub(crate) watch_refusals: bool,
    pub(crate) channels: bool,
    pub(crate) waits: bool,
    /// The time now (a channel call's entry).
    pub(crate) now: Duration,
}

/// A read or send on a channel entering now, if `nr` is one and its descriptor is a pipe or
/// socket (a peek, which leaves the bytes for the next read, is none).
fn channel_call(tid: i32, nr: i64, args: &[u64; 6], now: Duration) -> Option<Pending> {
    let peek = |flags: u64| flags & libc::MSG_PEEK as u64 != 0;
    let (direction, buffers) = match nr {
        libc::SYS_read => (Direction::Read, Buffers::Flat(args[1])),
        libc::SYS_readv | libc::SYS_preadv2 => (Direction::Read, Buffers::Iov(args[1], args[2])),
        libc::SYS_recvfrom if !peek(args[3]) => (Direction::Read, Buffers::Flat(args[1])),
        libc::SYS_recvmsg if !peek(args[2]) => (Direction::Read, Buffers::Msg(args[1])),
        libc::SYS_recvmmsg if !peek(args[3]) => (Direction::Read, Buffers::Mmsg(args[1])),
        libc::SYS_sendto => (Direction::Write, Buffers::Flat(args[1])),
        libc::SYS_sendmsg => (Direction::Write, Buffers::Msg(args[1])),
        libc::SYS_sendmmsg => (Direction::Write, Buffers::Mmsg(args[1])),
        _ => return None,
    };
    let channel = channel(&fd_stat(tid, args[0])?)?;
    let empty = matches!(nr, libc::SYS_read | libc::SYS_recvfrom) && args[2] == 0;
    Some(Pending::Transfer {
        fd: args[0],
        channel,
        direction,
        syscall: syscall_name(nr),
        buffers,
        empty,
        entered: now,
    })
}

/// What the tracer must watch of a call entering now: `None` lets it run unwatched.
pub(crate) fn on_entry(
    tid: i32,
    nr: i64,
    args: &[u64; 6],
    watching: &Watching<'_>,
) -> Option<Pending> {
    let Watching {
        streams,
        max_bytes,
        watch_refusals,
        channels,
        waits,
        now,
    } = *watching;
    if WRITE_CALLS.contains(&nr) {
        let fd = match nr {
            libc::SYS_splice => args[2],
            libc::SYS_tee => args[1],
            _ => args[0],
        };
        let st = fd_stat(tid, fd)?;
        let Some(stream) = streams.of_stat(tid, &st) else {
            if !channels {
                return None;
            }
            let buffers = match nr {
                libc::SYS_write | libc::SYS_pwrite64 => Buffers::Flat(args[1]),
                libc::SYS_writev | libc::SYS_pwritev | libc::SYS_pwritev2 | libc::SYS_vmsplice => {
                    Buffers::Iov(args[1], args[2])
                }
                _ => Buffers::Unread,
            };
            return Some(Pending::Transfer {
                fd,
                channel: channel(&st)?,
                direction: Direction::Write,
                syscall: syscall_name(nr),
                buffers,
                empty: false,
                entered: now,
            });
        };
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
    // A datagram sent to an address is a refusal-prone call when refusals are watched.
    let addressed = nr == libc::SYS_sendto && args[4] != 0;
    if channels && CHANNEL_CALLS.contains(&nr) && !(addressed && watch_refusals) {
        return channel_call(tid, nr, args, now);
    }
    if waits {
        if let Some(w) = wait_call(tid, nr, args) {
            return Some(Pending::Wait(w));
        }
        if let Some(call) = signal_call(tid, nr, args) {
            let refusal = watch_refusals.then(|| detail(tid, nr, args));
            return Some(Pending::Signal { call, refusal });
        }
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
    Transfer(Transfer),
    Refusal(Refusal),
    Eof(Eof),
    Reap(Reap),
    PidfdOpen(PidfdOpen),
    Ready(Ready),
    Signal(SignalSent),
    Nothing,
}

/// A refusal of `syscall` (asking `detail`) if `ret` is EPERM or EACCES.
fn refusal(
    tid: i32,
    tgid: i32,
    ret: i64,
    at: Duration,
    syscall: &'static str,
    detail: String,
) -> Outcome {
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

/// Settles a watched call at its return (`ret`: the raw return value, a negative errno on error;
/// `room`: the bytes a channel transfer may keep).
/// A write to stdout or stderr (`len` not yet known) that returned `ret`.
fn written(mut w: Write, ret: i64) -> Outcome {
    if ret <= 0 {
        return Outcome::Nothing;
    }
    w.len = ret as usize;
    w.bytes.truncate(w.len);
    Outcome::Write(w)
}

pub(crate) fn on_return(
    tid: i32,
    tgid: i32,
    pending: Pending,
    ret: i64,
    at: Duration,
    room: usize,
) -> Outcome {
    match pending {
        Pending::Transfer {
            channel,
            direction,
            syscall,
            buffers,
            empty,
            entered,
            ..
        } => {
            if ret == 0 && direction == Direction::Read && !empty {
                return Outcome::Eof(Eof {
                    tid,
                    tgid,
                    channel,
                    syscall,
                    at,
                });
            }
            if ret <= 0 {
                return Outcome::Nothing;
            }
            let (len, bytes) = buffers.take(tid, ret as usize, room);
            if len == 0 {
                return Outcome::Nothing;
            }
            Outcome::Transfer(Transfer {
                tid,
                tgid,
                channel,
                direction,
                syscall,
                entered,
                at,
                len,
                bytes,
            })
        }
        Pending::Write {
            stream,
            syscall,
            bytes,
        } => written(
            Write {
                tid,
                tgid,
                stream,
                syscall,
                at,
                len: 0,
                bytes,
            },
            ret,
        ),
        Pending::Watch { syscall, detail } => refusal(tid, tgid, ret, at, syscall, detail),
        Pending::Wait(w) => match w.settle(tid, tgid, ret, at) {
            WaitOutcome::Reap(r) => Outcome::Reap(r),
            WaitOutcome::PidfdOpen(p) => Outcome::PidfdOpen(p),
            WaitOutcome::Ready(r) => Outcome::Ready(r),
            WaitOutcome::Nothing => Outcome::Nothing,
        },
        Pending::Signal {
            call,
            refusal: asked,
        } => match (call.settle(tid, tgid, ret, at), asked) {
            (Some(sent), _) => Outcome::Signal(sent),
            (None, Some(detail)) => refusal(tid, tgid, ret, at, call.syscall, detail),
            (None, None) => Outcome::Nothing,
        },
    }
}
