//! Every child this process started through the crate (a `Process`, a pool's worker) and has
//! not reaped: Python's `multiprocessing` keeps the same set. One place reaps them all, so a
//! finished child is reaped at the next `start` even when nobody joins it (no zombie), its
//! status kept for the handle that asks later; `active_children` lists the live ones; and at a
//! normal exit daemons are terminated and every other child is joined, as Python does.
//!
//! A forked child starts with an empty table: its parent's children are not its own.

use std::sync::Once;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;

use crate::error::{Error, Result};
use crate::pidfd::wait_for_end;
use crate::reports::{ReportSlot, SlotId, Slots};
use crate::spin::SpinLock;

/// How a child ended: its exit status, or the signal that killed it, or `Unknown` when the
/// kernel reaped it for us (`SIGCHLD` ignored, or `SA_NOCLDWAIT`: waitpid says ECHILD).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ended {
    Exited(i32),
    Signaled(i32),
    Unknown,
}

impl Ended {
    /// Python's `exitcode`: the status, or minus the signal number; `None` when the status is
    /// lost (CPython's `exitcode` stays `None` then too).
    pub(crate) fn exitcode(self) -> Option<i32> {
        match self {
            Ended::Exited(code) => Some(code),
            Ended::Signaled(signal) => Some(-signal),
            Ended::Unknown => None,
        }
    }

    /// What a waitpid on a child of ours answered: ECHILD means the kernel already reaped it.
    fn from_wait(answer: nix::Result<WaitStatus>) -> nix::Result<Option<Ended>> {
        match answer {
            Ok(status) => Ok(Ended::from_status(status)),
            Err(Errno::ECHILD) => Ok(Some(Ended::Unknown)),
            Err(e) => Err(e),
        }
    }

    fn from_status(status: WaitStatus) -> Option<Ended> {
        match status {
            WaitStatus::Exited(_, code) => Some(Ended::Exited(code)),
            WaitStatus::Signaled(_, signal, _) => Some(Ended::Signaled(signal as i32)),
            _ => None,
        }
    }
}

/// "exited with status 3", "killed by SIGKILL": the words every error about a child's end uses.
impl std::fmt::Display for Ended {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Ended::Exited(code) => write!(f, "exited with status {code}"),
            Ended::Signaled(signal) => match Signal::try_from(signal) {
                Ok(name) => write!(f, "killed by {}", name.as_str()),
                Err(_) => write!(f, "killed by signal {signal}"),
            },
            Ended::Unknown => write!(f, "ended, its status lost (SIGCHLD is ignored)"),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    pid: i32,
    /// Terminated at exit instead of joined (Python's `daemon`).
    daemon: bool,
    /// A handle (`Process`, a pool's worker) still holds it and will ask for its end.
    owned: bool,
    /// Reaped: how it ended, kept for the handle.
    ended: Option<Ended>,
    /// Where it writes why it failed: free again once it is reaped and forgotten.
    report: SlotId,
}

/// Children whose entries live in the table itself: a start and a join then write no page of
/// the heap, only the table's (each page the parent writes after a fork is copied while the
/// child lives, or at least faulted again). More children at once go on the heap.
const INLINE_ENTRIES: usize = 8;

/// The entries of the table: the first ones in place, any more in a vector.
struct Entries {
    inline: [Option<Entry>; INLINE_ENTRIES],
    more: Vec<Entry>,
}

impl Entries {
    const fn new() -> Self {
        Entries {
            inline: [None; INLINE_ENTRIES],
            more: Vec::new(),
        }
    }

    fn push(&mut self, entry: Entry) {
        match self.inline.iter_mut().find(|e| e.is_none()) {
            Some(free) => *free = Some(entry),
            None => self.more.push(entry),
        }
    }

    fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.inline.iter().flatten().chain(&self.more)
    }

    fn iter_mut(&mut self) -> impl Iterator<Item = &mut Entry> {
        self.inline.iter_mut().flatten().chain(&mut self.more)
    }

    /// Keeps the entries `keep` accepts, in no particular order.
    fn retain(&mut self, mut keep: impl FnMut(&Entry) -> bool) {
        for slot in &mut self.inline {
            if slot.as_ref().is_some_and(|e| !keep(e)) {
                *slot = None;
            }
        }
        self.more.retain(keep);
    }

    /// In a forked child: empty, the parent's vector left allocated (a child that frees what
    /// its parent allocated writes the allocator's pages, each one copied).
    fn forget(&mut self) {
        self.inline = [None; INLINE_ENTRIES];
        std::mem::forget(std::mem::take(&mut self.more));
    }
}

/// The children, and the report slots set aside for them.
struct Table {
    entries: Entries,
    reports: Slots,
    /// Forks made so far by this process (through the crate), each child's ordinal for its
    /// random stream: counted here, on a page every fork writes anyway (the parent's first
    /// write to a page after a fork copies it, while the child lives).
    forks: u64,
}

