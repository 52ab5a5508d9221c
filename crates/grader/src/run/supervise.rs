//! The supervise loop: one run watched until it ends or is killed, with its outcome.
//!
//! `supervise` reads as its steps: watch the run ([`Watch`]) until an event ends it, kill what is
//! left if it ended early, then read the trace (`attribute`) and put the outcome together.

use std::os::fd::OwnedFd;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

use super::attribute::{Attributed, attribute};
use super::config::{RunConfig, RunError};
use super::main_proc::Main;
use super::tree::{Tree, cmdline, kill_verified, state_and_runs};
use super::watch::{Event, Events, KillReason, RESCAN_MAX, Watch, Watched, only};
use crate::outcome::writer::Tracing;
use crate::outcome::{Exit, LeftBehind, RunOutcome};

/// Killing a tree gives up after this long (a process stuck in the kernel cannot be killed).
const KILL_GIVE_UP: Duration = Duration::from_secs(5);

pub(super) struct Supervisor {
    main: Main,
    tree: Tree,
    /// The main process's status once reaped.
    status: Option<Exit>,
    /// Set once the run completed: then dropping the supervisor kills nothing.
    pub(super) finished: bool,
    /// How much the processes that outlived the main process had run at the last look (see
    /// `state_and_runs`).
    outliver_runs: Option<u64>,
}

