//! What the forked child does before `execve`: a [`Plan`] prepared in the parent, carried out
//! with raw syscalls only (no allocation, no lock: the child of a multithreaded process may
//! only call async-signal-safe functions).

use std::ffi::CString;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};

use seccompiler::BpfProgram;

/// One step of the plan, named in the line the child writes to its stderr when it fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    Descriptors,
    Groups,
    Gid,
    Uid,
    Dumpable,
    Unshare,
    Join,
    IdMaps,
    Mount,
    Bind,
    Loopback,
    Relay,
    Capabilities,
    Rlimit,
    NoNewPrivs,
    Landlock,
    Seccomp,
}

impl Step {
    /// The stderr line for a failed step (static: nothing is formatted in the child).
    fn line(self) -> &'static [u8] {
        match self {
            Step::Descriptors => b"fence: could not close the inherited descriptors\n",
            Step::Groups => b"fence: could not drop supplementary groups\n",
            Step::Gid => b"fence: could not change gid\n",
            Step::Uid => b"fence: could not change uid\n",
            Step::Dumpable => b"fence: could not set dumpable\n",
            Step::Unshare => b"fence: could not unshare namespaces\n",
            Step::Join => b"fence: could not join the run's namespaces\n",
            Step::IdMaps => b"fence: could not write uid/gid maps\n",
            Step::Mount => b"fence: could not mount the scratch tmpfs\n",
            Step::Bind => b"fence: could not bind a read-only folder into the run\n",
            Step::Loopback => b"fence: could not bring the loopback up\n",
            Step::Relay => b"fence: could not hand the relay listener over\n",
            Step::Capabilities => b"fence: could not drop capabilities\n",
            Step::Rlimit => b"fence: could not set a resource limit\n",
            Step::NoNewPrivs => b"fence: could not set no_new_privs\n",
            Step::Landlock => b"fence: could not enforce the landlock ruleset\n",
            Step::Seccomp => b"fence: could not install the seccomp filter\n",
        }
    }
}

/// A `mount(2)` call with its arguments prepared.
#[derive(Debug, Clone)]
pub(crate) struct Mount {
    pub source: CString,
    pub target: CString,
    pub fstype: Option<CString>,
    pub flags: libc::c_ulong,
    pub data: Option<CString>,
    /// A folder made (mode 1777) just before the mount: the source of a bind.
    pub make_dir: Option<CString>,
}

/// The contents of `/proc/self/{setgroups,uid_map,gid_map}` for a new user namespace.
#[derive(Debug)]
pub(crate) struct IdMaps {
    pub uid_map: Vec<u8>,
    pub gid_map: Vec<u8>,
}

/// `struct ifreq` as `SIOCSIFFLAGS` reads it: a name and the flags (the union's other members
/// are larger, hence the padding to 40 bytes).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct IfReqFlags {
    pub name: [u8; libc::IFNAMSIZ],
    pub flags: libc::c_short,
    pub pad: [u8; 22],
}

/// Everything the child does, prepared before the fork.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// Ids to switch to before any namespace (root dropping to nobody).
    pub drop_first: Option<(libc::uid_t, libc::gid_t)>,
    /// `unshare(2)` flags (0: none).
    pub unshare: libc::c_int,
    /// A pidfd of a run to join with `setns(2)`, and the namespaces to join.
    pub join: Option<(OwnedFd, libc::c_int)>,
    /// Maps to write after a new user namespace.
    pub id_maps: Option<IdMaps>,
    /// Mounts, in order (the first makes `/` private).
    pub mounts: Vec<Mount>,
    /// Folders bound read-only, after the mounts.
    pub binds: Vec<crate::bind::ChildBind>,
    /// Bring `lo` up.
    pub loopback: Option<IfReqFlags>,
    /// Listen on the run's loopback and hand the listener to the parent (after `lo` is up).
    pub relay: Option<crate::relay::ChildRelay>,
    /// Ids to switch to after the namespaces (root without a user namespace).
    pub drop_after: Option<(libc::uid_t, libc::gid_t)>,
    /// Drop every capability for good (root keeping uid 0): the highest capability number.
    pub drop_capabilities: Option<libc::c_int>,
    /// `setrlimit(2)` calls.
    pub rlimits: Vec<(libc::__rlimit_resource_t, libc::rlimit)>,
    /// A Landlock ruleset to enforce.
    pub landlock: Option<OwnedFd>,
    /// Directories that only exist once the child has mounted (or joined) them: a rule
    /// granting `late_access` on each is added to the ruleset before it is enforced.
    pub landlock_late: Vec<CString>,
    /// The access bits of the late rules.
    pub late_access: u64,
    /// Seccomp programs to install, in order.
    pub seccomp: Vec<BpfProgram>,
}

