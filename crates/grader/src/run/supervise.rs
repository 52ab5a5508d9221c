//! The supervise loop: one run watched until it ends or is killed, with its outcome.

use std::os::fd::OwnedFd;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

use super::attribute;
use super::capture::{Capture, Stream, pump};
use super::config::{RunConfig, RunError};
use super::main_proc::Main;
use super::sys::ppoll;
use super::tree::{Tree, cmdline, kill_verified};
use crate::outcome::{Exit, LeftBehind, RunOutcome};
use crate::say::say;
use crate::writer::Tracing;

/// One read from a pipe at most.
const READ_CHUNK: usize = 64 * 1024;
/// While processes linger after the output closed, the tree is re-scanned at most this far apart.
const RESCAN_MAX: Duration = Duration::from_millis(50);
/// Killing a tree gives up after this long (a process stuck in the kernel cannot be killed).
const KILL_GIVE_UP: Duration = Duration::from_secs(5);
/// Reads from the pipes after a kill at most (64 KiB each).
const DRAIN_READS: usize = 64;

/// Why the runner killed the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KillReason {
    Timeout,
    Grace,
    OutputLimit,
}

pub(super) struct Supervisor {
    main: Main,
    tree: Tree,
    /// The main process's status once reaped.
    status: Option<Exit>,
    /// Set once the run completed: then dropping the supervisor kills nothing.
    pub(super) finished: bool,
}

impl Supervisor {
    /// Watches `main`, the main process of the run `tree` tells apart.
    pub(super) fn new(main: Main, tree: Tree) -> Self {
        Supervisor {
            main,
            tree,
            status: None,
            finished: false,
        }
    }
}

impl Drop for Supervisor {
    fn drop(&mut self) {
        if !self.finished {
            // An early return or a panic: nothing of the run may survive it.
            self.kill_tree();
        }
    }
}

