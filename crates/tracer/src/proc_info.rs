//! What /proc says of a stopped tracee: what a descriptor is open on, its process, name, program.

use std::collections::HashSet;
use std::path::PathBuf;

use nix::sys::stat::{FileStat, stat};

use crate::options::FileId;
use crate::record::{Channel, ChannelKind, SharedMemory};

const ARGS_MAX: usize = 16;
const ARG_BYTES_MAX: usize = 256;

/// What descriptor `fd` of task `tid` is open on (`stat` follows the magic link, so a dup, an
/// inherited copy or a reopened terminal all give the file's own identity).
pub(crate) fn fd_stat(tid: i32, fd: u64) -> Option<FileStat> {
    let fd = i32::try_from(fd).ok()?;
    stat(&PathBuf::from(format!("/proc/{tid}/fd/{fd}"))).ok()
}

/// What descriptor `fd` of task `tid` is open on, as an identity.
pub(crate) fn fd_identity(tid: i32, fd: u64) -> Option<FileId> {
    fd_stat(tid, fd).map(|st| identity(&st))
}

/// The file's identity, from its `stat`.
pub(crate) fn identity(st: &FileStat) -> FileId {
    FileId::from_stat(st)
}

/// The channel a file is, if it is a pipe, a FIFO or a socket.
pub(crate) fn channel(st: &FileStat) -> Option<Channel> {
    let kind = match st.st_mode & libc::S_IFMT {
        libc::S_IFIFO => ChannelKind::Pipe,
        libc::S_IFSOCK => ChannelKind::Socket,
        _ => return None,
    };
    Some(Channel {
        kind,
        dev: st.st_dev,
        ino: st.st_ino,
    })
}

/// The local and peer addresses of socket `fd` of process `pid`, if it is a connected IPv4 or
/// IPv6 socket (TCP, or connected UDP): read from a copy of the descriptor (`pidfd_getfd`), not
/// from `/proc/net/tcp`, whose every read walks the kernel's whole connection table (milliseconds).
pub(crate) fn inet_names(pid: i32, fd: u64) -> Option<(Vec<u8>, Vec<u8>)> {
    let copy = crate::sys::fd_of(pid, i32::try_from(fd).ok()?).ok()?;
    let local = crate::sys::socket_name(&copy, false)?;
    let family = i32::from(u16::from_ne_bytes([*local.first()?, *local.get(1)?]));
    if family != libc::AF_INET && family != libc::AF_INET6 {
        return None;
    }
    let peer = crate::sys::socket_name(&copy, true)?;
    Some((local, peer))
}

/// The writable shared memory process `pid` maps now (`rw-s` rows of `/proc/PID/maps` with an
/// inode), one entry per object, POSIX semaphores (`/dev/shm/sem.*`: a counter, no data) left out.
pub(crate) fn shared_memory(pid: i32) -> Vec<SharedMemory> {
    let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/maps")) else {
        return Vec::new();
    };
    let mut seen: HashSet<(u64, u64)> = HashSet::new();
    let mut out = Vec::new();
    for line in text.lines() {
        // address perms offset dev inode [path]
        let mut f = line.splitn(6, ' ');
        let (Some(_), Some(perms), Some(_), Some(dev), Some(ino)) =
            (f.next(), f.next(), f.next(), f.next(), f.next())
        else {
            continue;
        };
        let p = perms.as_bytes();
        if p.len() < 4 || p[1] != b'w' || p[3] != b's' {
            continue;
        }
        let Ok(ino) = ino.parse::<u64>() else {
            continue;
        };
        let name = f.next().unwrap_or("").trim().to_string();
        if ino == 0 || name.starts_with("/dev/shm/sem.") {
            continue;
        }
        let Some((major, minor)) = dev.split_once(':') else {
            continue;
        };
        let (Ok(major), Ok(minor)) = (
            u32::from_str_radix(major, 16),
            u32::from_str_radix(minor, 16),
        ) else {
            continue;
        };
        let dev = libc::makedev(major, minor);
        if seen.insert((dev, ino)) {
            out.push(SharedMemory { dev, ino, name });
        }
    }
    out
}

