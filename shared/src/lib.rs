//! Python's `multiprocessing`, in Rust: the helper crate the notes' ports are written on.
//!
//! The names mirror Python's so a port reads like the notes: [`Process`] (`start`, `join`,
//! `terminate`, `kill`, `pid`, `name`, `daemon`, `sentinel`, `is_alive`, `exitcode`), [`Pool`]
//! (`apply`, `apply_async`, `map`, `map_async`, `starmap`, `imap`, `imap_unordered`, `close`,
//! `join`, `terminate`; `initializer` and `maxtasksperchild` through [`Pool::builder`]),
//! [`AsyncResult`] (`get`, `wait`, `ready`, `successful`, `callback`, `error_callback`),
//! [`IMapIterator`] (`next`, `next_timeout`),
//! [`Queue`] (`put`, `get`, their `_nowait` and timed forms, `qsize`, `empty`, `full`,
//! `maxsize`, `close`, `join_thread`), [`Pipe`] (`Pipe(duplex)`; `send`, `recv`, `poll`,
//! `send_bytes`, `recv_bytes`), [`fork`], [`current_pid`], [`parent_pid`], [`cpu_count`].
//! Children are real processes made with `fork`, values cross between them serialized with
//! serde (where Python pickles), and a child's panic comes back to the parent as an [`Error`]
//! instead of being lost.
//!
//! Two knobs, read once from the environment, only speed up or pin what the demos do:
//! `MULTITASK_TIME_SCALE` multiplies every [`sleep`], and `MULTITASK_SEED` makes every
//! [`random`] draw reproducible (each process gets its own stream, as after Python's reseed).
//!
//! Transports: a `Queue` is a message ring in memory that every fork maps (any number of forked
//! writers and readers, a copy under a robust lock and usually no system call a message, faster
//! than a raw pipe); a `Pipe` end and each pool worker
//! have a stream socket carrying length-prefixed frames. Values are MessagePack (serde's own
//! messages survive a failure on either side).
//!
//! Children, as in Python: a finished child is reaped at the next `start` or `join` whether or
//! not it was joined ([`active_children`] lists the live ones); when `main` returns, or a
//! child's target does, daemon children are terminated and every other child is joined; and a
//! child is killed with its parent process only when the parent dies abnormally (killed by a
//! signal), where Python's would be left running. The thread that started a child may end
//! first: the child goes on (the parent-death signal, which fires when the forking *thread*
//! ends, is armed only by the main thread; a child forked by another thread watches its
//! parent's pidfd instead). With `SIGCHLD` ignored, joins return normally and exit codes are
//! `None`, as CPython's. Timeouts of `Duration::MAX` mean "wait forever".
//!
//! Across processes, as in Python: [`Lock`], [`RLock`], [`Semaphore`], [`BoundedSemaphore`],
//! [`Event`], [`Condition`], [`Barrier`], [`Value`] and [`Array`] live in memory every later
//! fork shares; [`JoinableQueue`] and [`SimpleQueue`] stand on [`Queue`];
//! [`current_process`] and [`parent_process`] name the processes. [`python_names`] lists every
//! public name of Python's `multiprocessing` with its counterpart here, or why there is none.
//!
//! Linux only: fork, the parent-death signal, pidfd waits, `/proc`.

// Layers, bottom up (a module imports only from layers below it): error, os, shm, knobs,
// deadline, futex; spin, pidfd, per_process, codec, frames, reports; holders, children; fork;
// child; process, ring; queue, pipe, pool.
mod child;
mod children;
mod codec;
mod current;
mod deadline;
mod error;
mod fork;
mod frames;
mod futex;
mod holders;
mod knobs;
mod os;
mod per_process;
mod pidfd;
mod pipe;
mod pool;
mod process;
pub mod python_names;
mod queue;
mod queues;
mod reports;
mod ring;
mod sharedctypes;
mod shm;
mod spin;
mod synchronize;

pub use children::active_children;
pub use current::{ProcessInfo, current_process, parent_process};
pub use error::{Error, ErrorKind, Result};
pub use fork::fork;
pub use knobs::{
    MAX_TIME_SCALE, SEED_VAR, TIME_SCALE_VAR, check_knobs, random, seed, sleep, time_scale,
};
pub use os::{cpu_count, current_pid, parent_pid};
pub use pipe::{Connection, Pipe};
pub use pool::{AsyncResult, IMapIterator, Pool, PoolBuilder};
pub use process::{Process, TargetOutput};
pub use queue::Queue;
pub use queues::{JoinableQueue, SimpleQueue};
pub use sharedctypes::{Array, CType, Value};
pub use synchronize::{
    Barrier, BoundedSemaphore, Condition, ConditionGuard, Event, Lock, LockGuard, RLock,
    RLockGuard, Semaphore, SemaphoreGuard,
};
