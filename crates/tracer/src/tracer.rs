//! The tracer thread's loop: every stop of every tracee, until no tracee is left.
//!
//! Stops are served one at a time. A shaken task is simply not resumed until the schedule lets
//! it go on; meanwhile the loop polls (`WNOHANG`) so the other tasks keep running and being served.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use nix::errno::Errno;

use crate::calls::{self, Streams};
use crate::error::TraceError;
use crate::options::TraceOptions;
use crate::proc_info;
use crate::record::{End, Exec, HoldPoint, Refusal, TaskKind, Trace, Transfer, Write};
use crate::running::Shared;
use crate::schedule::Scheduler;
use crate::shake::{Dice, Resume};
use crate::sys::{self, Waited};
use crate::tasks::Table;

mod ends_seen;
mod syscall_stops;

use ends_seen::Ends;

pub(crate) struct Tracer {
    opts: TraceOptions,
    streams: Streams,
    shared: Arc<Shared>,
    main_pid: i32,
    table: Table,
    schedule: Scheduler,
    writes: Vec<Write>,
    unfinished: Vec<Write>,
    /// Bytes kept in `writes` so far.
    kept: usize,
    refusals: Vec<Refusal>,
    transfers: Vec<Transfer>,
    transfers_dropped: u64,
    transfers_dropped_from: Option<Duration>,
    /// Bytes kept in `transfers` so far.
    channel_kept: usize,
    /// Every socket the run moved bytes through (by inode), looked at once.
    sockets: HashSet<u64>,
    /// The connected IPv4 and IPv6 sockets among them, by (local, peer) address.
    inet: HashMap<(Vec<u8>, Vec<u8>), u64>,
    socket_peers: Vec<[u64; 2]>,
    /// Waits, pidfds, signals and closed channels seen.
    ends: Ends,
    /// Processes whose shared memory was read (at their first write to stdout or stderr, else at
    /// their exit: a read of a Python process's maps costs a millisecond on a busy machine).
    maps_read: HashSet<i32>,
    /// Tasks at their `PTRACE_EVENT_EXIT` stop, not resumed yet (held there, or about to go on).
    exiting: HashSet<i32>,
    cpu_samples: Vec<crate::record::CpuSample>,
    /// Task CPU times read for `cpu_samples` so far.
    cpu_reads: usize,
}

impl Tracer {
    /// A tracer for `main_pid`, stopped after its exec with the options set.
    pub(crate) fn new(
        opts: TraceOptions,
        streams: Streams,
        shared: Arc<Shared>,
        main_pid: i32,
    ) -> Tracer {
        let mut table = Table::default();
        table.ordered = opts.explore.is_some() || opts.shake.is_some_and(|s| s.pct.is_some());
        let dice = Dice::root(crate::schedule::stream_seed(opts.shake));
        let at = opts.start.elapsed();
        table.add_main(main_pid, at, dice, proc_info::comm(main_pid));
        let schedule = Scheduler::new(opts.shake, opts.explore.as_ref(), opts.start);
        let mut tracer = Tracer {
            opts,
            streams,
            shared,
            main_pid,
            table,
            schedule,
            writes: Vec::new(),
            unfinished: Vec::new(),
            kept: 0,
            refusals: Vec::new(),
            transfers: Vec::new(),
            transfers_dropped: 0,
            transfers_dropped_from: None,
            channel_kept: 0,
            sockets: HashSet::new(),
            inet: HashMap::new(),
            socket_peers: Vec::new(),
            maps_read: HashSet::new(),
            exiting: HashSet::new(),
            ends: Ends::default(),
            cpu_samples: Vec::new(),
            cpu_reads: 0,
        };
        tracer.note_exec(main_pid, main_pid);
        tracer
    }

    fn now(&self) -> Duration {
        self.opts.start.elapsed()
    }