/// The controlling terminal of task `tid` (`tty_nr` of `/proc/TID/stat`) as an `st_rdev`, if
/// it has one: what its `/dev/tty` (device 5:0) writes to.
pub(crate) fn controlling_tty(tid: i32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{tid}/stat")).ok()?;
    // The name may hold spaces and parentheses: the fields start after the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    // state ppid pgrp session tty_nr
    let tty_nr: u32 = rest.split_whitespace().nth(4)?.parse().ok()?;
    if tty_nr == 0 {
        return None;
    }
    // The kernel's encoding: minor bits 0-7 and 20-31, major bits 8-19.
    let major = (tty_nr >> 8) & 0xfff;
    let minor = (tty_nr & 0xff) | ((tty_nr >> 12) & 0xfff00);
    Some(libc::makedev(major, minor))
}

/// The process (tgid) task `tid` belongs to.
pub(crate) fn tgid_of(tid: i32) -> Option<i32> {
    status_field(tid, "Tgid:")
}

fn status_field(tid: i32, field: &str) -> Option<i32> {
    let status = std::fs::read_to_string(format!("/proc/{tid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().parse().ok())
}

/// The parent process of process `pid` (`PPid:`).
pub(crate) fn ppid_of(pid: i32) -> Option<i32> {
    status_field(pid, "PPid:")
}

/// The task's name (`comm`).
pub(crate) fn comm(tid: i32) -> Option<String> {
    let raw = std::fs::read(format!("/proc/{tid}/comm")).ok()?;
    Some(
        String::from_utf8_lossy(&raw)
            .trim_end_matches('\n')
            .to_string(),
    )
}

/// The identity of the executable of `pid` (the file `/proc/PID/exe` names, followed).
pub(crate) fn exe_file(pid: i32) -> Option<crate::FileId> {
    crate::FileId::of_path(std::path::Path::new(&format!("/proc/{pid}/exe"))).ok()
}

/// The program a process runs (`/proc/PID/exe`).
pub(crate) fn exe(pid: i32) -> Option<String> {
    std::fs::read_link(format!("/proc/{pid}/exe"))
        .ok()
        .map(|p| p.to_string_lossy().into_owned())
}

/// Its command line, cut to 16 arguments of 256 bytes.
pub(crate) fn cmdline(pid: i32) -> Vec<String> {
    let Ok(raw) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
        return Vec::new();
    };
    let raw = raw.strip_suffix(&[0]).unwrap_or(&raw);
    if raw.is_empty() {
        return Vec::new();
    }
    raw.split(|&b| b == 0)
        .take(ARGS_MAX)
        .map(|a| String::from_utf8_lossy(&a[..a.len().min(ARG_BYTES_MAX)]).into_owned())
        .collect()
}

/// The CPU time task `tid` of process `tgid` used so far: the kernel's run time of the task
/// (the first field of `/proc/TGID/task/TID/schedstat`, nanoseconds, what
/// `CLOCK_PROCESS_CPUTIME_ID` and `getrusage` add up; a task running right now may not have had
/// its last few milliseconds added yet), or where the kernel keeps no schedstat, `utime + stime`
/// of its own `stat` (clock ticks; `/proc/PID/stat` sums a process's threads).
pub(crate) fn cpu_time(tgid: i32, tid: i32) -> Option<std::time::Duration> {
    if let Ok(s) = std::fs::read_to_string(format!("/proc/{tgid}/task/{tid}/schedstat"))
        && let Some(ns) = s
            .split_whitespace()
            .next()
            .and_then(|n| n.parse::<u64>().ok())
    {
        return Some(std::time::Duration::from_nanos(ns));
    }
    let stat = std::fs::read_to_string(format!("/proc/{tgid}/task/{tid}/stat")).ok()?;
    // The name may hold spaces and parentheses: the fields start after the last ')'.
    let mut rest = stat[stat.rfind(')')? + 1..].split_whitespace();
    // Fields 14 and 15 of the line, 12th and 13th after the name.
    let utime: u64 = rest.nth(11)?.parse().ok()?;
    let stime: u64 = rest.next()?.parse().ok()?;
    // SAFETY: sysconf only reads a configuration value.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    let ticks = u64::try_from(ticks).ok().filter(|&t| t > 0)?;
    Some(std::time::Duration::from_secs_f64(
        (utime + stime) as f64 / ticks as f64,
    ))
}
