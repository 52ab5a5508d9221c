//! The steps of [`Fence::prepare`](crate::Fence::prepare), one per fence in the order it takes
//! them (as isolate's `setup_*`): each sets its fence up from the machine's [`Probe`] and the
//! options, and notes in [`Found`] what it covers and what is missing.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use seccompiler::BpfProgram;

use crate::bind::{Bind, plan_bind};
use crate::child::Mount;
use crate::error::{FenceError, FenceErrorKind};
use crate::landlock_rules;
use crate::options::{FenceOptions, RunAs};
use crate::parts::{cap_last_cap, mount};
use crate::probe::Probe;
use crate::scratch::Scratch;

/// The folder of the scratch tmpfs bound on `/dev/shm`.
const SHM_FOLDER: &str = ".dev-shm";

/// The ids a run gets, and whether root drops to them before anything else.
pub(crate) type Ids = (libc::uid_t, libc::gid_t, bool);

/// A mount of the run: on the scratch directory (its target named once the child knows it),
/// or at its own target.
pub(crate) type RunMount = (Option<PathBuf>, Mount);

/// What the steps found: what the fences cover, and what is missing.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub(crate) covers: Vec<&'static str>,
    pub(crate) missing: Vec<String>,
}

/// Namespaces, unless switched off or refused.
pub(crate) fn namespaces(probe: &Probe, options: &FenceOptions, found: &mut Found) -> bool {
    match (&probe.namespaces, options.disabled.namespaces) {
        (_, true) => found.missing.push("namespaces switched off: network, scratch disk and process count not fenced per run".to_string()),
        (Err(why), false) => found.missing.push(format!(
            "no user namespaces ({why}): network fenced for TCP only, no private loopback, scratch disk limited by file size only, process limit per uid not per run"
        )),
        (Ok(()), false) => return true,
    }
    false
}

/// The run's private scratch directory, made where the options say (or in the temporary
/// directory).
pub(crate) fn scratch(
    options: &FenceOptions,
    (uid, gid, drop): Ids,
    namespaces: bool,
) -> Result<Scratch, FenceError> {
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
    Ok(scratch)
}

/// With namespaces: the mounts made private, a tmpfs of `max_disk` bytes on the scratch
/// directory and, when there is one, a folder of it bound on `/dev/shm` (the flag: a private
/// `/dev/shm`).
pub(crate) fn tmpfs_mounts(
    namespaces: bool,
    scratch: &Path,
    max_disk: u64,
) -> Result<(Vec<RunMount>, bool), FenceError> {
    let mut mounts = Vec::new();
    let private_shm = namespaces && Path::new("/dev/shm").is_dir();
    if !namespaces {
        return Ok((mounts, private_shm));
    }
    mounts.push((
        None,
        mount(None, "/", None, libc::MS_REC | libc::MS_PRIVATE, None)?,
    ));
    let flags = libc::MS_NOSUID | libc::MS_NODEV;
    let tmpfs = |target: &str, mode: &str| {
        mount(
            Some("tmpfs"),
            target,
            Some("tmpfs"),
            flags,
            Some(&format!("size={max_disk},mode={mode}")),
        )
    };
    mounts.push((Some(scratch.to_path_buf()), tmpfs("", "0700")?));
    if private_shm {
        // /dev/shm is a folder of the scratch tmpfs, bound: --max-disk holds for both together
        // (a tmpfs of its own held as much again).
        let folder = scratch.join(SHM_FOLDER);
        let folder = CString::new(folder.as_os_str().as_bytes()).map_err(|e| {
            FenceError::with_source(FenceErrorKind::Scratch, "naming /dev/shm's folder", e)
        })?;
        let mut bind = mount(None, "/dev/shm", None, libc::MS_BIND, None)?;
        bind.source = folder.clone();
        bind.make_dir = Some(folder);
        mounts.push((None, bind));
    }
    Ok((mounts, private_shm))
}

