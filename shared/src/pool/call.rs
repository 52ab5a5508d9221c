//! Calling a task's function in a worker: the function-pointer casts. A task names its function
//! and a monomorphized trampoline by address, valid in the worker because it is a fork of the
//! program that took them.

use std::panic::{AssertUnwindSafe, catch_unwind};

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::messages::{Failure, FailureKind, Outcome, Task};
use crate::child::panic_message;
use crate::codec;

/// Decodes the argument, calls the function, encodes the result (or says why it could not).
type Trampoline = fn(usize, &[u8]) -> Outcome;

/// The address of the trampoline for `fn(A) -> R`, to put in a task beside the function's.
pub(super) fn trampoline_address<A, R>() -> usize
where
    A: DeserializeOwned,
    R: Serialize,
{
    trampoline::<A, R> as Trampoline as usize
}

/// The address of `map`'s chunk runner for `fn(A) -> R`: a `fn((usize, Vec<A>)) -> Vec<R>`
/// that applies the function at the given address to every item.
pub(super) fn chunk_runner<A, R>() -> fn((usize, Vec<A>)) -> Vec<R> {
    run_chunk::<A, R>
}

/// Runs `task` in this worker: its encoded result, or the panic or serde failure.
pub(super) fn run(task: &Task) -> Outcome {
    // SAFETY: `call` is the address of `trampoline::<A, R>` taken in the parent, of which this
    // process is a fork: the same code at the same address.
    let call: Trampoline = unsafe { std::mem::transmute::<usize, Trampoline>(task.call) };
    match catch_unwind(AssertUnwindSafe(|| call(task.func, &task.args))) {
        Ok(outcome) => outcome,
        Err(payload) => Outcome::Failed(Failure {
            kind: FailureKind::Panicked,
            message: panic_message(payload.as_ref()),
        }),
    }
}

/// Decodes the argument, calls `func` (a `fn(A) -> R`), encodes the result.
fn trampoline<A, R>(func: usize, args: &[u8]) -> Outcome
where
    A: DeserializeOwned,
    R: Serialize,
{
    // SAFETY: `func` is the address of a `fn(A) -> R` taken in apply_async of the parent this
    // worker was forked from, paired with this very instantiation of the trampoline.
    let func: fn(A) -> R = unsafe { std::mem::transmute::<usize, fn(A) -> R>(func) };
    let value = codec::decode::<A>(args).and_then(|args| codec::encode(&func(args)));
    match value {
        Ok(bytes) => Outcome::Value(bytes),
        Err(e) => Outcome::Failed(Failure::from_error(&e)),
    }
}

fn run_chunk<A, R>((func, chunk): (usize, Vec<A>)) -> Vec<R> {
    // SAFETY: as in trampoline: `func` is a `fn(A) -> R` of this program, sent by map.
    let func: fn(A) -> R = unsafe { std::mem::transmute::<usize, fn(A) -> R>(func) };
    chunk.into_iter().map(func).collect()
}

/// The address of `starmap`'s chunk runner for `fn(A, B) -> R`.
/// A chunk runner: applies the function at the address to every item of the chunk.
type ChunkRunner<A, R> = fn((usize, Vec<A>)) -> Vec<R>;

pub(super) fn star_chunk_runner<A, B, R>() -> ChunkRunner<(A, B), R> {
    run_star_chunk::<A, B, R>
}

fn run_star_chunk<A, B, R>((func, chunk): (usize, Vec<(A, B)>)) -> Vec<R> {
    // SAFETY: as in trampoline: `func` is a `fn(A, B) -> R` of this program, sent by starmap.
    let func: fn(A, B) -> R = unsafe { std::mem::transmute::<usize, fn(A, B) -> R>(func) };
    chunk.into_iter().map(|(a, b)| func(a, b)).collect()
}