impl Table {
    /// Forgets the entries `keep` refuses, freeing their report slots.
    fn retain(&mut self, mut keep: impl FnMut(&Entry) -> bool) {
        let reports = &mut self.reports;
        self.entries.retain(|e| {
            let kept = keep(e);
            if !kept {
                reports.give_back(e.report);
            }
            kept
        });
    }

    fn find(&mut self, pid: i32) -> Option<&mut Entry> {
        self.entries.iter_mut().find(|e| e.pid == pid)
    }
}

static TABLE: SpinLock<Table> = SpinLock::new(Table {
    entries: Entries::new(),
    reports: Slots::new(),
    forks: 0,
});

/// How long a daemon has between SIGTERM and SIGKILL at exit.
const EXIT_GRACE: Duration = Duration::from_secs(1);

/// Registers the fork handlers (which hold the table across a fork, see `lock_for_fork`) and
/// the exit handler, once.
pub(crate) fn install_handlers() {
    static HANDLERS: Once = Once::new();
    HANDLERS.call_once(|| {
        crate::fork::install_handlers();
        // SAFETY: the exit handler runs in a normal exit, where any code may.
        unsafe { libc::atexit(join_at_exit) };
    });
}

/// Before a fork (the crate's fork handlers, `fork::install_handlers`): the table is held
/// across it, and released after it by `unlock_after_fork` in the parent, `forget_in_child` in
/// the child.
#[inline]
pub(crate) fn lock_for_fork() {
    TABLE.lock();
}

#[inline]
pub(crate) fn unlock_after_fork() {
    TABLE.unlock();
}

/// In a forked child: the parent's children are not its own. Stores only (no allocator: the
/// parent's vectors are left allocated), and releases the lock the parent took for the fork.
#[inline]
pub(crate) fn forget_in_child() {
    // SAFETY: the prepare handler took the lock in the parent, and the child has it still.
    unsafe {
        TABLE.held(|table| {
            table.entries.forget();
            table.reports.forget();
            table.forks = 0;
        })
    };
    TABLE.unlock();
}

/// The ordinal of the fork about to be made: 1 for this process's first.
pub(crate) fn next_fork_ordinal() -> u64 {
    TABLE.with(|table| {
        table.forks += 1;
        table.forks
    })
}

/// A slot for the report of a child about to be forked: give it to `register` once forked, or
/// back with `unreserve` when the fork failed.
pub(crate) fn reserve_report() -> Result<(SlotId, ReportSlot)> {
    install_handlers();
    TABLE.with(|table| table.reports.take())
}

/// A reserved slot that no child got.
pub(crate) fn unreserve(report: SlotId) {
    TABLE.with(|table| table.reports.give_back(report));
}

/// Records a child just forked, with its report slot.
pub(crate) fn register(pid: i32, daemon: bool, report: SlotId) {
    TABLE.with(|table| {
        table.entries.push(Entry {
            pid,
            daemon,
            owned: true,
            ended: None,
            report,
        })
    });
}

/// Reaps `pid` if it has ended, without waiting: how it ended (kept for the next ask).
pub(crate) fn try_reap(pid: i32) -> Result<Option<Ended>> {
    TABLE.with(|table| {
        let entry = table.find(pid);
        if let Some(Entry {
            ended: Some(ended), ..
        }) = entry
        {
            return Ok(Some(*ended));
        }
        let answer = waitpid(Pid::from_raw(pid), Some(WaitPidFlag::WNOHANG));
        let ended = Ended::from_wait(answer).map_err(|e| Error::os("waitpid", e).with_pid(pid))?;
        if let (Some(entry), Some(_)) = (entry, ended) {
            entry.ended = ended;
        }
        Ok(ended)
    })
}

/// How `pid` ended, if a reap already found out (no system call).
pub(crate) fn known_end(pid: i32) -> Option<Ended> {
    TABLE.with(|table| table.find(pid).and_then(|e| e.ended))
}

/// Waits for `pid` to end and reaps it: a blocking `waitpid`, as a raw loop makes, outside the
/// table's lock. Another thread's reap may get there first (it reaps under the lock and keeps
/// the status, so an ECHILD here finds it in the table); when this one wins, a reap that found
/// the child gone meanwhile wrote `Unknown`, and the status replaces it.
pub(crate) fn wait_for(pid: i32) -> Result<Ended> {
    loop {
        if let Some(ended) = known_end(pid) {
            return Ok(ended);
        }
        match waitpid(Pid::from_raw(pid), None) {
            Ok(status) => {
                if let Some(ended) = Ended::from_status(status) {
                    TABLE.with(|table| {
                        if let Some(entry) = table.find(pid) {
                            entry.ended = Some(ended);
                        }
                    });
                    return Ok(ended);
                }
                // Stopped or continued: still running.
            }
            Err(Errno::EINTR) => {}
            // Reaped by another thread (its status is in the table) or by the kernel, when
            // SIGCHLD is ignored: `try_reap` tells which.
            Err(Errno::ECHILD) => {
                if let Some(ended) = try_reap(pid)? {
                    return Ok(ended);
                }
            }
            Err(e) => return Err(Error::os("waitpid", e).with_pid(pid)),
        }
    }
}

