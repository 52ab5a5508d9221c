//! Process-tree membership: which processes on the machine are one run's, read from /proc with
//! the `procfs` crate.
//!
//! A process is the run's when it is in the main process's session or process group, descends
//! from a process known to be the run's, or, for an orphan adopted by us, carries the run's
//! marker in its environment, or, for an orphan adopted by us without any marker (an escapee
//! that cleared its environment), left our session without leading one, or, for any child of
//! ours, is in the run's own user namespace (a fenced run's: a `clone(CLONE_PARENT)` sibling of
//! the main process). A pid with its start time names one process even across reuse.

use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;

use nix::errno::Errno;
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, waitpid};
use nix::unistd::Pid;
use procfs::process::{Process, Stat};

use super::config::RUN_ID_ENV;
use super::sys::{group_is_empty, pidfd_open, pidfd_send_signal};

/// A left-behind process's command line is cut to this many bytes.
const CMDLINE_MAX: usize = 256;

/// One process as /proc/PID/stat shows it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Proc {
    pub(super) pid: i32,
    pub(super) ppid: i32,
    pub(super) pgrp: i32,
    session: i32,
    /// `Z` for a zombie.
    pub(super) state: char,
    /// Clock ticks since boot: with the pid, names one process even across pid reuse.
    starttime: u64,
}

impl From<Stat> for Proc {
    fn from(s: Stat) -> Self {
        Proc {
            pid: s.pid,
            ppid: s.ppid,
            pgrp: s.pgrp,
            session: s.session,
            state: s.state,
            starttime: s.starttime,
        }
    }
}

fn read_stat(pid: i32) -> Option<Proc> {
    Some(Process::new(pid).ok()?.stat().ok()?.into())
}

/// A process's state (`R` running, `S` sleeping, ...) and how much it has run: the sum over its
/// threads of their time on a CPU (ns) and their times scheduled in (`/proc/PID/task/*/schedstat`;
/// a thread that woke for a moment counts, unlike in the 10 ms ticks of `stat`). None once it is
/// gone.
pub(super) fn state_and_runs(pid: i32) -> Option<(char, u64)> {
    let process = Process::new(pid).ok()?;
    let state = process.stat().ok()?.state;
    let mut ran = 0u64;
    for task in process.tasks().ok()?.flatten() {
        if let Ok(s) = task.schedstat() {
            ran = ran.wrapping_add(s.sum_exec_runtime).wrapping_add(s.pcount);
        }
    }
    Some((state, ran))
}

fn all_procs() -> Vec<Proc> {
    let Ok(all) = procfs::process::all_processes() else {
        return Vec::new();
    };
    all.filter_map(|p| Some(p.ok()?.stat().ok()?.into()))
        .collect()
}

/// Our direct children, from /proc/self/task/*/children; None when the kernel lacks the file.
///
/// The kernel builds each list entry by entry, so a child can be missed while others are reaped
/// or threads exit; callers read twice and trust only two equal answers.
fn our_children() -> Option<Vec<i32>> {
    let mut pids = Vec::new();
    for task in Process::myself().ok()?.tasks().ok()? {
        let Ok(task) = task else {
            // A thread that exited meanwhile; its children moved on.
            continue;
        };
        match task.children() {
            Ok(children) => pids.extend(children.into_iter().map(|p| p as i32)),
            // A thread that exited meanwhile has no list any more; its children moved on.
            Err(procfs::ProcError::NotFound(_)) if task.stat().is_err() => continue,
            Err(_) => return None,
        }
    }
    pids.sort_unstable();
    Some(pids)
}

/// /proc/PID/cmdline, arguments joined by spaces; `[name]` when it is empty.
pub(super) fn cmdline(pid: i32) -> String {
    let proc = Process::new(pid).ok();
    let args = proc
        .as_ref()
        .and_then(|p| p.cmdline().ok())
        .unwrap_or_default();
    let mut line = if args.is_empty() {
        let comm = proc
            .and_then(|p| p.stat().ok())
            .map(|s| s.comm)
            .unwrap_or_default();
        format!("[{comm}]")
    } else {
        args.join(" ")
    };
    if line.len() > CMDLINE_MAX {
        let mut cut = CMDLINE_MAX;
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        line.truncate(cut);
        line.push_str("...");
    }
    line
}

