//! The calls by which a task learns of a process's end or ends one: waits for a child (`wait4`,
//! `waitid`), `pidfd_open`, and signals sent (`kill`, `tkill`, `tgkill`, `pidfd_send_signal`,
//! `rt_sigqueueinfo`). Each is followed to its return, where what it did is read: which process's
//! end a wait reported, which process a signal went to.

use std::time::Duration;

use crate::describe::syscall_name;
use crate::memory::read_bytes;
use crate::record::{PidfdOpen, Ready, Reap, SignalSent};

/// The waits for a child, `pidfd_open` (a descriptor that becomes readable at a process's end),
/// and `rt_sigtimedwait` (a `SIGCHLD` taken); with [`READY_CALLS`], the calls followed to their
/// return for what they say of an end.
pub(crate) const WAIT_CALLS: &[i64] = &[
    libc::SYS_wait4,
    libc::SYS_waitid,
    libc::SYS_pidfd_open,
    libc::SYS_rt_sigtimedwait,
];

/// The waits for several descriptors (one may be a pipe only an ended process held).
pub(crate) const READY_CALLS: &[i64] = &[
    #[cfg(target_arch = "x86_64")]
    libc::SYS_poll,
    libc::SYS_ppoll,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_select,
    libc::SYS_pselect6,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_epoll_wait,
    libc::SYS_epoll_pwait,
    libc::SYS_epoll_pwait2,
];

/// The calls that send a signal to a process or thread.
pub(crate) const SIGNAL_CALLS: &[i64] = &[
    libc::SYS_kill,
    libc::SYS_tkill,
    libc::SYS_tgkill,
    libc::SYS_pidfd_send_signal,
    libc::SYS_rt_sigqueueinfo,
];

/// `waitid`'s id types.
const P_PID: u64 = 1;
const P_PIDFD: u64 = 3;
/// `waitid`'s option that reports an end and leaves the zombie.
const WNOWAIT: u64 = 0x0100_0000;
/// `wait4`'s options that make it report stops and continues too.
const WUNTRACED: u64 = 2;
const WCONTINUED: u64 = 8;
/// `si_code`s of a child that ended: exited, killed, killed with a core dump.
const CLD_ENDED: [i32; 3] = [1, 2, 3];

/// The process a pidfd of task `tid` refers to (`Pid:` of `/proc/TID/fdinfo/FD`; -1 once it
/// is gone).
fn pidfd_target(tid: i32, fd: u64) -> Option<i32> {
    let fd = i32::try_from(fd).ok()?;
    let text = std::fs::read_to_string(format!("/proc/{tid}/fdinfo/{fd}")).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("Pid:"))
        .and_then(|v| v.trim().parse().ok())
        .filter(|&p: &i32| p > 0)
}

/// Whether a wait for several descriptors (or for a signal) was given a timeout: a time in
/// milliseconds of 0 or more (`poll`, `epoll_wait`, `epoll_pwait`), or a pointer to one
/// (`ppoll`, `select`, `pselect6`, `epoll_pwait2`, `rt_sigtimedwait`).
fn timed(nr: i64, args: &[u64; 6]) -> bool {
    let millis = |a: u64| a as u32 as i32 >= 0;
    match nr {
        libc::SYS_epoll_pwait => millis(args[3]),
        #[cfg(target_arch = "x86_64")]
        libc::SYS_poll => millis(args[2]),
        #[cfg(target_arch = "x86_64")]
        libc::SYS_epoll_wait => millis(args[3]),
        libc::SYS_ppoll | libc::SYS_rt_sigtimedwait => args[2] != 0,
        libc::SYS_epoll_pwait2 => args[3] != 0,
        #[cfg(target_arch = "x86_64")]
        libc::SYS_select => args[4] != 0,
        libc::SYS_pselect6 => args[4] != 0,
        _ => false,
    }
}

/// A wait or a `pidfd_open` entering now: what to read at its return.
#[derive(Debug)]
pub(crate) struct WaitCall {
    nr: i64,
    args: [u64; 6],
    /// The process a `waitid` on one pid or pidfd waits for, known at entry (a pidfd's target
    /// is gone from fdinfo once reaped).
    target: Option<i32>,
}

/// A signal sent, as known at entry.
#[derive(Debug)]
pub(crate) struct SignalCall {
    pub(crate) syscall: &'static str,
    /// The process it goes to (`None`: a group, every process, or unknown).
    target: Option<i32>,
    signal: i32,
}

