//! [`Fence`]: everything a fenced run needs, prepared before the fork, and the `pre_exec` hook
//! that puts the forked child inside it.

use std::ffi::CString;
use std::net::TcpListener;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use seccompiler::BpfProgram;

use crate::bind::{Bind, ChildBind, clone_tree, plan_bind};
use crate::child::{Mount, Plan};
use crate::error::{FenceError, FenceErrorKind};
use crate::options::{FenceOptions, RunAs};
use crate::parts::{cap_last_cap, loopback_request, mount, rlimits};
use crate::probe::{NAMESPACES, identity_maps, probe_for, run_ids};
use crate::scratch::Scratch;
use crate::status::FenceStatus;
use crate::{landlock_rules, seccomp};

/// The folder of the scratch tmpfs bound on `/dev/shm`.
const SHM_FOLDER: &str = ".dev-shm";

/// A prepared fence: a private scratch directory, a Landlock ruleset, seccomp programs,
/// rlimits and the namespace plan of one run. [`apply`](Self::apply) it to the run's
/// `Command`; dropping it removes the scratch directory.
#[derive(Debug)]
pub struct Fence {
    scratch: Scratch,
    status: FenceStatus,
    options: FenceOptions,
    /// The ids the run gets, and whether root drops to them before anything else.
    ids: (libc::uid_t, libc::gid_t, bool),
    namespaces: bool,
    mounts: Vec<(Option<PathBuf>, Mount)>,
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
        let (uid, gid, drop) = run_ids(options.run_as);
        let mut missing = Vec::new();

        let namespaces = !options.disabled.namespaces && probe.namespaces.is_ok();
        match (&probe.namespaces, options.disabled.namespaces) {
            (_, true) => missing.push("namespaces switched off: network, scratch disk and process count not fenced per run".to_string()),
            (Err(why), false) => missing.push(format!(
                "no user namespaces ({why}): network fenced for TCP only, no private loopback, scratch disk limited by file size only, process limit per uid not per run"
            )),
            _ => {}
        }

        let parent = options
            .scratch_parent
            .clone()
            .unwrap_or_else(std::env::temp_dir);
        // Without a tmpfs of its own the run writes in the directory itself.
        let owner = (drop && !namespaces).then_some((uid, gid));
        let scratch = Scratch::create(&parent, owner)?;
        if drop {
            // The child mounts the tmpfs by path, as nobody: every parent must let it through.
            crate::scratch::check_searchable(scratch.path())?;
        }

        let mut mounts = Vec::new();
        let dev_shm = Path::new("/dev/shm");
        let private_shm = namespaces && dev_shm.is_dir();
        if namespaces {
            mounts.push((
                None,
                mount(None, "/", None, libc::MS_REC | libc::MS_PRIVATE, None)?,
            ));
            let flags = libc::MS_NOSUID | libc::MS_NODEV;
            let size = options.max_disk;
            mounts.push((
                Some(scratch.path().to_path_buf()),
                mount(
                    Some("tmpfs"),
                    "",
                    Some("tmpfs"),
                    flags,
                    Some(&format!("size={size},mode=0700")),
                )?,
            ));
            if private_shm {
                // /dev/shm is a folder of the scratch tmpfs, bound: --max-disk holds for both
                // together (a tmpfs of its own held as much again).
                let folder = scratch.path().join(SHM_FOLDER);
                let folder = CString::new(folder.as_os_str().as_bytes()).map_err(|e| {
                    FenceError::with_source(FenceErrorKind::Scratch, "naming /dev/shm's folder", e)
                })?;
                let mut bind = mount(None, "/dev/shm", None, libc::MS_BIND, None)?;
                bind.source = folder.clone();
                bind.make_dir = Some(folder);
                mounts.push((None, bind));
            }
        }