/// The user namespace of `pid` (device and inode of /proc/PID/ns/user; a zombie keeps it).
fn user_ns(pid: i32) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(format!("/proc/{pid}/ns/user")).ok()?;
    Some((m.dev(), m.ino()))
}

/// The user namespace of `pid` when it is not ours: the run's own.
pub(super) fn own_user_ns(pid: i32) -> Option<(u64, u64)> {
    let theirs = user_ns(pid)?;
    (user_ns(std::process::id() as i32) != Some(theirs)).then_some(theirs)
}

/// This process's session id.
pub(super) fn our_session() -> i32 {
    nix::unistd::getsid(None).map_or(0, |p| p.as_raw())
}

/// Tells the run's processes apart from every other process on the machine.
pub(super) struct Tree {
    /// This process: the adopter of the run's orphans.
    pub(super) our_pid: i32,
    /// This process's session: our own children without setsid stay in it.
    pub(super) our_session: i32,
    pub(super) main_pid: i32,
    /// The run's value of [`RUN_ID_ENV`].
    pub(super) marker: String,
    /// Every process ever identified as the run's: pid -> starttime.
    pub(super) known: HashMap<i32, u64>,
    /// The main process's user namespace, when it is not ours (a fenced run has its own): a
    /// child of ours in it is the run's, whatever its session and environment (a process made
    /// with `clone(CLONE_PARENT)` is our child, not the port's).
    pub(super) user_ns: Option<(u64, u64)>,
    /// False when the run is traced: the tracer reaps every process of it, and a wait from
    /// here could take a tracee's exit from it.
    pub(super) reaps: bool,
}

impl Tree {
    /// The run's processes alive or zombie right now (the main process too until it is reaped).
    pub(super) fn scan(&mut self) -> Vec<Proc> {
        let procs = all_procs();
        let mut member = vec![false; procs.len()];
        for (i, p) in procs.iter().enumerate() {
            member[i] = p.pid != self.our_pid
                && (p.session == self.main_pid
                    || p.pgrp == self.main_pid
                    || self.known.get(&p.pid) == Some(&p.starttime));
        }
        self.close_over_children(&procs, &mut member);
        // Orphans adopted by us that left the session: only the marker in their environment
        // (inherited across fork and exec unless cleared) says whose they are.
        let mut added = false;
        for (i, p) in procs.iter().enumerate() {
            if !member[i] && self.adopted(p) {
                member[i] = true;
                added = true;
            }
        }
        if added {
            self.close_over_children(&procs, &mut member);
        }
        let members: Vec<Proc> = procs
            .into_iter()
            .zip(member)
            .filter_map(|(p, m)| m.then_some(p))
            .collect();
        for p in &members {
            self.known.insert(p.pid, p.starttime);
        }
        members
    }

    /// Marks every descendant of a member as a member.
    fn close_over_children(&self, procs: &[Proc], member: &mut [bool]) {
        loop {
            let pids: HashSet<i32> = procs
                .iter()
                .zip(member.iter())
                .filter_map(|(p, &m)| m.then_some(p.pid))
                .collect();
            let mut changed = false;
            for (i, p) in procs.iter().enumerate() {
                if !member[i] && p.pid != self.our_pid && pids.contains(&p.ppid) {
                    member[i] = true;
                    changed = true;
                }
            }
            if !changed {
                return;
            }
        }
    }

    /// An orphan adopted by us that is the run's: it carries the run's marker, or it carries no
    /// marker at all and left our session without leading a session of its own. Our own
    /// children are either in our session or lead their own (each run's main process calls
    /// setsid), so such a process can only be an escapee's descendant re-parented to us, the
    /// subreaper (a double fork past setsid, its environment cleared).
    fn adopted(&self, p: &Proc) -> bool {
        if p.ppid != self.our_pid {
            return false;
        }
        if self.user_ns.is_some() && user_ns(p.pid) == self.user_ns {
            return true;
        }
        if p.state == 'Z' {
            return false;
        }
        let marker = Process::new(p.pid)
            .and_then(|q| q.environ())
            .map(|env| env.get(OsStr::new(RUN_ID_ENV)).cloned());
        match marker {
            Ok(Some(m)) => m == OsStr::new(&self.marker),
            Ok(None) => p.session != p.pid && p.session != self.our_session,
            Err(_) => false,
        }
    }