/// The handle of `pid` is gone: forget it once reaped (now, or when a later reap finds it).
pub(crate) fn disown(pid: i32) {
    let _ = try_reap(pid);
    TABLE.with(|table| {
        if let Some(entry) = table.find(pid) {
            entry.owned = false;
        }
        table.retain(|e| e.pid != pid || e.ended.is_none());
    });
}

/// Reaps every child that has ended (Python's `_cleanup`, run at each `start`).
pub(crate) fn reap_finished() {
    TABLE.with(|table| {
        for entry in table.entries.iter_mut().filter(|e| e.ended.is_none()) {
            let answer = waitpid(Pid::from_raw(entry.pid), Some(WaitPidFlag::WNOHANG));
            if let Ok(ended) = Ended::from_wait(answer) {
                entry.ended = ended;
            }
        }
        table.retain(|e| e.owned || e.ended.is_none());
    });
}

/// The pids of this process's children still running, after reaping those that ended:
/// Python's `multiprocessing.active_children()` (which gives the `Process` objects).
///
/// Every child started through this crate counts: a [`Process`](crate::Process), a
/// [`Pool`](crate::Pool)'s worker. A child made with [`fork`](crate::fork) does not, as in
/// Python.
///
/// ```
/// use multitask::{Process, Queue, active_children};
/// let go: Queue<u8> = Queue::new()?;
/// let mut p = Process::new(|| go.get().map(|_| ()));
/// p.start()?;
/// assert!(active_children().contains(&p.pid().unwrap()));
/// go.put(1)?;
/// p.join()?;
/// assert!(!active_children().contains(&p.pid().unwrap()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn active_children() -> Vec<i32> {
    reap_finished();
    TABLE.with(|table| {
        table
            .entries
            .iter()
            .filter(|e| e.ended.is_none())
            .map(|e| e.pid)
            .collect()
    })
}

/// True while a child of this process has not been reaped: the exit handler has work. Inline,
/// so that a child started by the crate asks on its way out from the page of its own code
/// (a forked child maps anew each page of code it runs).
#[inline]
pub(crate) fn any_unreaped() -> bool {
    TABLE.with(|table| table.entries.iter().any(|e| e.ended.is_none()))
}

/// At a normal exit (`main` returned, `std::process::exit`, or a child's target returned):
/// daemons get SIGTERM (SIGKILL a second later), every other child is waited for, as Python's
/// exit handler does. An abnormal death of this process still takes them all at once (their
/// parent-death signal).
pub(crate) extern "C" fn join_at_exit() {
    let alive: Vec<Entry> = TABLE.with(|table| {
        table
            .entries
            .iter()
            .copied()
            .filter(|e| e.ended.is_none())
            .collect()
    });
    if alive.is_empty() {
        // The usual end of a child that started none: no clock read, no page touched.
        return;
    }
    for daemon in alive.iter().filter(|e| e.daemon) {
        let _ = kill(Pid::from_raw(daemon.pid), Signal::SIGTERM);
    }
    let grace = Instant::now() + EXIT_GRACE;
    for entry in &alive {
        let pid = Pid::from_raw(entry.pid);
        let reaped = || {
            !matches!(
                waitpid(pid, Some(WaitPidFlag::WNOHANG)),
                Ok(WaitStatus::StillAlive)
            )
        };
        if entry.daemon {
            let left = grace.saturating_duration_since(Instant::now());
            let mut done = false;
            wait_for_end(entry.pid, left, || {
                done = reaped();
                done
            });
            if done {
                continue;
            }
            // Still running, so not reaped: the pid is still this child's.
            let _ = kill(pid, Signal::SIGKILL);
        }
        while let Err(Errno::EINTR) | Ok(WaitStatus::Stopped(..) | WaitStatus::Continued(..)) =
            waitpid(pid, None)
        {}
    }
}

#[cfg(test)]
mod tests {
    use super::Ended;

    #[test]
    fn an_end_reads_the_same_for_process_and_pool() {
        assert_eq!(Ended::Exited(3).to_string(), "exited with status 3");
        assert_eq!(Ended::Signaled(9).to_string(), "killed by SIGKILL");
        assert_eq!(Ended::Signaled(64).to_string(), "killed by signal 64");
        assert_eq!(Ended::Signaled(15).exitcode(), Some(-15));
        assert_eq!(Ended::Exited(1).exitcode(), Some(1));
        assert_eq!(Ended::Unknown.exitcode(), None);
    }
}
