//! Pieces of a child's plan made in the parent: mounts, rlimits, the loopback request, the
//! kernel's highest capability.

use std::ffi::CString;

use crate::child::{IfReqFlags, Mount};
use crate::error::{FenceError, FenceErrorKind};
use crate::options::FenceOptions;

/// A mount with its strings made C strings (`target` "" is filled in later).
pub(crate) fn mount(
    source: Option<&str>,
    target: &str,
    fstype: Option<&str>,
    flags: libc::c_ulong,
    data: Option<&str>,
) -> Result<Mount, FenceError> {
    let c = |s: &str| {
        CString::new(s).map_err(|e| {
            FenceError::with_source(FenceErrorKind::InvalidOption, "a mount argument", e)
        })
    };
    Ok(Mount {
        source: c(source.unwrap_or("none"))?,
        target: c(target)?,
        fstype: fstype.map(c).transpose()?,
        flags,
        data: data.map(c).transpose()?,
        make_dir: None,
    })
}

/// The rlimits of a run: processes and threads, data memory, file size, no core dumps, CPU.
pub(crate) fn rlimits(options: &FenceOptions) -> Vec<(libc::__rlimit_resource_t, libc::rlimit)> {
    let both = |n: u64| libc::rlimit {
        rlim_cur: n,
        rlim_max: n,
    };
    let mut limits = vec![
        (libc::RLIMIT_NPROC, both(options.max_procs)),
        (libc::RLIMIT_DATA, both(options.max_memory)),
        (libc::RLIMIT_FSIZE, both(options.max_disk)),
        (libc::RLIMIT_CORE, both(0)),
    ];
    if let Some(cpu) = options.cpu_time {
        let secs = cpu.as_secs() + u64::from(cpu.subsec_nanos() > 0);
        // SIGXCPU at the soft limit, SIGKILL a second later.
        limits.push((
            libc::RLIMIT_CPU,
            libc::rlimit {
                rlim_cur: secs.max(1),
                rlim_max: secs.max(1) + 1,
            },
        ));
    }
    limits
}

/// `ifreq` for `lo` with IFF_UP | IFF_RUNNING.
pub(crate) fn loopback_request() -> IfReqFlags {
    let mut name = [0u8; libc::IFNAMSIZ];
    name[..2].copy_from_slice(b"lo");
    IfReqFlags {
        name,
        flags: (libc::IFF_UP | libc::IFF_RUNNING) as libc::c_short,
        pad: [0; 22],
    }
}

/// The highest capability number of this kernel.
pub(crate) fn cap_last_cap() -> libc::c_int {
    std::fs::read_to_string("/proc/sys/kernel/cap_last_cap")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(40)
}
