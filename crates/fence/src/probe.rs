//! What this machine allows without privileges: user namespaces (tried for real, in a child,
//! with the ids a run would get), the Landlock ABI, seccomp filters.

use std::io;
use std::sync::OnceLock;

use crate::child::{IdMaps, Plan};
use crate::options::{NOBODY, RunAs};

/// What [`probe`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// Whether the caller is root (effective uid 0).
    pub root: bool,
    /// User, network, mount, IPC and UTS namespaces, with the run's uid mapped in: `Ok`, or
    /// why not (the step and errno).
    pub namespaces: Result<(), String>,
    /// The kernel's Landlock ABI version; `Err` says why there is none.
    pub landlock_abi: Result<i32, String>,
    /// Seccomp filters: `Ok`, or why not.
    pub seccomp: Result<(), String>,
}

/// The namespaces a run gets.
pub(crate) const NAMESPACES: libc::c_int = libc::CLONE_NEWUSER
    | libc::CLONE_NEWNET
    | libc::CLONE_NEWNS
    | libc::CLONE_NEWIPC
    | libc::CLONE_NEWUTS;

/// Decides what is possible here, once per process and [`RunAs`] (the answers do not change
/// while a process runs). Mirrors what `unshare -r -n -m true` and
/// `landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION)` tell.
pub fn probe() -> Probe {
    probe_for(RunAs::Nobody)
}

/// [`probe`] for runs with the ids of `run_as`.
pub(crate) fn probe_for(run_as: RunAs) -> Probe {
    static NOBODY_PROBE: OnceLock<Probe> = OnceLock::new();
    static INVOKER_PROBE: OnceLock<Probe> = OnceLock::new();
    let cell = match run_as {
        RunAs::Nobody => &NOBODY_PROBE,
        RunAs::Invoker => &INVOKER_PROBE,
    };
    cell.get_or_init(|| Probe {
        // SAFETY: geteuid cannot fail.
        root: unsafe { libc::geteuid() } == 0,
        namespaces: try_namespaces(run_as),
        landlock_abi: landlock_abi(),
        seccomp: seccomp(),
    })
    .clone()
}

/// The ids a run gets (as root with [`RunAs::Nobody`]: nobody's), and whether root must drop
/// to them first.
pub(crate) fn run_ids(run_as: RunAs) -> (libc::uid_t, libc::gid_t, bool) {
    // SAFETY: these getters cannot fail.
    let (uid, gid) = unsafe { (libc::geteuid(), libc::getegid()) };
    match (uid, run_as) {
        (0, RunAs::Nobody) => (NOBODY, NOBODY, true),
        _ => (uid, gid, false),
    }
}

/// The identity map of a new user namespace: the run keeps its own ids inside, so it has no
/// capability after execve (unless uid 0, whose capabilities the plan drops).
pub(crate) fn identity_maps(uid: libc::uid_t, gid: libc::gid_t) -> IdMaps {
    IdMaps {
        uid_map: format!("{uid} {uid} 1\n").into_bytes(),
        gid_map: format!("{gid} {gid} 1\n").into_bytes(),
    }
}

/// Forks a child that drops ids as a run would, unshares the namespaces and writes its maps,
/// then exits; its first failing step comes back through a pipe.
fn try_namespaces(run_as: RunAs) -> Result<(), String> {
    let (uid, gid, drop) = run_ids(run_as);
    let plan = Plan {
        drop_first: drop.then_some((uid, gid)),
        unshare: NAMESPACES,
        id_maps: Some(identity_maps(uid, gid)),
        ..Plan::default()
    };
    let mut fds = [0; 2];
    // SAFETY: pipe2 fills two fds.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } == -1 {
        return Err(format!("pipe: {}", io::Error::last_os_error()));
    }
    let [read_end, write_end] = fds;
    // SAFETY: the child only runs the plan (raw syscalls), writes and _exits.
    let pid = unsafe { libc::fork() };
    if pid == 0 {
        let code: i32 = match plan.namespaces_only() {
            Ok(()) => 0,
            Err(e) => e.raw_os_error().unwrap_or(libc::EIO),
        };
        let bytes = code.to_ne_bytes();
        // SAFETY: writes 4 bytes to the pipe and exits without running destructors.
        unsafe {
            libc::write(write_end, bytes.as_ptr().cast(), bytes.len());
            libc::_exit(0);
        }
    }
    // SAFETY: closes our copy of the write end.
    unsafe { libc::close(write_end) };
    if pid == -1 {
        // SAFETY: closes the read end.
        unsafe { libc::close(read_end) };
        return Err(format!("fork: {}", io::Error::last_os_error()));
    }
    let mut bytes = [0u8; 4];
    // SAFETY: reads at most 4 bytes into a live buffer.
    let n = unsafe { libc::read(read_end, bytes.as_mut_ptr().cast(), bytes.len()) };
    // SAFETY: closes the read end; waits for our own child.
    unsafe {
        libc::close(read_end);
        libc::waitpid(pid, std::ptr::null_mut(), libc::__WALL);
    }
    match (n, i32::from_ne_bytes(bytes)) {
        (4, 0) => Ok(()),
        (4, errno) => Err(format!(
            "user namespace: {}",
            io::Error::from_raw_os_error(errno)
        )),
        _ => Err("user namespace: the probe died".to_string()),
    }
}

/// `landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION)`.
fn landlock_abi() -> Result<i32, String> {
    const VERSION: libc::c_uint = 1;
    // SAFETY: the version query takes no attribute.
    let v = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<u8>(),
            0usize,
            VERSION,
        )
    };
    if v > 0 {
        Ok(v as i32)
    } else {
        match io::Error::last_os_error().raw_os_error() {
            Some(libc::EOPNOTSUPP) => Err("landlock is disabled at boot".to_string()),
            _ => Err("landlock is not in this kernel".to_string()),
        }
    }
}

/// `seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &SECCOMP_RET_ERRNO)`.
fn seccomp() -> Result<(), String> {
    let action: u32 = libc::SECCOMP_RET_ERRNO;
    // SAFETY: the kernel reads one u32.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_seccomp,
            libc::SECCOMP_GET_ACTION_AVAIL,
            0,
            &action as *const u32,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(format!("seccomp: {}", io::Error::last_os_error()))
    }
}
