//! The Landlock ruleset of a run: read and execute on the system and the run's own files,
//! read and write on the scratch directory (and what the options make writable), TCP refused
//! when the run has no network namespace, signals and abstract Unix sockets scoped to the run.

use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

use landlock::{
    ABI, Access, AccessFs, AccessNet, BitFlags, NetPort, PathBeneath, PathFd, Ruleset, RulesetAttr,
    RulesetCreatedAttr, Scope,
};

use crate::error::{FenceError, FenceErrorKind};

/// The ABI whose rights we ask for (the newest one tested: this machine's).
const TESTED_ABI: ABI = ABI::V7;

/// System paths a program needs to start and run: read and execute.
const SYSTEM_READ: &[&str] = &[
    "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt", "/proc", "/sys",
];

/// Files of `/etc` a run does not need and must not read even where its ids could (a build as
/// uid 0): password hashes, sudo rules, host keys.
const ETC_HIDDEN: &[&str] = &[
    "shadow",
    "shadow-",
    "gshadow",
    "gshadow-",
    "sudoers",
    "sudoers.d",
    "ssh",
    "ssl",
];

/// Device files a run may write.
const DEV_WRITE: &[&str] = &["/dev/null", "/dev/zero", "/dev/full"];

/// The paths a ruleset is built from.
#[derive(Debug, Clone)]
pub(crate) struct Paths {
    pub read_only: Vec<PathBuf>,
    pub writable: Vec<PathBuf>,
    /// The scratch directory. When the run mounts a tmpfs on it, this rule does *not* cover
    /// the tmpfs: Landlock's walk up a path skips the rules of a mountpoint hidden by a mount
    /// (`is_access_to_paths_allowed`: "Ignores hidden mount points"). The child then adds a
    /// rule for the tmpfs root itself once mounted ([`late_rule_access`]).
    pub scratch: PathBuf,
    /// `/dev/shm`, writable when the run has a private one (a tmpfs too: a late rule).
    pub dev_shm: Option<PathBuf>,
    /// Refuse TCP bind and connect (the run has no network namespace of its own), but
    /// connecting to `connect_ports`.
    pub refuse_tcp: bool,
    /// TCP ports the run may connect to when `refuse_tcp`.
    pub connect_ports: Vec<u16>,
}

/// The access bits of a late rule (a tmpfs mounted by the child): every filesystem right the
/// kernel's ABI (up to the tested one) knows, as `landlock_add_rule` takes them.
pub(crate) fn late_rule_access(kernel_abi: i32) -> u64 {
    AccessFs::from_all(ABI::from(kernel_abi.min(TESTED_ABI as i32))).bits()
}

/// Builds the ruleset and returns its fd, to be enforced in the child by
/// `landlock_restrict_self`.
pub(crate) fn build(paths: &Paths) -> Result<OwnedFd, FenceError> {
    let err = |what: &str, e: landlock::RulesetError| {
        FenceError::with_source(FenceErrorKind::Landlock, what.to_string(), e)
    };
    let all = AccessFs::from_all(TESTED_ABI);
    let read = AccessFs::from_read(TESTED_ABI);
    let mut ruleset = Ruleset::default()
        .handle_access(all)
        .map_err(|e| err("handling filesystem access", e))?
        .scope(Scope::from_all(TESTED_ABI))
        .map_err(|e| err("scoping signals and abstract sockets", e))?;
    if paths.refuse_tcp {
        ruleset = ruleset
            .handle_access(AccessNet::from_all(TESTED_ABI))
            .map_err(|e| err("handling TCP bind and connect", e))?;
    }
    let mut created = ruleset
        .create()
        .map_err(|e| err("creating the ruleset", e))?;

    let mut rules: Vec<(PathBuf, BitFlags<AccessFs>)> = Vec::new();
    for dir in SYSTEM_READ.iter().filter(|d| **d != "/etc") {
        rules.push((PathBuf::from(dir), read));
    }
    // /etc's own listing (ReadDir on the directory), then its entries one by one.
    rules.push((PathBuf::from("/etc"), AccessFs::ReadDir.into()));
    rules.extend(etc_entries().into_iter().map(|p| (p, read)));
    rules.push((PathBuf::from("/dev"), read | AccessFs::IoctlDev));
    for dev in DEV_WRITE {
        rules.push((PathBuf::from(dev), all));
    }
    for p in &paths.read_only {
        rules.push((p.clone(), read));
    }
    for p in &paths.writable {
        rules.push((p.clone(), all));
    }
    rules.push((paths.scratch.clone(), all));
    if let Some(shm) = &paths.dev_shm {
        rules.push((shm.clone(), all));
    }

    if paths.refuse_tcp {
        for port in &paths.connect_ports {
            created = created
                .add_rule(NetPort::new(*port, AccessNet::ConnectTcp))
                .map_err(|e| err(&format!("allowing TCP connect to port {port}"), e))?;
        }
    }
    for (path, access) in rules {
        let fd = match PathFd::new(&path) {
            Ok(fd) => fd,
            // A system path this distribution lacks (/lib32, /opt) grants nothing.
            Err(_) if !is_named_by_caller(&path, paths) => continue,
            Err(e) => {
                return Err(FenceError::with_source(
                    FenceErrorKind::Path,
                    format!("opening {}", path.display()),
                    e,
                ));
            }
        };
        // A rule on a file may only grant rights that apply to files.
        let access = if path.is_dir() {
            access
        } else {
            access & AccessFs::from_file(TESTED_ABI)
        };
        created = created
            .add_rule(PathBeneath::new(fd, access))
            .map_err(|e| err(&format!("adding a rule for {}", path.display()), e))?;
    }
    let fd: Option<OwnedFd> = created.into();
    fd.ok_or_else(|| FenceError::new(FenceErrorKind::Landlock, "landlock is not supported"))
}

/// Whether `path` came from the options (then it must exist) rather than the system list.
fn is_named_by_caller(path: &Path, paths: &Paths) -> bool {
    paths.read_only.iter().any(|p| p == path)
        || paths.writable.iter().any(|p| p == path)
        || path == paths.scratch
}

/// Every entry of `/etc` but the hidden ones (Landlock only allows: to hide a file of a
/// readable directory, the directory's other entries get rules one by one).
fn etc_entries() -> Vec<PathBuf> {
    let Ok(dir) = std::fs::read_dir("/etc") else {
        return Vec::new();
    };
    let mut entries: Vec<PathBuf> = dir
        .filter_map(Result::ok)
        .filter(|e| !ETC_HIDDEN.iter().any(|h| e.file_name() == *h))
        .map(|e| e.path())
        .collect();
    entries.sort();
    entries
}