/// A relay needs a network namespace of the run's own.
pub(crate) fn check_relay(options: &FenceOptions, namespaces: bool) -> Result<(), FenceError> {
    if options.relay_port.is_some() && (!namespaces || options.host_network_tcp_ports.is_some()) {
        return Err(FenceError::new(
            FenceErrorKind::InvalidOption,
            "a relay needs a network namespace of the run's own (namespaces, no host network)",
        ));
    }
    Ok(())
}

/// When root drops to nobody: the folders of `bound_read_only` nobody cannot reach, to bind
/// read-only into the run (which needs namespaces).
pub(crate) fn binds(
    options: &FenceOptions,
    (_, _, drop): Ids,
    namespaces: bool,
) -> Result<Vec<Bind>, FenceError> {
    let mut binds = Vec::new();
    if !drop {
        return Ok(binds);
    }
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
    Ok(binds)
}

/// Landlock's ruleset paths and the kernel's ABI, unless switched off or missing.
pub(crate) fn landlock(
    probe: &Probe,
    options: &FenceOptions,
    namespaces: bool,
    scratch: &Path,
    private_shm: bool,
    found: &mut Found,
) -> Result<Option<(landlock_rules::Paths, i32)>, FenceError> {
    let abi = match (&probe.landlock_abi, options.disabled.landlock) {
        (_, true) => {
            found.missing.push(
                "landlock switched off: files, signals and abstract sockets not fenced".to_string(),
            );
            return Ok(None);
        }
        (Err(why), false) => {
            found.missing.push(format!(
                "{why}: files, signals and abstract sockets not fenced"
            ));
            return Ok(None);
        }
        (Ok(abi), false) => *abi,
    };
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
        scratch: scratch.to_path_buf(),
        dev_shm: private_shm.then(|| PathBuf::from("/dev/shm")),
        refuse_tcp,
        connect_ports: host_ports.clone().unwrap_or_default(),
    };
    // Built once here so that a bad path fails `prepare`.
    landlock_rules::build(&paths)?;
    found.covers.push("fs");
    landlock_reach(abi, host_ports.as_deref(), refuse_tcp, found);
    Ok(Some((paths, abi)))
}

/// What Landlock ABI `abi` fences beyond files: TCP (refused, or to the host's `ports` only)
/// and, from v6, signals and abstract sockets.
fn landlock_reach(abi: i32, ports: Option<&[u16]>, refuse_tcp: bool, found: &mut Found) {
    if let (Some(ports), true) = (ports, abi >= 4) {
        let ports: Vec<String> = ports.iter().map(u16::to_string).collect();
        found.covers.push("tcp");
        found.missing.push(format!(
            "the host's network: TCP connect to port {} only, UDP not fenced",
            ports.join(", ")
        ));
    } else if refuse_tcp && abi >= 4 {
        found.covers.push("tcp");
    } else if refuse_tcp {
        found.missing.push(format!(
            "landlock v{abi} without a network namespace: TCP not fenced"
        ));
    }
    if abi >= 6 {
        found.covers.extend(["signals", "abstract sockets"]);
    } else {
        found.missing.push(format!(
            "landlock v{abi}: signals and abstract sockets not scoped"
        ));
    }
}

/// The seccomp programs, unless switched off or refused.
pub(crate) fn seccomp(
    probe: &Probe,
    options: &FenceOptions,
    found: &mut Found,
) -> Result<Vec<BpfProgram>, FenceError> {
    match (&probe.seccomp, options.disabled.seccomp) {
        (_, true) => found.missing.push("seccomp switched off".to_string()),
        (Err(why), false) => found.missing.push(why.clone()),
        (Ok(()), false) => return crate::seccomp::programs(),
    }
    Ok(Vec::new())
}

/// Who the run is, in words (with what is bound into it), and the capabilities root drops
/// when it keeps its uid (the last capability's number).
pub(crate) fn identity(
    probe: &Probe,
    options: &FenceOptions,
    (uid, _, drop): Ids,
    binds: &[Bind],
    found: &mut Found,
) -> (String, Option<libc::c_int>) {
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
        found
            .missing
            .push("uid 0 is not held by the process limit".to_string());
    }
    (ids, drop_capabilities)
}