impl Supervisor {
    /// Watches `main`, the main process of the run `tree` tells apart.
    pub(super) fn new(main: Main, tree: Tree) -> Self {
        Supervisor {
            main,
            tree,
            status: None,
            finished: false,
            outliver_runs: None,
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

/// How a run that had to be stopped ended.
#[derive(Default)]
struct Stopped {
    left_behind: Vec<LeftBehind>,
    /// The main process was still running and died of our kill.
    killed_main: bool,
}

impl Supervisor {
    /// Watches run number `run`, started at `start`, to its end or its kill, and says what
    /// happened.
    pub(super) fn supervise(
        &mut self,
        cfg: &RunConfig,
        run: usize,
        start: Instant,
        stdout: Option<OwnedFd>,
        stderr: Option<OwnedFd>,
        tracing: Tracing,
    ) -> Result<RunOutcome, RunError> {
        let mut watch = Watch::open(cfg, start, self.main.watch_fd(), stdout, stderr)?;
        let reason = self.watch(&mut watch)?;
        let stopped = match reason {
            Some(_) => self.stop(&mut watch),
            None => Stopped::default(),
        };
        let watched = watch.finish();
        let traced = attribute(
            self.main.take_trace(),
            self.main.is_traced(),
            tracing,
            watched.output_limit_hit,
            watched.stdout_bytes,
            &cfg.system_dirs(),
        );
        Ok(self.outcome(cfg, run, reason, stopped, watched, traced))
    }

    /// Handles the run's events until it is over (`None`) or must be killed (the reason).
    fn watch(&mut self, watch: &mut Watch) -> Result<Option<KillReason>, RunError> {
        loop {
            for event in self.next_events(watch)?.into_iter().flatten() {
                match event {
                    Event::Stdout => watch.read_stdout(self.tree.main_pid),
                    Event::Stderr => watch.read_stderr(),
                    Event::Main => {
                        let st = self
                            .main
                            .try_status()
                            .map_err(|e| RunError::os("os-wait-main", e))?;
                        if let Some(st) = st {
                            self.status = Some(st);
                            watch.main_exited();
                        }
                    }
                    Event::AllGone => return Ok(None),
                    Event::Kill(reason) => return Ok(Some(reason)),
                }
            }
        }
    }

    /// What happens next: the output limit passed, the whole run gone, the deadline passed, or
    /// else whatever the pipes and the main process have to say.
    fn next_events(&mut self, watch: &mut Watch) -> Result<Events, RunError> {
        if watch.limit_hit() {
            return Ok(only(Event::Kill(KillReason::OutputLimit)));
        }
        if self.status.is_some() && watch.pipes_closed() {
            if self.tree_gone(watch.deadline()) {
                return Ok(only(Event::AllGone));
            }
            watch.back_off();
        }
        let now = Instant::now();
        if let Some(reason) = watch.overdue(now) {
            let ending = reason == KillReason::Grace && self.outlivers_run();
            if !(ending && watch.stretch_grace(now)) {
                return Ok(only(Event::Kill(reason)));
            }
        }
        watch.wait(now, self.status.is_none())
    }

    /// Stops a run that must end: notes who outlived the main process, kills everything, and
    /// reads what the dead left in the pipes.
    fn stop(&mut self, watch: &mut Watch) -> Stopped {
        let left_behind = match self.status {
            Some(_) => self.left_behind(),
            None => Vec::new(),
        };
        let main_ran = self.status.is_none();
        self.kill_tree();
        let killed_main = main_ran && self.status == Some(Exit::Signal(libc::SIGKILL));
        watch.drain();
        Stopped {
            left_behind,
            killed_main,
        }
    }

    /// Whether a process that outlived the main process still runs: it is running or waiting
    /// for a CPU or the disk, or it ran since the last look (or this is the first look). One
    /// that sleeps (waits for something that will not come) does not.
    fn outlivers_run(&mut self) -> bool {
        let mut running = false;
        let mut ran = 0u64;
        for pid in self.outlivers() {
            if let Some((state, r)) = state_and_runs(pid) {
                running |= matches!(state, 'R' | 'D');
                ran = ran.wrapping_add(r);
            }
        }
        // The first look has nothing to compare with: one step more, to look again (a helper
        // caught asleep between two short steps of its way out is still on its way out).
        let used = self.outliver_runs.is_none_or(|before| ran != before);
        self.outliver_runs = Some(ran);
        running || used
    }

    /// The pids of the run's processes alive after its main process ended.
    fn outlivers(&mut self) -> Vec<i32> {
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
        alive
            .into_iter()
            .filter(|&pid| pid != self.tree.main_pid)
            .collect()
    }

    /// The run's processes alive after its main process ended.
    fn left_behind(&mut self) -> Vec<LeftBehind> {
        self.outlivers()
            .into_iter()
            .map(|pid| LeftBehind {
                pid,
                cmdline: cmdline(pid),
            })
            .collect()
    }

    /// The outcome of run number `run`, from what was watched and traced.
    fn outcome(
        &self,
        cfg: &RunConfig,
        run: usize,
        reason: Option<KillReason>,
        stopped: Stopped,
        watched: Watched,
        traced: Attributed,
    ) -> RunOutcome {
        RunOutcome {
            run,
            main_pid: self.tree.main_pid,
            adopter_pid: self.tree.our_pid,
            lines: traced.lines.unwrap_or(watched.lines),
            stderr_tail: watched.stderr_tail,
            exit: self.status.filter(|_| !stopped.killed_main),
            timed_out: reason == Some(KillReason::Timeout),
            output_limit_hit: watched.output_limit_hit,
            left_behind: stopped.left_behind,
            elapsed: watched.elapsed,
            shake_seed: cfg
                .shake
                .map(|s| s.seed)
                .filter(|_| traced.tracing.is_on() && cfg.explore.is_none()),
            // The choices that differ from the defaults: what replays this run's order.
            explored: cfg
                .explore
                .as_ref()
                .map(|_| {
                    super::schedule::schedule_string(&super::schedule::deviations(
                        &traced.schedule.decisions,
                    ))
                })
                .filter(|_| traced.tracing.is_on()),
            holds: traced.holds,
            tracing: traced.tracing,
            tasks: traced.tasks,
            schedule: traced.schedule,
            stdout_tty: false,
            advice: traced.advice,
            refused: traced.refused,
            machine: watched.machine,
            unterminated: watched.unterminated,
            channels: traced.channels,
            ends: traced.ends,
            task_cpu: traced.cpu_samples,
        }
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
