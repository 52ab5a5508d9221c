//! Runs a port once under process-tree supervision and records what it printed.
//!
//! The calling process becomes a child subreaper, so every orphan of the port is re-parented to
//! us instead of init. Each run starts in a new session (hence a new process group), and the run's
//! processes are told apart from everything else in this process (other runs in parallel threads,
//! children spawned by other code) by scanning /proc: same session or process group as the run's
//! main process, descendant of a process already known to be the run's, or, for orphans adopted by
//! us, the run's unique marker in their environment ([`RUN_ID_ENV`]). Only pids identified that way
//! are ever signalled or reaped: this module never calls `waitpid(-1)`.
//!
//! A clean run costs no full scan: once the main process is reaped, the tree is gone when none
//! of our own children is the run's and its process group is empty (see `Tree::gone_fast`);
//! only when that is unsure, or something lingers, is every process's stat read.
//!
//! One thread per run: stdout, stderr and a pidfd of the main process are watched with `ppoll`,
//! so lines are time-stamped as they arrive and the main process's exit is seen at once.
//!
//! Traced (the default), the port is spawned through the `tracer` crate, whose thread follows
//! every fork, vfork and clone and reaps every task: then this module waits for nothing itself
//! (a wait from here could take a tracee's stop or exit from the tracer), watches the tracer's
//! main-end eventfd instead of a pidfd, kills through the tracer's pidfds, and turns the trace
//! into per-writer lines (`attribute`). Stdout is a pseudo-terminal (`pty`) or a pipe.

mod attribute;
mod capture;
mod config;
mod env;
mod fenced;
mod machine;
mod main_proc;
mod pair_start;
mod pty;
mod schedule;
pub(crate) mod shaking;
pub(crate) use pty::open_pair;
mod start;
mod supervise;
mod sys;
mod system_exec;
mod tree;
mod unfinished;
mod watch;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

pub use config::{RUN_ID_ENV, RunConfig, RunError, RunErrorKind, StdoutKind};
pub(crate) use env::set as set_env;
pub use env::{PassEnv, pass_env};
pub(crate) use fenced::{command_dirs, preflight};
pub(crate) use schedule::{choice_points, deviations};
pub(crate) use schedule::{parse_schedule, schedule_string};
pub(crate) use sys::become_subreaper;

use crate::outcome::RunOutcome;
use supervise::Supervisor;
use tree::Tree;

/// Runs `cfg.program` once, to its end or until it is killed, and says what happened.
///
/// `run` (numbered from 1) is copied into the outcome. Errors only when the program could not be
/// started or the OS failed us; whatever the program does is an outcome, never an error. No
/// process of the run is left alive or unreaped when this returns, error or not.
pub fn run_once(cfg: &RunConfig, run: usize) -> Result<RunOutcome, RunError> {
    become_subreaper()?;
    static RUN_COUNTER: AtomicU64 = AtomicU64::new(0);
    let our_pid = std::process::id() as i32;
    let marker = format!(
        "{}.{}",
        our_pid,
        RUN_COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let tty = match cfg.stdout {
        StdoutKind::Pty => Some(pty::open()?),
        StdoutKind::Pipe => None,
    };

    // Prepared before the fork and kept until the run is over (its scratch goes with it).
    let fence = fenced::prepare(cfg)?;

    let start = Instant::now();
    let started = start::start(
        cfg,
        &marker,
        tty.as_ref().map(|t| &t.slave),
        start,
        fence.as_ref(),
    )?;
    // Our copy of the slave goes now: the master reads the end of output once the port's go.
    let (stdout, stdout_tty) = match tty {
        Some(t) => (Some(t.master), true),
        None => (started.stdout, false),
    };
    let main_pid = started.main.pid();
    let tree = Tree {
        our_pid,
        our_session: tree::our_session(),
        main_pid,
        marker: marker.clone(),
        known: HashMap::new(),
        user_ns: tree::own_user_ns(main_pid),
        reaps: !started.main.is_traced(),
    };
    let mut sup = Supervisor::new(started.main, tree);
    // From here on the guard kills and reaps the tree on every way out but a complete run.
    let outcome = sup.supervise(cfg, run, start, stdout, started.stderr, started.tracing);
    sup.finished = outcome.is_ok();
    outcome.map(|mut o| {
        o.stdout_tty = stdout_tty;
        o
    })
}