/// The file of `/proc/self` holding the user namespace's setgroups policy.
const SETGROUPS: &[u8] = b"/proc/self/setgroups\0";
const UID_MAP: &[u8] = b"/proc/self/uid_map\0";
const GID_MAP: &[u8] = b"/proc/self/gid_map\0";

impl Plan {
    /// Carries out the plan in the forked child; on failure writes the failed step's line on
    /// stderr and returns its errno. Async-signal-safe: raw syscalls on prepared data only.
    pub(crate) fn enforce(&self) -> io::Result<()> {
        self.steps().map_err(|(step, error)| {
            let line = step.line();
            // SAFETY: writes a static buffer to fd 2; a failed write changes nothing.
            unsafe { libc::write(2, line.as_ptr().cast(), line.len()) };
            error
        })
    }

    /// The namespace steps alone (ids, unshare, maps), for the probe.
    pub(crate) fn namespaces_only(&self) -> io::Result<()> {
        self.namespace_steps().map_err(|(_, e)| e)
    }

    fn namespace_steps(&self) -> Result<(), (Step, io::Error)> {
        if let Some((uid, gid)) = self.drop_first {
            drop_ids(uid, gid)?;
            // A uid change makes the process undumpable, and /proc/self/uid_map then belongs
            // to root: writing our own maps needs it to be ours again.
            // SAFETY: prctl with integer arguments.
            check(Step::Dumpable, unsafe {
                libc::prctl(libc::PR_SET_DUMPABLE, 1, 0, 0, 0)
            })?;
        }
        if self.unshare != 0 {
            // SAFETY: unshare with flags only.
            check(Step::Unshare, unsafe { libc::unshare(self.unshare) })?;
        }
        if let Some((pidfd, flags)) = &self.join {
            // SAFETY: setns on an open pidfd with namespace flags.
            check(Step::Join, unsafe {
                libc::setns(pidfd.as_raw_fd(), *flags)
            })?;
        }
        if let Some(maps) = &self.id_maps {
            write_file(SETGROUPS, b"deny").map_err(|e| (Step::IdMaps, e))?;
            write_file(UID_MAP, &maps.uid_map).map_err(|e| (Step::IdMaps, e))?;
            write_file(GID_MAP, &maps.gid_map).map_err(|e| (Step::IdMaps, e))?;
        }
        Ok(())
    }

    fn steps(&self) -> Result<(), (Step, io::Error)> {
        // Only stdin, stdout and stderr reach the program (the plan's own descriptors stay
        // open until the exec).
        crate::fds::inherit_only_stdio().map_err(|e| (Step::Descriptors, e))?;
        self.namespace_steps()?;
        for m in &self.mounts {
            if let Some(dir) = &m.make_dir {
                make_shared_dir(dir).map_err(|e| (Step::Mount, e))?;
            }
            let fstype = m.fstype.as_ref().map_or(std::ptr::null(), |s| s.as_ptr());
            let data = m
                .data
                .as_ref()
                .map_or(std::ptr::null(), |s| s.as_ptr().cast());
            // SAFETY: every pointer is a NUL-terminated string prepared before the fork, or null.
            check(Step::Mount, unsafe {
                libc::mount(m.source.as_ptr(), m.target.as_ptr(), fstype, m.flags, data)
            })?;
        }
        for bind in &self.binds {
            crate::bind::bind_in_child(bind).map_err(|e| (Step::Bind, e))?;
        }
        if let Some(ifreq) = self.loopback {
            loopback_up(ifreq).map_err(|e| (Step::Loopback, e))?;
        }
        if let Some(relay) = &self.relay {
            crate::relay::listen_and_send(relay).map_err(|e| (Step::Relay, e))?;
        }
        if let Some(ruleset) = &self.landlock {
            for dir in &self.landlock_late {
                add_late_rule(ruleset.as_raw_fd(), dir, self.late_access)
                    .map_err(|e| (Step::Landlock, e))?;
            }
        }
        if let Some((uid, gid)) = self.drop_after {
            drop_ids(uid, gid)?;
        }
        if let Some(last) = self.drop_capabilities {
            crate::caps::drop_capabilities(last).map_err(|e| (Step::Capabilities, e))?;
        }
        for (resource, limit) in &self.rlimits {
            // SAFETY: setrlimit reads a prepared struct.
            check(Step::Rlimit, unsafe { libc::setrlimit(*resource, limit) })?;
        }
        // SAFETY: prctl with integer arguments.
        check(Step::NoNewPrivs, unsafe {
            libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
        })?;
        if let Some(ruleset) = &self.landlock {
            // SAFETY: landlock_restrict_self on an open ruleset fd, no flags.
            let rc =
                unsafe { libc::syscall(libc::SYS_landlock_restrict_self, ruleset.as_raw_fd(), 0) };
            check(Step::Landlock, rc as libc::c_int)?;
        }
        for program in &self.seccomp {
            let fprog = libc::sock_fprog {
                len: program.len() as libc::c_ushort,
                // seccompiler's sock_filter has the kernel's layout.
                filter: program.as_ptr() as *mut libc::sock_filter,
            };
            // SAFETY: the kernel copies the program; `fprog` points into a live Vec.
            let rc = unsafe {
                libc::syscall(
                    libc::SYS_seccomp,
                    libc::SECCOMP_SET_MODE_FILTER,
                    0,
                    &fprog as *const libc::sock_fprog,
                )
            };
            check(Step::Seccomp, rc as libc::c_int)?;
        }
        Ok(())
    }
}

