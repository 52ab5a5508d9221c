//! [`Fence`]: everything a fenced run needs, prepared before the fork, and the `pre_exec` hook
//! that puts the forked child inside it.

use std::ffi::CString;
use std::net::TcpListener;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};

use seccompiler::BpfProgram;

use crate::bind::{Bind, ChildBind, clone_tree};
use crate::child::Plan;
use crate::error::{FenceError, FenceErrorKind};
use crate::landlock_rules;
use crate::options::FenceOptions;
use crate::parts::{loopback_request, rlimits};
use crate::probe::{NAMESPACES, identity_maps, probe_for, run_ids};
use crate::scratch::Scratch;
use crate::setup::{self, Found, Ids, RunMount};
use crate::status::FenceStatus;

/// A prepared fence: a private scratch directory, a Landlock ruleset, seccomp programs,
/// rlimits and the namespace plan of one run. [`apply`](Self::apply) it to the run's
/// `Command`; dropping it removes the scratch directory.
#[derive(Debug)]
pub struct Fence {
    scratch: Scratch,
    status: FenceStatus,
    options: FenceOptions,
    /// The ids the run gets, and whether root drops to them before anything else.
    ids: Ids,
    namespaces: bool,
    mounts: Vec<RunMount>,
    /// Folders bound read-only into the run (those its ids cannot reach on the host).
    binds: Vec<Bind>,
    /// The ruleset's paths, and the kernel's Landlock ABI (a ruleset is built per child).
    landlock: Option<(landlock_rules::Paths, i32)>,
    seccomp: Vec<BpfProgram>,
    rlimits: Vec<(libc::__rlimit_resource_t, libc::rlimit)>,
    drop_capabilities: Option<libc::c_int>,
    /// Our end of the socket pair the last child applied hands its relay listener through.
    relay_end: Mutex<Option<OwnedFd>>,
}

impl Fence {
    /// Prepares a fence: probes the machine ([`probe`](crate::probe())), makes the scratch
    /// directory, opens every path, builds the Landlock ruleset and the seccomp programs.
    /// A fence the machine lacks is left out and named in [`status`](Self::status).
    ///
    /// Errors: an unusable option ([`FenceErrorKind::InvalidOption`]), a path named in the
    /// options that cannot be opened, the scratch directory, a ruleset or filter that cannot be
    /// built.
    pub fn prepare(options: &FenceOptions) -> Result<Fence, FenceError> {
        validate(options)?;
        let probe = probe_for(options.run_as);
        let ids = run_ids(options.run_as);
        let mut found = Found::default();
        let namespaces = setup::namespaces(&probe, options, &mut found);
        let scratch = setup::scratch(options, ids, namespaces)?;
        let (mounts, private_shm) =
            setup::tmpfs_mounts(namespaces, scratch.path(), options.max_disk)?;
        setup::check_relay(options, namespaces)?;
        let binds = setup::binds(options, ids, namespaces)?;
        let landlock = setup::landlock(
            &probe,
            options,
            namespaces,
            scratch.path(),
            private_shm,
            &mut found,
        )?;
        let seccomp = setup::seccomp(&probe, options, &mut found)?;
        let (who, drop_capabilities) = setup::identity(&probe, options, ids, &binds, &mut found);
        let status = FenceStatus {
            fenced: true,
            namespaces,
            landlock_abi: landlock.as_ref().map(|(_, abi)| *abi),
            landlock_covers: found.covers,
            seccomp: !seccomp.is_empty(),
            ids: who,
            missing: found.missing,
            relay: options.relay_port,
        };
        Ok(Fence {
            rlimits: rlimits(options),
            scratch,
            status,
            options: options.clone(),
            ids,
            namespaces,
            mounts,
            binds,
            landlock,
            seccomp,
            drop_capabilities,
            relay_end: Mutex::new(None),
        })
    }

    /// Which fences are up and which are missing.
    pub fn status(&self) -> &FenceStatus {
        &self.status
    }

    /// The run's private scratch directory (its TMPDIR and HOME).
    pub fn scratch(&self) -> &Path {
        self.scratch.path()
    }

    /// Fences `command`: sets its environment (TMPDIR and HOME the scratch directory, PATH
    /// the options' system PATH, the options' further variables; others kept) and adds a
    /// `pre_exec` hook that puts the child in new namespaces, drops its ids, mounts its tmpfs,
    /// brings its loopback up, sets the rlimits, and enforces Landlock and seccomp. Add other
    /// hooks (the tracer's) after this one.
    pub fn apply(&self, command: &mut Command) -> Result<(), FenceError> {
        let mut plan = self.plan(None)?;
        if let Some(port) = self.options.relay_port {
            let (ours, theirs) = std::os::unix::net::UnixStream::pair().map_err(|e| {
                FenceError::with_source(FenceErrorKind::InvalidOption, "a relay socket pair", e)
            })?;
            plan.relay = Some(crate::relay::ChildRelay {
                addr: crate::relay::loopback_addr(port),
                to_parent: theirs.into(),
            });
            if let Ok(mut end) = self.relay_end.lock() {
                *end = Some(ours.into());
            }
        }
        self.set_env(command);
        let plan = Arc::new(plan);
        // SAFETY: the hook only runs Plan::enforce, which makes raw syscalls on data prepared
        // here and allocates nothing.
        unsafe { command.pre_exec(move || plan.enforce()) };
        Ok(())
    }

