//! [`Fence`]: everything a fenced run needs, prepared before the fork, and the `pre_exec` hook
//! that puts the forked child inside it.

use std::ffi::CString;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use seccompiler::BpfProgram;

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
    /// The ruleset's paths, and the kernel's Landlock ABI (a ruleset is built per child).
    landlock: Option<(landlock_rules::Paths, i32)>,
    seccomp: Vec<BpfProgram>,
    rlimits: Vec<(libc::__rlimit_resource_t, libc::rlimit)>,
    drop_capabilities: Option<libc::c_int>,
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
        let landlock = setup::landlock(
            &probe,
            options,
            namespaces,
            scratch.path(),
            private_shm,
            &mut found,
        )?;
        let seccomp = setup::seccomp(&probe, options, &mut found)?;
        let (who, drop_capabilities) = setup::identity(&probe, options, ids, &mut found);
        let status = FenceStatus {
            fenced: true,
            namespaces,
            landlock_abi: landlock.as_ref().map(|(_, abi)| *abi),
            landlock_covers: found.covers,
            seccomp: !seccomp.is_empty(),
            ids: who,
            missing: found.missing,
        };
        Ok(Fence {
            rlimits: rlimits(options),
            scratch,
            status,
            options: options.clone(),
            ids,
            namespaces,
            mounts,
            landlock,
            seccomp,
            drop_capabilities,
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
        let plan = self.plan(None)?;
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
            if self.options.loopback && self.options.host_network_tcp_ports.is_none() {
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
    for p in options.read_only.iter().chain(&options.writable) {
        if !p.is_absolute() {
            return bad(format!("{} is not an absolute path", p.display()));
        }
    }
    Ok(())
}