        if options.relay_port.is_some() && (!namespaces || options.host_network_tcp_ports.is_some())
        {
            return Err(FenceError::new(
                FenceErrorKind::InvalidOption,
                "a relay needs a network namespace of the run's own (namespaces, no host network)",
            ));
        }
        let mut binds = Vec::new();
        if drop {
            for path in &options.bound_read_only {
                let bind = plan_bind(path)?;
                if bind.cover.is_none() {
                    continue;
                }
                if !namespaces {
                    return Err(FenceError::new(
                        FenceErrorKind::InvalidOption,
                        format!(
                            "{} is out of nobody's reach and cannot be bound without namespaces",
                            path.display()
                        ),
                    ));
                }
                binds.push(bind);
            }
        }

        let mut landlock = None;
        let mut covers = Vec::new();
        let mut landlock_abi = None;
        match (&probe.landlock_abi, options.disabled.landlock) {
            (_, true) => missing.push(
                "landlock switched off: files, signals and abstract sockets not fenced".to_string(),
            ),
            (Err(why), false) => missing.push(format!(
                "{why}: files, signals and abstract sockets not fenced"
            )),
            (Ok(abi), false) => {
                let host_ports = options.host_network_tcp_ports.clone();
                let refuse_tcp = !namespaces || host_ports.is_some();
                let paths = landlock_rules::Paths {
                    read_only: options
                        .read_only
                        .iter()
                        .chain(&options.bound_read_only)
                        .cloned()
                        .collect(),
                    writable: options.writable.clone(),
                    scratch: scratch.path().to_path_buf(),
                    dev_shm: private_shm.then(|| dev_shm.to_path_buf()),
                    refuse_tcp,
                    connect_ports: host_ports.clone().unwrap_or_default(),
                };
                // Built once here so that a bad path fails `prepare`.
                landlock_rules::build(&paths)?;
                landlock = Some((paths, *abi));
                landlock_abi = Some(*abi);
                covers.push("fs");
                if let (Some(ports), true) = (&host_ports, *abi >= 4) {
                    let ports: Vec<String> = ports.iter().map(u16::to_string).collect();
                    covers.push("tcp");
                    missing.push(format!(
                        "the host's network: TCP connect to port {} only, UDP not fenced",
                        ports.join(", ")
                    ));
                } else if refuse_tcp && *abi >= 4 {
                    covers.push("tcp");
                } else if refuse_tcp {
                    missing.push(format!(
                        "landlock v{abi} without a network namespace: TCP not fenced"
                    ));
                }
                if *abi >= 6 {
                    covers.extend(["signals", "abstract sockets"]);
                } else {
                    missing.push(format!(
                        "landlock v{abi}: signals and abstract sockets not scoped"
                    ));
                }
            }
        }

        let seccomp_programs = match (&probe.seccomp, options.disabled.seccomp) {
            (_, true) => {
                missing.push("seccomp switched off".to_string());
                Vec::new()
            }
            (Err(why), false) => {
                missing.push(why.clone());
                Vec::new()
            }
            (Ok(()), false) => seccomp::programs()?,
        };

        let root_keeps_uid = probe.root && options.run_as == RunAs::Invoker;
        let drop_capabilities = root_keeps_uid.then(cap_last_cap);
        let ids = match (drop, root_keeps_uid) {
            (true, _) if !binds.is_empty() => format!(
                "nobody (65534), with {} bound read-only",
                binds
                    .iter()
                    .map(|b| b.path.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            (true, _) => "nobody (65534)".to_string(),
            (false, true) => "uid 0 without capabilities".to_string(),
            (false, false) => format!("uid {uid}"),
        };
        if root_keeps_uid {
            missing.push("uid 0 is not held by the process limit".to_string());
        }

        let status = FenceStatus {
            fenced: true,
            namespaces,
            landlock_abi,
            landlock_covers: covers,
            seccomp: !seccomp_programs.is_empty(),
            ids,
            missing,
            relay: options.relay_port,
        };
        Ok(Fence {
            rlimits: rlimits(options),
            scratch,
            status,
            options: options.clone(),
            ids: (uid, gid, drop),
            namespaces,
            mounts,
            binds,
            landlock,
            seccomp: seccomp_programs,
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