    /// Serves stops until every tracee is gone. On a failure of `waitpid` itself the run is killed
    /// (so nothing outlives the tracer) and the error returned.
    pub(crate) fn run(mut self) -> Result<Trace, TraceError> {
        self.resume(self.main_pid, Resume::Cont(0));
        loop {
            match sys::wait_any(self.schedule.pending()) {
                Ok(Some(Waited::Stop(pid, status))) => self.on_status(pid, status),
                Ok(Some(Waited::Ended(pid))) => {
                    self.note_final(pid);
                    // Reaped now; a failure here (it cannot be: it was just seen) leaves it to the
                    // next wait.
                    if let Ok(status) = sys::wait_one(pid) {
                        self.on_status(pid, status);
                    }
                }
                // Every stop served: the schedule may decide (it sees the run as it is).
                Ok(None) => {
                    let due = self.schedule.due(&mut self.table, Instant::now());
                    if due.is_empty() {
                        std::thread::sleep(self.schedule.next_look(Instant::now()));
                    }
                    for (tid, how) in due {
                        self.resume(tid, how);
                    }
                }
                Err(Errno::EINTR) => {}
                // No child or tracee of this thread is left.
                Err(Errno::ECHILD) => break,
                Err(e) => {
                    self.shared.kill_all();
                    return Err(TraceError::os("cannot wait for the traced program", e));
                }
            }
        }
        let (holds, schedule) = self.schedule.finish();
        Ok(Trace {
            main_pid: self.main_pid,
            tasks: self.table.records,
            writes: self.writes,
            unfinished: self.unfinished,
            shake: self.opts.shake,
            holds,
            refusals: self.refusals,
            transfers: self.transfers,
            transfers_dropped: self.transfers_dropped,
            transfers_dropped_from: self.transfers_dropped_from,
            socket_peers: self.socket_peers,
            schedule,
            reaps: self.ends.reaps,
            pidfd_opens: self.ends.pidfd_opens,
            readies: self.ends.readies,
            signals: self.ends.signals,
            eofs: self.ends.eofs,
            cpu_samples: self.cpu_samples,
        })
    }

    /// Resumes a stopped tracee; a tracee killed meanwhile (ESRCH) reports its end later.
    fn resume(&mut self, tid: i32, how: Resume) {
        if !self.exiting.is_empty() && self.exiting.remove(&tid) {
            let at = self.now();
            if let Some(rec) = self.table.record_mut(tid) {
                rec.exiting_at = Some(at);
            }
        }
        let _ = match how {
            Resume::Cont(sig) => sys::cont(tid, sig),
            Resume::Syscall => sys::syscall(tid, 0),
        };
    }

    /// Resumes now, or when the schedule lets it go on.
    fn resume_or_hold(&mut self, tid: i32, how: Resume, point: HoldPoint) {
        // Creations outside the program proper (a launcher's) are no stop points.
        let stop_point =
            self.table.is_live(tid) && (point == HoldPoint::Write || self.table.in_program(tid));
        if !stop_point {
            self.resume(tid, how);
            return;
        }
        for (t, h) in self.schedule.arrive(&mut self.table, tid, how, point) {
            self.resume(t, h);
        }
    }

    fn on_status(&mut self, pid: i32, status: i32) {
        if libc::WIFEXITED(status) {
            self.on_end(pid, End::Exited(libc::WEXITSTATUS(status)));
        } else if libc::WIFSIGNALED(status) {
            self.on_end(pid, End::Signaled(libc::WTERMSIG(status)));
        } else if libc::WIFSTOPPED(status) {
            let sig = libc::WSTOPSIG(status);
            let event = (status >> 16) & 0xff;
            if sig == libc::SIGTRAP | 0x80 {
                self.on_syscall_exit(pid);
            } else if sig == libc::SIGTRAP && event != 0 {
                self.on_event(pid, event);
            } else {
                self.on_signal_stop(pid, sig);
            }
        }
    }

    /// Task `pid` ended and is not reaped yet: its final name and CPU time are read now, the
    /// last moment they can be. (Not at its `PTRACE_EVENT_EXIT` stop: a task with a SIGKILL
    /// pending never stops there, as a thread still running or ending when another one calls
    /// `exit_group` has; Python's `join` returns before its thread is gone.) A figure that cannot
    /// be read stays unknown (`None`), which the grader counts as unknown, never as zero.
    fn note_final(&mut self, pid: i32) {
        if !self.table.is_live(pid) {
            return;
        }
        let comm = proc_info::comm(pid);
        let cpu_time = proc_info::cpu_time(self.table.tgid(pid), pid);
        if let Some(rec) = self.table.record_mut(pid) {
            if comm.is_some() {
                rec.comm = comm;
            }
            rec.cpu_time = cpu_time;
        }
    }

    fn on_end(&mut self, pid: i32, end: End) {
        let at = self.now();
        let tgid = self.table.tgid(pid);
        if let Some(w) = self
            .table
            .live(pid)
            .and_then(|l| l.pending.take())
            .and_then(|p| calls::unfinished(pid, tgid, p, at))
        {
            self.unfinished.push(w);
        }
        if self.table.drop_early(pid) {
            self.shared.remove_process(pid);
        }
        // None: a pid we never traced (an orphan of another thread's run adopted by this thread).
        if let Some(kind) = self.table.end(pid, end, at) {
            self.schedule.forget(pid);
            if kind == TaskKind::Process {
                self.shared.remove_process(pid);
            }
            if pid == self.main_pid {
                self.on_main_end();
                self.shared.set_main_end(end);
            }
        }
        self.adopt_orphaned_early();
    }

    /// The main process ended: whatever outlives it (a forked child left to finish, by design
    /// in os.fork's example) now races the grader's grace period, and a hold of ours must not
    /// make it lose that race. Every hold ends now and no new one starts.
    fn on_main_end(&mut self) {
        for (tid, how) in self.schedule.release_all() {
            self.resume(tid, how);
        }
    }