    /// Reaps the members that are our zombie children, except the main process (the caller
    /// reaps that one through its `Child` to keep its status).
    pub(super) fn reap(&self, members: &[Proc]) {
        if !self.reaps {
            return;
        }
        for p in members {
            if p.state == 'Z' && p.ppid == self.our_pid && p.pid != self.main_pid {
                // A zombie child of ours cannot be recycled before we reap it, so this pid is it.
                let _ = waitpid(Pid::from_raw(p.pid), Some(WaitPidFlag::WNOHANG));
            }
        }
    }

    /// True when the run's tree is surely gone, after reaping our zombie children of the run;
    /// false when unsure (then a full scan decides). Only valid once the main process is reaped.
    ///
    /// Cheap: a full scan reads every process's stat (about 30 us each: 15 ms on a desktop with
    /// 500 processes), this reads only our own children's. It is sound because once the main
    /// process is gone, the topmost survivors of its tree are all our children: each one's
    /// parent either is a survivor itself or died and handed it to us, the subreaper.
    pub(super) fn gone_fast(&mut self) -> bool {
        let Some(children) = our_children() else {
            return false;
        };
        if our_children().as_ref() != Some(&children) {
            return false;
        }
        for pid in children {
            let Some(p) = read_stat(pid) else {
                continue;
            };
            let ours = p.session == self.main_pid
                || p.pgrp == self.main_pid
                || self.known.get(&p.pid) == Some(&p.starttime)
                || self.adopted(&p);
            if !ours {
                continue;
            }
            if p.state != 'Z' {
                return false;
            }
            self.known.insert(p.pid, p.starttime);
            self.reap(&[p]);
        }
        // A safety net for the children lists: nothing may be left in the run's process group.
        // The group id cannot name anyone else while a member could still hold it.
        group_is_empty(self.main_pid)
    }

    /// Scans, reaps what is ours to reap, and returns the members still there.
    pub(super) fn scan_and_reap(&mut self) -> Vec<Proc> {
        let members = self.scan();
        self.reap(&members);
        members
            .into_iter()
            .filter(|p| !(p.state == 'Z' && p.ppid == self.our_pid && p.pid != self.main_pid))
            .collect()
    }
}

/// SIGKILLs `p` only if the pid still names the same process (pids are recycled).
pub(super) fn kill_verified(p: &Proc) {
    match pidfd_open(p.pid) {
        Ok(fd) => {
            // The pidfd pins the process: if its starttime still matches, the signal reaches it.
            if read_stat(p.pid).is_some_and(|now| now.starttime == p.starttime) {
                let _ = pidfd_send_signal(&fd, libc::SIGKILL);
            }
        }
        Err(Errno::ENOSYS) => {
            if read_stat(p.pid).is_some_and(|now| now.starttime == p.starttime) {
                let _ = kill(Pid::from_raw(p.pid), Signal::SIGKILL);
            }
        }
        Err(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use procfs::FromRead;

    use super::*;

    #[test]
    fn stat_with_a_paren_in_the_name() {
        let line: &[u8] = b"42 (a) b) S 7 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 12345 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
        let p: Proc = Stat::from_read(line)
            .unwrap_or_else(|e| panic!("a stat line with ') ' in the name did not parse: {e}"))
            .into();
        assert_eq!(
            (p.state, p.ppid, p.pgrp, p.session, p.starttime),
            ('S', 7, 42, 42, 12345)
        );
    }

    #[test]
    fn our_own_children_are_listed() {
        let mut child = std::process::Command::new("sleep")
            .arg("10")
            .spawn()
            .expect("spawn sleep");
        let pid = child.id() as i32;
        let listed = our_children();
        let _ = child.kill();
        let _ = child.wait();
        let listed = listed.expect("/proc/self/task/*/children");
        assert!(listed.contains(&pid), "{pid} not in {listed:?}");
    }
}
