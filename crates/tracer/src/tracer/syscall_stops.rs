//! The tracer at a system call's stops: at its entry (a seccomp stop), what the call is and
//! whether to follow it to its return; at its return, what it moved, into the trace.

use crate::calls::{self, Outcome, Pending, Watching};
use crate::proc_info;
use crate::record::{ChannelKind, CpuSample, HoldPoint, Stream};
use crate::shake::Resume;
use crate::sys;

use super::Tracer;

impl Tracer {
    pub(super) fn on_seccomp(&mut self, pid: i32) {
        let entry = sys::syscall_info(pid)
            .ok()
            .and_then(|i| calls::entry_of(&i));
        let Some((nr, args)) = entry else {
            self.resume(pid, Resume::Cont(0));
            return;
        };
        // A sleep (stopped at only under an ordered schedule): it starts once the task is let go.
        if crate::filter::SLEEP_CALLS.contains(&nr) {
            self.resume_or_hold(pid, Resume::Cont(0), HoldPoint::Sleep);
            return;
        }
        let watching = Watching {
            streams: &self.streams,
            max_bytes: self
                .opts
                .max_write_bytes
                .min(self.opts.max_total_bytes.saturating_sub(self.kept)),
            watch_refusals: self.opts.watch_refusals,
            channels: self.opts.channels,
            waits: self.opts.waits,
            now: self.now(),
        };
        let pending = calls::on_entry(pid, nr, &args, &watching);
        let is_write = matches!(pending, Some(Pending::Write { .. }));
        if is_write {
            let tgid = self.table.tgid(pid);
            self.table.note_write(pid);
            if self.opts.channels && self.maps_read.insert(tgid) {
                self.note_shared_memory(tgid);
            }
        }
        match (pending, self.table.live(pid)) {
            (Some(p), Some(live)) => live.pending = Some(p),
            _ => {
                self.resume(pid, Resume::Cont(0));
                return;
            }
        }
        if is_write {
            self.resume_or_hold(pid, Resume::Syscall, HoldPoint::Write);
        } else {
            self.resume(pid, Resume::Syscall);
        }
    }

    pub(super) fn on_syscall_exit(&mut self, pid: i32) {
        let ret = sys::syscall_info(pid)
            .ok()
            .and_then(|i| calls::return_of(&i));
        let tgid = self.table.tgid(pid);
        let pending = self.table.live(pid).and_then(|l| l.pending.take());
        if let (Some(p), Some(ret)) = (pending, ret) {
            let fd = match &p {
                Pending::Transfer { fd, .. } => *fd,
                _ => 0,
            };
            let room = self.opts.max_channel_bytes.min(
                self.opts
                    .max_channel_total
                    .saturating_sub(self.channel_kept),
            );
            match calls::on_return(pid, tgid, p, ret, self.now(), room) {
                Outcome::Write(w) => {
                    self.kept += w.bytes.len();
                    if self.opts.cpu_at_lines
                        && w.stream == Stream::Stdout
                        && w.bytes.contains(&b'\n')
                    {
                        self.sample_cpu(w.tid, w.at);
                    }
                    self.writes.push(w);
                }
                Outcome::Transfer(t) if self.transfers.len() >= self.opts.max_transfers => {
                    self.transfers_dropped += 1;
                    self.transfers_dropped_from.get_or_insert(t.at);
                }
                Outcome::Transfer(t) => {
                    self.channel_kept += t.bytes.len();
                    if t.channel.kind == ChannelKind::Socket {
                        self.note_socket(tgid, fd, t.channel.ino);
                    }
                    self.transfers.push(t);
                }
                Outcome::Refusal(r) => self.refusals.push(r),
                Outcome::Eof(e) if self.ends.eofs.len() < self.opts.max_transfers => {
                    self.ends.eofs.push(e)
                }
                Outcome::Reap(r) if self.ends.reaps.len() < self.opts.max_transfers => {
                    self.ends.reaps.push(r)
                }
                Outcome::PidfdOpen(p) if self.ends.pidfd_opens.len() < self.opts.max_transfers => {
                    self.ends.pidfd_opens.push(p)
                }
                Outcome::Ready(r) if self.ends.readies.len() < self.opts.max_transfers => {
                    self.ends.readies.push(r)
                }
                Outcome::Signal(s) if self.ends.signals.len() < self.opts.max_transfers => {
                    self.ends.signals.push(s)
                }
                Outcome::Eof(_)
                | Outcome::Reap(_)
                | Outcome::PidfdOpen(_)
                | Outcome::Ready(_)
                | Outcome::Signal(_)
                | Outcome::Nothing => {}
            }
        }
        self.resume(pid, Resume::Cont(0));
    }

    /// Reads the CPU time of every live task, as the write of `tid` that returned at `at` ends
    /// a line (the writer is stopped: nothing it does after the write is counted). Past
    /// `max_cpu_reads`, nothing.
    fn sample_cpu(&mut self, tid: i32, at: std::time::Duration) {
        let live = self.table.live_tasks();
        if self.cpu_reads + live.len() > self.opts.max_cpu_reads {
            return;
        }
        self.cpu_reads += live.len();
        let tasks = live
            .into_iter()
            .filter_map(|(t, tgid)| Some((t, proc_info::cpu_time(tgid, t)?)))
            .collect();
        self.cpu_samples.push(CpuSample { tid, at, tasks });
    }

    /// A socket the run moved bytes through (descriptor `fd` of process `pid`): a connected
    /// IPv4 or IPv6 socket is paired with the socket whose addresses are its own swapped, once
    /// both have moved bytes.
    fn note_socket(&mut self, pid: i32, fd: u64, ino: u64) {
        if !self.sockets.insert(ino) {
            return;
        }
        let Some((local, peer)) = proc_info::inet_names(pid, fd) else {
            return;
        };
        if let Some(&other) = self.inet.get(&(peer.clone(), local.clone()))
            && other != ino
        {
            self.socket_peers.push([ino, other]);
        }
        self.inet.insert((local, peer), ino);
    }

    /// Adds what shared memory process `pid` maps now to its record.
    pub(super) fn note_shared_memory(&mut self, pid: i32) {
        let found = proc_info::shared_memory(pid);
        if let Some(rec) = self.table.record_mut(pid) {
            for m in found {
                if !rec.shared_memory.contains(&m) {
                    rec.shared_memory.push(m);
                }
            }
        }
    }
}