    /// An early tracee whose creator is gone will never be reported by it: take it in as it is,
    /// creator unknown, and let it run.
    fn adopt_orphaned_early(&mut self) {
        for tid in self.table.early() {
            let Some(tgid) = proc_info::tgid_of(tid) else {
                continue;
            };
            let creator_alive = if tgid != tid {
                self.table.is_live(tgid)
            } else {
                proc_info::ppid_of(tid).is_some_and(|p| self.table.is_live(p))
            };
            if creator_alive {
                continue;
            }
            let kind = if tgid == tid {
                TaskKind::Process
            } else {
                TaskKind::Thread
            };
            let at = self.now();
            self.table.adopt_early(tid, kind, tgid, at);
            self.resume(tid, Resume::Cont(0));
        }
    }

    fn on_signal_stop(&mut self, pid: i32, sig: i32) {
        if !self.table.is_live(pid) {
            // A new tracee stopped before its creator's event told us who it is. A process is
            // killable from now on, so a kill of the run cannot miss it.
            self.table.note_early(pid);
            if proc_info::tgid_of(pid) == Some(pid)
                && let Ok(fd) = sys::pidfd_open(pid)
            {
                self.shared.add_process(pid, fd);
            }
            return;
        }
        let starting = self
            .table
            .live(pid)
            .is_some_and(|l| l.awaiting_start && sig == libc::SIGSTOP);
        if starting {
            if let Some(l) = self.table.live(pid) {
                l.awaiting_start = false;
            }
            self.resume_or_hold(pid, Resume::Cont(0), HoldPoint::Start);
            return;
        }
        let stop_signal = matches!(
            sig,
            libc::SIGSTOP | libc::SIGTSTP | libc::SIGTTIN | libc::SIGTTOU
        );
        let deliver = if stop_signal && sys::is_group_stop(pid) {
            0
        } else {
            sig
        };
        let in_call = self.table.live(pid).is_some_and(|l| l.pending.is_some());
        // Inside a watched call: keep stopping at its return.
        let _ = if in_call {
            sys::syscall(pid, deliver)
        } else {
            sys::cont(pid, deliver)
        };
    }

    fn on_event(&mut self, pid: i32, event: i32) {
        match event {
            libc::PTRACE_EVENT_FORK | libc::PTRACE_EVENT_VFORK | libc::PTRACE_EVENT_CLONE => {
                self.on_create(pid, event)
            }
            libc::PTRACE_EVENT_EXEC => {
                let former = sys::event_msg(pid).map_or(pid, |m| m as i32);
                self.note_exec(pid, former);
                self.resume(pid, Resume::Cont(0));
            }
            libc::PTRACE_EVENT_EXIT => {
                // Once per process: at its first write to stdout or stderr, else at its exit (the
                // last moment its memory can be read).
                if self.opts.channels && self.table.tgid(pid) == pid && self.maps_read.insert(pid) {
                    self.note_shared_memory(pid);
                }
                // Ending: from the moment it goes on, its end can be seen by others (its
                // descriptors close, its parent's wait returns once it is reaped); an ordered
                // schedule may hold it here first (`resume` notes the moment).
                self.exiting.insert(pid);
                self.resume_or_hold(pid, Resume::Cont(0), HoldPoint::Exit);
            }
            libc::PTRACE_EVENT_SECCOMP => self.on_seccomp(pid),
            _ => self.resume(pid, Resume::Cont(0)),
        }
    }

    fn on_create(&mut self, pid: i32, event: i32) {
        let Ok(msg) = sys::event_msg(pid) else {
            self.resume(pid, Resume::Cont(0));
            return;
        };
        let child = msg as i32;
        let parent_tgid = self.table.tgid(pid);
        let kind = if event == libc::PTRACE_EVENT_CLONE
            && proc_info::tgid_of(child) == Some(parent_tgid)
        {
            TaskKind::Thread
        } else {
            TaskKind::Process
        };
        let at = self.now();
        let started = self.table.add_child(pid, child, kind, at);
        if kind == TaskKind::Process
            && !started
            && let Ok(fd) = sys::pidfd_open(child)
        {
            self.shared.add_process(child, fd);
        }
        if started {
            self.resume_or_hold(child, Resume::Cont(0), HoldPoint::Start);
        }
        self.resume_or_hold(pid, Resume::Cont(0), HoldPoint::Create);
    }

    fn note_exec(&mut self, pid: i32, former: i32) {
        let exec = Exec {
            path: proc_info::exe(pid).unwrap_or_default(),
            argv: proc_info::cmdline(pid),
            file: proc_info::exe_file(pid),
            at: self.now(),
        };
        let at = exec.at;
        self.table.exec(pid, former, exec, proc_info::comm(pid), at);
    }
}
