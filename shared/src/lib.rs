//! Python's `multiprocessing`, in Rust: the helper crate the notes' ports are written on.
//!
//! The names mirror Python's so a port reads like the notes: [`Process`] (`start`, `join`,
//! `terminate`, `pid`, `is_alive`, `exitcode`), [`Pool`] (`apply_async`, `map`, `close`,
//! `join`, `terminate`), [`Queue`] (`put`, `get`), [`Pipe`] (`send`, `recv`), [`fork`],
//! [`current_pid`], [`parent_pid`], [`cpu_count`]. Children are real processes made with
//! `fork`, values cross between them serialized with serde (where Python pickles), and a
//! child's panic comes back to the parent as an [`Error`] instead of being lost.
//!
//! Two knobs, read once from the environment, only speed up or pin what the demos do:
//! `MULTITASK_TIME_SCALE` multiplies every [`sleep`], and `MULTITASK_SEED` makes every
//! [`random`] draw reproducible (each process gets its own stream, as after Python's reseed).
//!
//! Transports: a `Queue` is a `SOCK_SEQPACKET` socket pair of its own (any number of forked
//! writers and readers, one system call a message each way); `Pool` and `Pipe` run on
//! ipc-channel. Children die with their parent (`PR_SET_PDEATHSIG`), where Python's are left
//! running.
//!
//! Linux only: fork, the parent-death signal, pidfd waits, `/proc`.

mod datagram;
mod error;
mod holders;
mod knobs;
mod os;
mod pipe;
mod pool;
mod process;
mod queue;
mod shm;

pub use error::{Error, ErrorKind, Result};
pub use knobs::{SEED_VAR, TIME_SCALE_VAR, check_knobs, random, seed, sleep, time_scale};
pub use os::{cpu_count, current_pid, fork, parent_pid};
pub use pipe::{Connection, Pipe};
pub use pool::{AsyncResult, Pool};
pub use process::{Process, TargetOutput};
pub use queue::Queue;

/// A demo's `main`: checks the knobs (a malformed one: one stderr line, status 2), runs `run`,
/// and gives its [`exit_code`].
///
/// ```
/// fn run() -> multitask::Result<()> { Ok(()) }
/// let _status = multitask::run_main(run);
/// ```
pub fn run_main<E: std::fmt::Display>(
    run: impl FnOnce() -> std::result::Result<(), E>,
) -> std::process::ExitCode {
    if let Err(e) = check_knobs() {
        eprintln!("{}: {e}", program_name());
        return std::process::ExitCode::from(2);
    }
    exit_code(run())
}

fn program_name() -> String {
    let program = std::env::args().next().unwrap_or_default();
    program.rsplit('/').next().unwrap_or_default().to_string()
}

/// The exit status of a demo's `main`: success, or the error on one stderr line and status 1
/// (Python prints the traceback of an uncaught exception and exits 1).
///
/// ```
/// let code = multitask::exit_code(Err::<(), _>("no such file"));
/// assert_eq!(code, std::process::ExitCode::FAILURE);
/// ```
pub fn exit_code<E: std::fmt::Display>(
    result: std::result::Result<(), E>,
) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}: {e}", program_name());
            std::process::ExitCode::FAILURE
        }
    }
}