/// The wait entering now, if `nr` is one.
pub(crate) fn wait_call(tid: i32, nr: i64, args: &[u64; 6]) -> Option<WaitCall> {
    if !WAIT_CALLS.contains(&nr) && !READY_CALLS.contains(&nr) {
        return None;
    }
    let target = match (nr, args[0]) {
        (libc::SYS_waitid, P_PID) => Some(args[1] as u32 as i32).filter(|&p| p > 0),
        (libc::SYS_waitid, P_PIDFD) => pidfd_target(tid, args[1]),
        _ => None,
    };
    Some(WaitCall {
        nr,
        args: *args,
        target,
    })
}

/// The signal entering now, if `nr` sends one (a signal 0, which only asks whether the
/// process exists, sends nothing: recorded as none).
pub(crate) fn signal_call(tid: i32, nr: i64, args: &[u64; 6]) -> Option<SignalCall> {
    if !SIGNAL_CALLS.contains(&nr) {
        return None;
    }
    // pid_t and int arguments: the low 32 bits of the register.
    let positive = |v: u64| Some(v as u32 as i32).filter(|&p| p > 0);
    let (target, signal) = match nr {
        libc::SYS_kill | libc::SYS_rt_sigqueueinfo => (positive(args[0]), args[1]),
        libc::SYS_tkill => (
            positive(args[0]).and_then(crate::proc_info::tgid_of),
            args[1],
        ),
        libc::SYS_tgkill => (positive(args[0]), args[2]),
        libc::SYS_pidfd_send_signal => (pidfd_target(tid, args[0]), args[1]),
        _ => (None, 0),
    };
    Some(SignalCall {
        syscall: syscall_name(nr),
        target,
        signal: signal as u32 as i32,
    })
}

fn i32_at(raw: &[u8], at: usize) -> Option<i32> {
    let b: [u8; 4] = raw.get(at..at + 4)?.try_into().ok()?;
    Some(i32::from_ne_bytes(b))
}

/// What a wait or `pidfd_open` came to at its return (`ret`: a negative errno on error).
#[derive(Debug)]
pub(crate) enum WaitOutcome {
    Reap(Reap),
    PidfdOpen(PidfdOpen),
    Ready(Ready),
    Nothing,
}

impl WaitCall {
    /// What it reported, returning `ret` at `at`.
    pub(crate) fn settle(self, tid: i32, tgid: i32, ret: i64, at: Duration) -> WaitOutcome {
        let reap = |pid: Option<i32>, kept: bool| {
            WaitOutcome::Reap(Reap {
                tid,
                tgid,
                pid,
                kept,
                syscall: syscall_name(self.nr),
                at,
            })
        };
        // `sigwaitinfo`/`sigtimedwait` that took a SIGCHLD: a child changed state, which one
        // is not read (as a descriptor found ready).
        let sigchld = self.nr == libc::SYS_rt_sigtimedwait && ret == i64::from(libc::SIGCHLD);
        if sigchld || READY_CALLS.contains(&self.nr) {
            // A wait with a timeout is a timed wait, whatever woke it: no sign of an end.
            return match ret > 0 && !timed(self.nr, &self.args) {
                true => WaitOutcome::Ready(Ready {
                    tid,
                    tgid,
                    syscall: syscall_name(self.nr),
                    at,
                }),
                false => WaitOutcome::Nothing,
            };
        }
        if ret == -i64::from(libc::ECHILD) && self.nr != libc::SYS_pidfd_open {
            return reap(None, false);
        }
        match self.nr {
            libc::SYS_wait4 if ret > 0 => {
                let (status, options) = (self.args[1], self.args[2]);
                let ended = match i32_at(&read_bytes(tid, status, 4), 0) {
                    // Exited (low 7 bits 0) or killed (low 7 bits a signal, not 0x7f: a stop);
                    // 0xffff is a continue.
                    Some(s) => s != 0xffff && (s & 0x7f) != 0x7f,
                    // No status asked for: an end, unless stops and continues are reported too.
                    None => options & (WUNTRACED | WCONTINUED) == 0,
                };
                match ended {
                    true => reap(i32::try_from(ret).ok(), false),
                    false => WaitOutcome::Nothing,
                }
            }
            libc::SYS_waitid if ret == 0 => {
                let (infop, options) = (self.args[2], self.args[3]);
                let kept = options & WNOWAIT != 0;
                if infop == 0 {
                    // No siginfo to read: the process waited for on its own, if one was named
                    // and the call could not have returned empty-handed.
                    return match self.target {
                        Some(p) if options & u64::from(libc::WNOHANG as u32) == 0 => {
                            reap(Some(p), kept)
                        }
                        _ => WaitOutcome::Nothing,
                    };
                }
                // siginfo_t: si_signo, si_errno, si_code, then (aligned to 8) si_pid.
                let raw = read_bytes(tid, infop, 20);
                match (i32_at(&raw, 8), i32_at(&raw, 16)) {
                    (Some(code), Some(pid)) if pid > 0 && CLD_ENDED.contains(&code) => {
                        reap(Some(pid), kept)
                    }
                    _ => WaitOutcome::Nothing,
                }
            }
            libc::SYS_pidfd_open if ret >= 0 => match self.args[0] as u32 as i32 {
                pid if pid > 0 => WaitOutcome::PidfdOpen(PidfdOpen { tid, tgid, pid, at }),
                _ => WaitOutcome::Nothing,
            },
            _ => WaitOutcome::Nothing,
        }
    }
}

