//! What the kernel says a free task is doing: going on (running, or sleeping a fixed time), or
//! waiting for something another task must provide (an exit, bytes in a pipe, a futex).
//!
//! Read from `/proc/TID/stat` (the state letter) and, for a task asleep in the kernel,
//! `/proc/TID/syscall` (the call it sits in and its arguments). A sleep is not a wait: a task in
//! `nanosleep`, `clock_nanosleep`, or a `select`/`poll` on no descriptor at all will go on by
//! itself, whatever the other tasks do.

use std::time::Duration;

/// A free (not parked) task as the scheduler sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Activity {
    /// Running, runnable, or in a stop the tracer serves now: it goes on without any other task.
    Running,
    /// Asleep for a fixed time (`nanosleep` and the like): it goes on by itself once it ends.
    Sleeping,
    /// Blocked until another task acts (a wait, a read, a futex, a vfork), stopped for good, or
    /// gone.
    Waiting,
    /// Ended, not reaped yet.
    Zombie,
}

/// The calls a task sleeps in for a fixed time (x86_64 and aarch64 numbers from libc).
fn is_sleep(nr: i64, args: &[u64]) -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        if nr == libc::SYS_nanosleep {
            return true;
        }
        // select(nfds, ...) and poll(fds, nfds, timeout) on nothing: a sleep.
        if nr == libc::SYS_select {
            return args.first() == Some(&0);
        }
        if nr == libc::SYS_poll {
            return args.get(1) == Some(&0);
        }
    }
    if nr == libc::SYS_clock_nanosleep {
        return true;
    }
    if nr == libc::SYS_pselect6 {
        return args.first() == Some(&0);
    }
    if nr == libc::SYS_ppoll {
        return args.get(1) == Some(&0);
    }
    false
}

/// The calls a vfork parent sits in until its child execs or exits.
fn is_vfork(nr: i64) -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        if nr == libc::SYS_vfork {
            return true;
        }
    }
    nr == libc::SYS_clone || nr == libc::SYS_clone3
}

/// The state letter of `/proc/TID/stat` (after the name, which may hold spaces and parentheses).
fn state(tid: i32) -> Option<u8> {
    let stat = std::fs::read(format!("/proc/{tid}/stat")).ok()?;
    let close = stat.iter().rposition(|&b| b == b')')?;
    stat.get(close + 2).copied()
}

/// The CPU time task `tid` used so far, in clock ticks (`utime + stime` of `/proc/TID/stat`).
pub(crate) fn cpu_ticks(tid: i32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{tid}/stat")).ok()?;
    let mut rest = stat[stat.rfind(')')? + 1..].split_whitespace();
    // Fields 14 and 15 of the line, 12th and 13th after the name.
    let utime: u64 = rest.nth(11)?.parse().ok()?;
    let stime: u64 = rest.next()?.parse().ok()?;
    Some(utime + stime)
}

/// The call a sleeping task sits in and its arguments: `/proc/TID/syscall` is
/// `NR ARG1 ... ARG6 SP PC` (numbers in hex after the first), or `running`, or `-1 SP PC`.
fn syscall(tid: i32) -> Option<(i64, Vec<u64>)> {
    let text = std::fs::read_to_string(format!("/proc/{tid}/syscall")).ok()?;
    let mut fields = text.split_whitespace();
    let nr: i64 = fields.next()?.parse().ok()?;
    let args = fields
        .take(6)
        .filter_map(|f| u64::from_str_radix(f.trim_start_matches("0x"), 16).ok())
        .collect();
    Some((nr, args))
}

/// How many times task `tid` blocked so far (`voluntary_ctxt_switches` of its status): a task
/// seen in a wait twice with the same count has not left it in between.
pub(crate) fn blocked_count(tid: i32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{tid}/status")).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("voluntary_ctxt_switches:"))
        .and_then(|v| v.trim().parse().ok())
}

/// The process (thread group) task `tid` belongs to (`Tgid` of its status).
pub(crate) fn tgid(tid: i32) -> Option<i32> {
    let text = std::fs::read_to_string(format!("/proc/{tid}/status")).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("Tgid:"))
        .and_then(|v| v.trim().parse().ok())
}

/// A `timespec` (or, `micros`, a `timeval`) at `addr` of task `tid`.
fn time_at(tid: i32, addr: u64, micros: bool) -> Option<Duration> {
    let raw = crate::memory::read_bytes(tid, addr, 16);
    let sec = i64::from_ne_bytes(raw.get(0..8)?.try_into().ok()?);
    let frac = i64::from_ne_bytes(raw.get(8..16)?.try_into().ok()?);
    let nanos = if micros {
        frac.checked_mul(1000)?
    } else {
        frac
    };
    let (sec, nanos) = (u64::try_from(sec).ok()?, u32::try_from(nanos).ok()?);
    Some(Duration::new(sec, nanos.min(999_999_999)))
}

/// Now on `clock` (`CLOCK_MONOTONIC` or `CLOCK_REALTIME`).
fn clock_now(clock: libc::clockid_t) -> Option<Duration> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec we own.
    if unsafe { libc::clock_gettime(clock, &mut ts) } != 0 {
        return None;
    }
    Some(Duration::new(
        u64::try_from(ts.tv_sec).ok()?,
        u32::try_from(ts.tv_nsec).ok()?,
    ))
}

/// Milliseconds as a poll's or epoll's timeout (`None`: negative, no timeout).
fn millis(arg: Option<&u64>) -> Option<Duration> {
    let ms = *arg? as u32 as i32;
    (ms >= 0).then(|| Duration::from_millis(ms as u64))
}

/// A pointer argument, if not NULL.
fn ptr(arg: Option<&u64>) -> Option<u64> {
    arg.copied().filter(|&a| a != 0)
}