    /// Fences `command` into the run of `leader` (a process started with [`apply`] of this
    /// fence and still alive): it joins the leader's namespaces (so shares its loopback,
    /// tmpfs and process count) instead of making new ones. The master and worker of one
    /// distributed run are started this way.
    ///
    /// [`apply`]: Self::apply
    pub fn apply_joined(&self, command: &mut Command, leader: u32) -> Result<(), FenceError> {
        let join = if self.namespaces {
            // SAFETY: pidfd_open with a pid and no flags; the result is checked.
            let raw = unsafe { libc::syscall(libc::SYS_pidfd_open, leader as libc::pid_t, 0) };
            if raw < 0 {
                return Err(FenceError::with_source(
                    FenceErrorKind::Join,
                    format!("opening a pidfd of {leader}"),
                    std::io::Error::last_os_error(),
                ));
            }
            // SAFETY: a new fd we own.
            Some(unsafe { OwnedFd::from_raw_fd(raw as libc::c_int) })
        } else {
            None
        };
        let plan = self.plan(join)?;
        self.set_env(command);
        let plan = Arc::new(plan);
        // SAFETY: as in `apply`.
        unsafe { command.pre_exec(move || plan.enforce()) };
        Ok(())
    }

    /// The relay listener of the run last started with [`apply`](Self::apply) (with
    /// [`FenceOptions::relay_port`]): call it once the spawn has returned. `None` when there is
    /// no relay, or the child failed before it listened.
    ///
    /// Errors: the socket pair cannot be read.
    pub fn take_relay(&self) -> Result<Option<TcpListener>, FenceError> {
        let end = self.relay_end.lock().ok().and_then(|mut e| e.take());
        let Some(end) = end else {
            return Ok(None);
        };
        crate::relay::receive_listener(&end).map_err(|e| {
            FenceError::with_source(
                FenceErrorKind::InvalidOption,
                "receiving the relay listener",
                e,
            )
        })
    }

    fn set_env(&self, command: &mut Command) {
        command
            .env("TMPDIR", self.scratch())
            .env("HOME", self.scratch())
            .env("PATH", &self.options.path);
        for (k, v) in &self.options.env {
            command.env(k, v);
        }
    }

    /// The child's plan: a new run, or joining the run of `join`.
    fn plan(&self, join: Option<OwnedFd>) -> Result<Plan, FenceError> {
        let (uid, gid, drop) = self.ids;
        let mut plan = Plan {
            drop_first: drop.then_some((uid, gid)),
            drop_capabilities: self.drop_capabilities,
            rlimits: self.rlimits.clone(),
            // A ruleset of its own: the child adds rules for its tmpfs mounts to it.
            landlock: self
                .landlock
                .as_ref()
                .map(|(paths, _)| landlock_rules::build(paths))
                .transpose()?,
            seccomp: self.seccomp.clone(),
            ..Plan::default()
        };
        if let Some((paths, abi)) = &self.landlock
            && self.namespaces
        {
            let c = |p: &Path| {
                CString::new(p.as_os_str().as_bytes()).map_err(|e| {
                    FenceError::with_source(FenceErrorKind::InvalidOption, "a tmpfs path", e)
                })
            };
            plan.landlock_late.push(c(&paths.scratch)?);
            if let Some(shm) = &paths.dev_shm {
                plan.landlock_late.push(c(shm)?);
            }
            plan.late_access = landlock_rules::late_rule_access(*abi);
        }
        if let Some(pidfd) = join {
            plan.join = Some((pidfd, NAMESPACES));
        } else if self.namespaces {
            plan.unshare = if self.options.host_network_tcp_ports.is_some() {
                NAMESPACES & !libc::CLONE_NEWNET
            } else {
                NAMESPACES
            };
            plan.id_maps = Some(identity_maps(uid, gid));
            for (on_scratch, m) in &self.mounts {
                let mut m = m.clone();
                if let Some(dir) = on_scratch {
                    m.target = CString::new(dir.as_os_str().as_bytes()).map_err(|e| {
                        FenceError::with_source(
                            FenceErrorKind::Scratch,
                            "naming the scratch directory",
                            e,
                        )
                    })?;
                }
                plan.mounts.push(m);
            }
            let mut covered: Vec<&std::ffi::CStr> = Vec::new();
            for bind in &self.binds {
                let cover = bind
                    .cover
                    .as_ref()
                    .filter(|c| !covered.contains(&c.as_c_str()));
                if let Some(c) = cover {
                    covered.push(c);
                }
                plan.binds.push(ChildBind {
                    cover: cover.cloned(),
                    mkdirs: bind.mkdirs.clone(),
                    target: bind.target.clone(),
                    tree: clone_tree(bind)?,
                });
            }
            let wants_lo = self.options.loopback || self.options.relay_port.is_some();
            if wants_lo && self.options.host_network_tcp_ports.is_none() {
                plan.loopback = Some(loopback_request());
            }
        }
        Ok(plan)
    }
}

/// Checks what `prepare` cannot work with.
fn validate(options: &FenceOptions) -> Result<(), FenceError> {
    let bad = |what: String| Err(FenceError::new(FenceErrorKind::InvalidOption, what));
    if options.max_procs == 0 || options.max_memory == 0 || options.max_disk == 0 {
        return bad("max_procs, max_memory and max_disk must be above 0".to_string());
    }
    for p in options
        .read_only
        .iter()
        .chain(&options.writable)
        .chain(&options.bound_read_only)
    {
        if !p.is_absolute() {
            return bad(format!("{} is not an absolute path", p.display()));
        }
    }
    Ok(())
}