impl SignalCall {
    /// The signal it sent, if it returned 0 having sent one to a known process.
    pub(crate) fn settle(&self, tid: i32, tgid: i32, ret: i64, at: Duration) -> Option<SignalSent> {
        if ret != 0 || self.signal == 0 {
            return None;
        }
        Some(SignalSent {
            tid,
            tgid,
            target: self.target?,
            signal: self.signal,
            syscall: self.syscall,
            at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_without_a_status_reports_an_end_unless_stops_are_asked_for() {
        let call = |options: u64| WaitCall {
            nr: libc::SYS_wait4,
            args: [7, 0, options, 0, 0, 0],
            target: None,
        };
        let at = Duration::from_millis(5);
        assert!(matches!(
            call(0).settle(1, 1, 7, at),
            WaitOutcome::Reap(Reap { pid: Some(7), .. })
        ));
        assert!(matches!(
            call(WUNTRACED).settle(1, 1, 7, at),
            WaitOutcome::Nothing
        ));
        // WNOHANG with nothing ended: no report.
        assert!(matches!(call(1).settle(1, 1, 0, at), WaitOutcome::Nothing));
        // No child left at all.
        assert!(matches!(
            call(0).settle(1, 1, -i64::from(libc::ECHILD), at),
            WaitOutcome::Reap(Reap { pid: None, .. })
        ));
    }

    #[test]
    fn only_an_untimed_wait_that_found_one_ready_or_a_sigchld_is_a_readiness() {
        let call = |nr: i64, args: [u64; 6]| WaitCall {
            nr,
            args,
            target: None,
        };
        let at = Duration::from_millis(5);
        let ready = |c: WaitCall, ret| matches!(c.settle(1, 1, ret, at), WaitOutcome::Ready(_));
        // ppoll(fds, 1, NULL, ...): no timeout; one ready.
        assert!(ready(call(libc::SYS_ppoll, [8, 1, 0, 0, 8, 0]), 1));
        // With a timeout, or none ready: nothing.
        assert!(!ready(call(libc::SYS_ppoll, [8, 1, 16, 0, 8, 0]), 1));
        assert!(!ready(call(libc::SYS_ppoll, [8, 1, 0, 0, 8, 0]), 0));
        // epoll_pwait(fd, events, 4, -1, ...) against a timeout of 1000 ms.
        assert!(ready(
            call(libc::SYS_epoll_pwait, [3, 8, 4, u64::MAX, 0, 8]),
            1
        ));
        assert!(!ready(
            call(libc::SYS_epoll_pwait, [3, 8, 4, 1000, 0, 8]),
            1
        ));
        // sigwaitinfo that took a SIGCHLD; another signal, or sigtimedwait, is none.
        let chld = i64::from(libc::SIGCHLD);
        assert!(ready(
            call(libc::SYS_rt_sigtimedwait, [8, 0, 0, 8, 0, 0]),
            chld
        ));
        assert!(!ready(
            call(libc::SYS_rt_sigtimedwait, [8, 0, 0, 8, 0, 0]),
            15
        ));
        assert!(!ready(
            call(libc::SYS_rt_sigtimedwait, [8, 0, 16, 8, 0, 0]),
            chld
        ));
    }

    #[test]
    fn a_signal_zero_or_a_failed_send_is_no_signal() {
        let me = std::process::id() as i32;
        let probe = signal_call(me, libc::SYS_kill, &[5, 0, 0, 0, 0, 0]).expect("a kill");
        assert_eq!(probe.settle(me, me, 0, Duration::ZERO), None);
        let term = signal_call(me, libc::SYS_kill, &[5, 15, 0, 0, 0, 0]).expect("a kill");
        assert_eq!(term.settle(me, me, -1, Duration::ZERO), None);
        let sent = term.settle(me, me, 0, Duration::ZERO).expect("sent");
        assert_eq!((sent.target, sent.signal), (5, 15));
        // A group is no one process.
        let group = signal_call(me, libc::SYS_kill, &[(-5i64) as u64, 15, 0, 0, 0, 0]);
        assert_eq!(
            group.and_then(|g| g.settle(me, me, 0, Duration::ZERO)),
            None
        );
    }
}
