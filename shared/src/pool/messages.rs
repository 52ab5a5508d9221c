//! What travels between a pool and each of its workers, one frame a message: from the parent a
//! batch of tasks (an empty frame asks the worker to stop), from the worker its replies.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind};

/// The task a worker runs: `call` is a monomorphized trampoline that decodes the arguments,
/// calls `func` and encodes the result. Both are addresses in this very program, which the
/// workers share because they are forks of it (Python pickles a function by name instead).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Task {
    pub(super) id: u64,
    pub(super) call: usize,
    pub(super) func: usize,
    #[serde(with = "crate::codec::bytes")]
    pub(super) args: Vec<u8>,
}

/// Why a task has no value, as the worker saw it: the kind crosses with the message, so the
/// parent reports a serde failure as one, and a panic as a panic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) enum FailureKind {
    Panicked,
    Serialize,
    Deserialize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Failure {
    pub(super) kind: FailureKind,
    pub(super) message: String,
}

impl Failure {
    /// A crate error met in the worker (a serde failure), kind and message kept.
    pub(super) fn from_error(e: &Error) -> Failure {
        let kind = match e.kind() {
            ErrorKind::Deserialize => FailureKind::Deserialize,
            _ => FailureKind::Serialize,
        };
        Failure {
            kind,
            message: e.message().to_string(),
        }
    }

    /// The parent's error for task `id`, run by worker `pid`.
    pub(super) fn into_error(self, id: u64, pid: i32) -> Error {
        let error = match self.kind {
            FailureKind::Panicked => Error::new(
                ErrorKind::ChildPanicked,
                format!("task {id} panicked: {}", self.message),
            ),
            FailureKind::Serialize => Error::new(ErrorKind::Serialize, self.message),
            FailureKind::Deserialize => Error::new(ErrorKind::Deserialize, self.message),
        };
        error.with_pid(pid)
    }
}

/// A task's encoded result, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) enum Outcome {
    Value(#[serde(with = "crate::codec::bytes")] Vec<u8>),
    Failed(Failure),
}

/// One task's answer.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Reply {
    pub(super) id: u64,
    /// How long the task ran, so the parent can size its batches.
    pub(super) micros: u64,
    pub(super) outcome: Outcome,
}

/// The answers a worker sends in one message.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct FromWorker {
    pub(super) pid: i32,
    pub(super) replies: Vec<Reply>,
}
