//! What /proc says of a stopped tracee: what a descriptor is open on, its process, name, program.

use std::path::PathBuf;

use crate::options::FileId;

const ARGS_MAX: usize = 16;
const ARG_BYTES_MAX: usize = 256;

/// What descriptor `fd` of task `tid` is open on (`stat` follows the magic link, so a dup, an
/// inherited copy or a reopened terminal all give the file's own identity).
pub(crate) fn fd_identity(tid: i32, fd: u64) -> Option<FileId> {
    let fd = i32::try_from(fd).ok()?;
    FileId::of_path(&PathBuf::from(format!("/proc/{tid}/fd/{fd}"))).ok()
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

/// The CPU time task `tid` of process `tgid` used so far: `utime + stime` of its own
/// `/proc/TGID/task/TID/stat` (`/proc/PID/stat` sums a process's threads).
pub(crate) fn cpu_time(tgid: i32, tid: i32) -> Option<std::time::Duration> {
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
