//! Starting a pair's worker at a line of the master (`--pair-after TEXT`): the notes' reader
//! starts the worker in a second terminal once the master says "Try get results...", every
//! task queued. The pair's launcher (`pair.rs`) waits for SIGUSR1 from us; we send it when a
//! stdout line starts with the text.

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::outcome::assembler::Assembled;

/// Watches stdout for the line that starts the worker.
pub(super) struct PairStart<'a> {
    prefix: Option<&'a str>,
    /// Lines already looked at.
    seen: usize,
}

impl<'a> PairStart<'a> {
    pub(super) fn new(prefix: Option<&'a str>) -> Self {
        PairStart { prefix, seen: 0 }
    }

    /// Signals the launcher (`main_pid`) once a line starts with the prefix; then never again.
    pub(super) fn check(&mut self, lines: &[Assembled<(), ()>], main_pid: i32) {
        let Some(prefix) = self.prefix else {
            return;
        };
        let fresh = lines.get(self.seen..).unwrap_or_default();
        self.seen = lines.len();
        if fresh.iter().any(|l| l.text.starts_with(prefix)) {
            // The launcher is the run's main process, still ours to signal: unreaped until the
            // run is over.
            let _ = kill(Pid::from_raw(main_pid), Signal::SIGUSR1);
            self.prefix = None;
        }
    }
}