/// `struct landlock_path_beneath_attr` (packed, as the kernel declares it).
#[repr(C, packed)]
struct PathBeneathAttr {
    allowed_access: u64,
    parent_fd: i32,
}

/// `LANDLOCK_RULE_PATH_BENEATH`.
const RULE_PATH_BENEATH: libc::c_int = 1;

/// Adds a path-beneath rule for `dir` (opened here, `O_PATH`) to the ruleset.
fn add_late_rule(ruleset: libc::c_int, dir: &CString, access: u64) -> io::Result<()> {
    // SAFETY: a NUL-terminated path; O_PATH needs no mode.
    let fd = unsafe {
        libc::open(
            dir.as_ptr(),
            libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC,
        )
    };
    if fd == -1 {
        return Err(io::Error::last_os_error());
    }
    let attr = PathBeneathAttr {
        allowed_access: access,
        parent_fd: fd,
    };
    // SAFETY: the kernel reads the attribute struct; both fds are open.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_landlock_add_rule,
            ruleset,
            RULE_PATH_BENEATH,
            &attr as *const PathBeneathAttr,
            0,
        )
    };
    let result = if rc == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    };
    // SAFETY: closes the fd opened above.
    unsafe { libc::close(fd) };
    result
}

/// mkdir `dir` and give it mode 1777 (the umask does not apply to chmod).
fn make_shared_dir(dir: &CString) -> io::Result<()> {
    // SAFETY: a NUL-terminated path prepared before the fork.
    if unsafe { libc::mkdir(dir.as_ptr(), 0o700) } == -1 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: as above.
    if unsafe { libc::chmod(dir.as_ptr(), 0o1777) } == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Maps a -1 return to the step and errno.
fn check(step: Step, rc: libc::c_int) -> Result<(), (Step, io::Error)> {
    if rc == -1 {
        Err((step, io::Error::last_os_error()))
    } else {
        Ok(())
    }
}

/// setgroups([]), setresgid, setresuid: in this order, since a uid change ends the right to
/// change groups.
fn drop_ids(uid: libc::uid_t, gid: libc::gid_t) -> Result<(), (Step, io::Error)> {
    // SAFETY: setgroups with an empty list.
    check(Step::Groups, unsafe {
        libc::setgroups(0, std::ptr::null())
    })?;
    // SAFETY: integer arguments.
    check(Step::Gid, unsafe { libc::setresgid(gid, gid, gid) })?;
    // SAFETY: integer arguments.
    check(Step::Uid, unsafe { libc::setresuid(uid, uid, uid) })
}

/// Writes `bytes` to the file at the NUL-terminated `path` in one write.
fn write_file(path: &[u8], bytes: &[u8]) -> io::Result<()> {
    // SAFETY: `path` is NUL-terminated.
    let fd = unsafe { libc::open(path.as_ptr().cast(), libc::O_WRONLY | libc::O_CLOEXEC) };
    if fd == -1 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: writes a live buffer to the fd just opened.
    let written = unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) };
    let result = if written == bytes.len() as isize {
        Ok(())
    } else if written == -1 {
        Err(io::Error::last_os_error())
    } else {
        Err(io::Error::from_raw_os_error(libc::EIO))
    };
    // SAFETY: closes the fd opened above.
    unsafe { libc::close(fd) };
    result
}

/// SIOCSIFFLAGS up on `lo` through a datagram socket of the new network namespace.
fn loopback_up(mut ifreq: IfReqFlags) -> io::Result<()> {
    // SAFETY: socket with integer arguments.
    let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
    if fd == -1 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: the ioctl reads a struct of the kernel's ifreq layout on the stack.
    let rc = unsafe { libc::ioctl(fd, libc::SIOCSIFFLAGS, &mut ifreq as *mut IfReqFlags) };
    let result = if rc == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    };
    // SAFETY: closes the socket opened above.
    unsafe { libc::close(fd) };
    result
}