impl Supervisor {
    pub(super) fn supervise(
        &mut self,
        cfg: &RunConfig,
        run: usize,
        start: Instant,
        stdout: Option<OwnedFd>,
        stderr: Option<OwnedFd>,
        tracing: Tracing,
    ) -> Result<RunOutcome, RunError> {
        let main_fd = self.main.watch_fd();
        let mut out = stdout
            .map(Stream::new)
            .transpose()
            .map_err(|e| RunError::os("os-read-stdout", e))?;
        let mut err = stderr
            .map(Stream::new)
            .transpose()
            .map_err(|e| RunError::os("os-read-stderr", e))?;
        let mut cap = Capture::new(cfg.output_limit);
        let mut pair = super::pair_start::PairStart::new(cfg.pair_after.as_deref());
        // A timeout past what an Instant can hold is no timeout at all (a century is as good).
        let timeout_at = start
            .checked_add(cfg.timeout)
            .unwrap_or_else(|| start + Duration::from_secs(100 * 365 * 24 * 3600));
        let mut main_exit_at: Option<Instant> = None;
        let mut rescan: Option<Duration> = None;
        let mut buf = vec![0u8; READ_CHUNK];
        let mut machine = super::machine::Machine::default();
        machine.sample(start.elapsed());

        let reason = loop {
            if cap.limit_hit {
                break Some(KillReason::OutputLimit);
            }
            if self.status.is_some() && out.is_none() && err.is_none() {
                if self.tree_gone(deadline_of(timeout_at, main_exit_at, cfg.grace)) {
                    break None;
                }
                // Something lingers without our pipes: look again soon, backing off.
                rescan = Some(match rescan {
                    None => Duration::from_millis(1),
                    Some(d) => (d * 2).min(RESCAN_MAX),
                });
            }
            let now = Instant::now();
            let deadline = deadline_of(timeout_at, main_exit_at, cfg.grace);
            if now >= deadline {
                break Some(if now >= timeout_at {
                    KillReason::Timeout
                } else {
                    KillReason::Grace
                });
            }
            let mut wait = deadline - now;
            if let Some(r) = rescan {
                wait = wait.min(r);
            }
            let watch_main = self.status.is_none();
            if watch_main && main_fd.is_none() {
                // No pidfd (old kernel): notice the exit by asking often.
                wait = wait.min(Duration::from_millis(2));
            }

            let mut fds: Vec<libc::pollfd> = Vec::with_capacity(3);
            let mut slots = [usize::MAX; 3];
            for (i, fd) in [
                out.as_ref().map(|s| s.fd()),
                err.as_ref().map(|s| s.fd()),
                main_fd.filter(|_| watch_main),
            ]
            .into_iter()
            .enumerate()
            {
                if let Some(fd) = fd {
                    slots[i] = fds.len();
                    fds.push(libc::pollfd {
                        fd,
                        events: libc::POLLIN,
                        revents: 0,
                    });
                }
            }
            ppoll(&mut fds, wait).map_err(|e| RunError::os("os-wait-port", e))?;
            let ready = |i: usize| slots[i] != usize::MAX && fds[slots[i]].revents != 0;

            if ready(0) {
                pump(&mut out, &mut buf, |data| cap.stdout(data, start.elapsed()));
                machine.sample(start.elapsed());
                pair.check(cap.lines(), self.tree.main_pid);
            }
            if ready(1) {
                pump(&mut err, &mut buf, |data| cap.stderr(data));
            }
            if watch_main && (main_fd.is_none() || ready(2)) {
                let st = self
                    .main
                    .try_status()
                    .map_err(|e| RunError::os("os-wait-main", e))?;
                if let Some(st) = st {
                    self.status = Some(st);
                    main_exit_at = Some(Instant::now());
                }
            }
        };

        let mut left_behind = Vec::new();
        let mut killed_main = false;
        if reason.is_some() {
            if self.status.is_some() {
                let alive: Vec<i32> = if self.main.is_traced() {
                    self.main.traced_live()
                } else {
                    self.tree
                        .scan_and_reap()
                        .into_iter()
                        .filter(|p| p.state != 'Z')
                        .map(|p| p.pid)
                        .collect()
                };
                left_behind = alive
                    .into_iter()
                    .filter(|&pid| pid != self.tree.main_pid)
                    .map(|pid| LeftBehind {
                        pid,
                        cmdline: cmdline(pid),
                    })
                    .collect();
            }
            let main_ran = self.status.is_none();
            self.kill_tree();
            killed_main = main_ran && self.status == Some(Exit::Signal(libc::SIGKILL));
            // What the dead wrote before they died is still in the pipes; a writer we could not
            // identify may still be writing, so the drain is bounded.
            for _ in 0..DRAIN_READS {
                if out.is_none() && err.is_none() {
                    break;
                }
                let before = cap.total;
                pump(&mut out, &mut buf, |data| cap.stdout(data, start.elapsed()));
                pump(&mut err, &mut buf, |data| cap.stderr(data));
                if cap.total == before {
                    break;
                }
            }
        }
        let elapsed = start.elapsed();
        machine.sample(elapsed);
        let output_limit_hit = cap.limit_hit;
        let stdout_bytes = cap.stdout_total;
        let (mut lines, stderr_tail, unterminated) = cap.finish();
        let exit = match self.status {
            Some(st) if !killed_main => Some(st),
            _ => None,
        };
        let mut tracing = tracing;
        let (mut tasks, mut advice) = (Vec::new(), Vec::new());
        let mut refused = Vec::new();
        let mut schedule = tracer::ScheduleStats::default();
        let mut channels = crate::channels::Channels::default();
        let mut holds = Vec::new();
        match self.main.take_trace() {
            Some(Ok(trace)) => {
                schedule = trace.schedule.clone();
                holds = trace.holds.clone();
                tasks = attribute::tasks(&trace);
                channels = crate::channels::Channels::of(&trace);
                refused = super::fenced::refusals(&trace);
                match attribute::stdout_writes(&trace, stdout_bytes) {
                    _ if output_limit_hit => {
                        tracing = Tracing::Incomplete(say!("trace-output-limit"))
                    }
                    Err(why) => tracing = Tracing::Incomplete(why),
                    Ok(writes) => {
                        lines = attribute::writer_lines(&trace, &writes);
                        advice = attribute::mixed_lines(&writes);
                        tracing = Tracing::On;
                    }
                }
            }
            Some(Err(e)) => {
                tracing = Tracing::Incomplete(say!("trace-failed", error = e.to_string()))
            }
            None if self.main.is_traced() => {
                tracing = Tracing::Incomplete(say!("trace-unfinished"))
            }
            None => {}
        }
        Ok(RunOutcome {
            run,
            main_pid: self.tree.main_pid,
            adopter_pid: self.tree.our_pid,
            lines,
            stderr_tail,
            exit,
            timed_out: reason == Some(KillReason::Timeout),
            output_limit_hit,
            left_behind,
            elapsed,
            shake_seed: cfg
                .shake
                .map(|s| s.seed)
                .filter(|_| tracing.is_on() && cfg.explore.is_none()),
            // The choices that differ from the defaults: what replays this run's order.
            explored: cfg
                .explore
                .as_ref()
                .map(|_| {
                    crate::explore::schedule_string(&crate::explore::deviations(
                        &schedule.decisions,
                    ))
                })
                .filter(|_| tracing.is_on()),
            holds,
            tracing,
            tasks,
            schedule,
            stdout_tty: false,
            advice,
            refused,
            machine: machine.samples,
            unterminated,
            channels,
        })
    }