/// How long task `tid`, blocked in the kernel, may wait at most before it goes on by itself: the
/// timeout of the wait it sits in (`futex`, `select`, `poll`, `epoll_wait` and their kin), what
/// is left of it for an absolute one, the whole of it for a relative one (the kernel does not
/// say how much is left). `None`: no wait with a timeout.
pub(crate) fn timed_wait(tid: i32) -> Option<Duration> {
    let (nr, args) = syscall(tid)?;
    const FUTEX_WAIT: u64 = 0;
    const FUTEX_WAIT_BITSET: u64 = 9;
    const FUTEX_CLOCK_REALTIME: u64 = 256;
    #[cfg(target_arch = "x86_64")]
    {
        if nr == libc::SYS_select {
            return time_at(tid, ptr(args.get(4))?, true);
        }
        if nr == libc::SYS_poll {
            return millis(args.get(2));
        }
        if nr == libc::SYS_epoll_wait {
            return millis(args.get(3));
        }
    }
    match nr {
        libc::SYS_futex => {
            let op = *args.get(1)?;
            let at = ptr(args.get(3))?;
            match op & 127 {
                FUTEX_WAIT => time_at(tid, at, false),
                FUTEX_WAIT_BITSET => {
                    let clock = if op & FUTEX_CLOCK_REALTIME != 0 {
                        libc::CLOCK_REALTIME
                    } else {
                        libc::CLOCK_MONOTONIC
                    };
                    Some(time_at(tid, at, false)?.saturating_sub(clock_now(clock)?))
                }
                _ => None,
            }
        }
        libc::SYS_pselect6 => time_at(tid, ptr(args.get(4))?, false),
        libc::SYS_ppoll => time_at(tid, ptr(args.get(2))?, false),
        libc::SYS_epoll_pwait => millis(args.get(3)),
        libc::SYS_epoll_pwait2 => time_at(tid, ptr(args.get(3))?, false),
        _ => None,
    }
}

/// What task `tid` is doing now.
#[cfg(test)]
pub(crate) fn activity(tid: i32) -> Activity {
    observe(tid).0
}

/// What task `tid` is doing now, and the call it is blocked in (-1 when none). The state and
/// the call are two reads: a task blocked at the first and past the second is moving (running).
pub(crate) fn observe(tid: i32) -> (Activity, i64) {
    let before = state(tid);
    let call = match before {
        Some(b'S' | b'I' | b'D') => syscall(tid),
        _ => None,
    };
    if call.is_some() && state(tid) != before {
        return (Activity::Running, -1);
    }
    let nr = call.as_ref().map_or(-1, |c| c.0);
    let a = match before {
        Some(b'Z') => Activity::Zombie,
        // Gone, or dead.
        None | Some(b'X' | b'x') => Activity::Waiting,
        // Stopped by a signal (group-stop): nothing goes on until someone continues it.
        Some(b'T') => Activity::Waiting,
        // Uninterruptible: a vfork parent waits for its child (in the call that made it); any
        // other (a page fault, a short disk wait) goes on by itself.
        Some(b'D') => match call {
            Some((nr, _)) if is_vfork(nr) => Activity::Waiting,
            _ => Activity::Running,
        },
        Some(b'S' | b'I') => match call {
            Some((nr, args)) if nr >= 0 && is_sleep(nr, &args) => Activity::Sleeping,
            Some((nr, _)) if nr >= 0 => Activity::Waiting,
            // Between calls (a page fault, a signal): it goes on.
            _ => Activity::Running,
        },
        // Running, or in a ptrace stop the tracer is about to serve.
        Some(_) => Activity::Running,
    };
    (a, nr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sleeps_go_on_and_waits_do_not() {
        let mut sleeper = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .expect("sleep runs");
        let mut reader = std::process::Command::new("cat")
            .stdin(std::process::Stdio::piped())
            .spawn()
            .expect("cat runs");
        let (s, r) = (sleeper.id() as i32, reader.id() as i32);
        // Each settles into its call within moments; look until it does (bounded).
        let settled = |tid: i32, want: Activity| {
            (0..500).any(|_| {
                let got = state(tid) == Some(b'S') && activity(tid) == want;
                if !got {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
                got
            })
        };
        assert!(settled(s, Activity::Sleeping), "a sleep goes on by itself");
        assert!(settled(r, Activity::Waiting), "a read waits for a writer");
        let _ = sleeper.kill();
        let _ = reader.kill();
        let _ = sleeper.wait();
        let _ = reader.wait();
        assert_eq!(activity(s), Activity::Waiting, "a reaped task is gone");
        assert_eq!(activity(-1), Activity::Waiting);
    }

    #[test]
    fn cpu_ticks_grow_as_a_task_computes() {
        // SAFETY: gettid takes nothing and cannot fail.
        let me = unsafe { libc::gettid() };
        let before = cpu_ticks(me).expect("our own stat");
        let t0 = std::time::Instant::now();
        let mut x = 0u64;
        while t0.elapsed() < std::time::Duration::from_millis(60) {
            x = std::hint::black_box(x.wrapping_add(1));
        }
        assert!(cpu_ticks(me).is_some_and(|after| after >= before));
        assert_eq!(cpu_ticks(-1), None);
    }

    #[test]
    fn a_select_on_nothing_is_a_sleep() {
        assert!(is_sleep(libc::SYS_pselect6, &[0, 0, 0]));
        assert!(!is_sleep(libc::SYS_pselect6, &[3, 1, 0]));
        assert!(is_sleep(libc::SYS_ppoll, &[0x7ff0, 0]));
        assert!(!is_sleep(libc::SYS_ppoll, &[0x7ff0, 1]));
        assert!(!is_sleep(libc::SYS_futex, &[0, 0]));
    }
}
