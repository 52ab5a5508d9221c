//! The fence of a graded run: a stranger's program cannot see, send, write or kill outside its
//! own run (issue 10).
//!
//! [`Fence::prepare`] does every allocation and path lookup before the fork: it probes the
//! machine ([`probe`]), makes a private scratch directory, builds a Landlock ruleset (crate
//! `landlock`) and seccomp programs (crate `seccompiler`). [`Fence::apply`] then adds a
//! `pre_exec` hook to a [`std::process::Command`] that, in the forked child and with raw
//! syscalls only:
//!
//! 1. as root, drops to `nobody` (setgroups, setresgid, setresuid);
//! 2. unshares user, network, mount, IPC and UTS namespaces, mapping its own ids;
//! 3. makes mounts private and mounts a tmpfs of `max_disk` on the scratch directory (and binds
//!    a folder of it on `/dev/shm`: the limit holds for both together), and binds read-only the folders of `bound_read_only` its ids cannot reach
//!    (a toolchain under `/root`);
//! 4. brings its own `lo` up (the host's loopback listeners are out of reach), and with
//!    `relay_port` listens there and hands the listener to the invoker, the run's one way out;
//! 5. sets rlimits (processes and threads, data memory, file size, core, CPU);
//! 6. sets no_new_privs and enforces Landlock (files; TCP when there is no network namespace;
//!    signals and abstract Unix sockets scoped to the run) and the seccomp deny list.
//!
//! A fence the machine lacks is left out and [`Fence::status`] says so, in one line.
//! [`FenceOptions::for_build`] is the fence for building a submission.

#![deny(missing_docs)]

mod bind;
mod caps;
mod child;
mod error;
mod fds;
mod fence;
#[cfg(test)]
mod kernel_facts;
mod landlock_rules;
mod options;
mod parts;
mod probe;
mod relay;
mod scratch;
mod seccomp;
mod setup;
mod status;

pub use error::{FenceError, FenceErrorKind};
pub use fds::inherit_only_stdio;
pub use fence::Fence;
pub use options::{BuildPaths, Disabled, FenceOptions, NOBODY, RunAs, SYSTEM_PATH};
pub use probe::{Probe, probe};
pub use status::FenceStatus;