    /// Every process of the run is gone (traced: the tracer says so, waited for up to the
    /// deadline or `RESCAN_MAX`; else read from /proc).
    fn tree_gone(&mut self, deadline: Instant) -> bool {
        if self.main.is_traced() {
            let wait = deadline
                .saturating_duration_since(Instant::now())
                .min(RESCAN_MAX);
            self.main.wait_traced_gone(wait)
        } else {
            self.tree.gone_fast() || self.tree.scan_and_reap().is_empty()
        }
    }

    /// SIGKILLs every process of the run and reaps those that are ours to reap, main included.
    fn kill_tree(&mut self) {
        let give_up = Instant::now() + KILL_GIVE_UP;
        let mut pause = Duration::from_millis(1);
        loop {
            self.main.kill_traced();
            let members = self.tree.scan();
            // The pgid cannot have been recycled while the main process is unreaped or a member
            // still holds it, so the group kill only ever hits the run's own processes.
            let group_held =
                self.status.is_none() || members.iter().any(|p| p.pgrp == self.tree.main_pid);
            if group_held {
                // One atomic kill for everything that stayed in the group, fork loops included.
                let _ = killpg(Pid::from_raw(self.tree.main_pid), Signal::SIGKILL);
            }
            for p in members.iter().filter(|p| p.state != 'Z') {
                kill_verified(p);
            }
            self.tree.reap(&members);
            if self.status.is_none()
                && let Ok(Some(st)) = self.main.try_status()
            {
                self.status = Some(st);
            }
            let others_left = if self.main.is_traced() {
                !self.main.traced_gone()
            } else {
                members.iter().any(|p| {
                    p.pid != self.tree.main_pid && !(p.state == 'Z' && p.ppid == self.tree.our_pid)
                })
            };
            if self.status.is_some() && !others_left {
                return;
            }
            if Instant::now() >= give_up {
                return;
            }
            // The kernel finishes the kills asynchronously; dead children reach us as zombies.
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(20));
        }
    }
}

/// When the run must end: the timeout, or the grace after the main process's exit.
fn deadline_of(timeout_at: Instant, main_exit_at: Option<Instant>, grace: Duration) -> Instant {
    match main_exit_at {
        Some(t) => timeout_at.min(t.checked_add(grace).unwrap_or(timeout_at)),
        None => timeout_at,
    }
}
