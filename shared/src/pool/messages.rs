//! What travels between a pool and its workers, and what a worker holds while it runs.

use serde::{Deserialize, Serialize};

/// The task a worker runs: `call` is a monomorphized trampoline that decodes the arguments,
/// calls `func` and encodes the result. Both are addresses in this very program, which the
/// workers share because they are forks of it (Python pickles a function by name instead).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Task {
    pub(super) id: u64,
    pub(super) call: usize,
    pub(super) func: usize,
    pub(super) args: Vec<u8>,
}

/// Tasks go out in batches of consecutive ids (one task each, unless tasks are short).
#[derive(Debug, Serialize, Deserialize)]
pub(super) enum ToWorker {
    Tasks(Vec<Task>),
    Stop,
}

/// One task's answer.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Reply {
    pub(super) id: u64,
    /// How long the task ran, so the parent can size its batches.
    pub(super) micros: u64,
    /// The encoded result, or the panic message.
    pub(super) result: std::result::Result<Vec<u8>, String>,
}

/// The answers a worker sends in one message.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct FromWorker {
    pub(super) pid: i32,
    pub(super) replies: Vec<Reply>,
}

/// What a worker held when it was last seen (0: nothing): the task it ran and the range of ids
/// of its batch, so the parent knows what a dead worker took with it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Held {
    pub(super) current: u64,
    pub(super) first: u64,
    pub(super) last: u64,
}
