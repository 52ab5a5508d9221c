//! Names and one-line summaries of the system calls the tracer stops at.

use crate::memory::{read_bytes, read_c_string};

/// The name of a traced system call.
pub(crate) fn syscall_name(nr: i64) -> &'static str {
    match nr {
        libc::SYS_write => "write",
        libc::SYS_writev => "writev",
        libc::SYS_pwrite64 => "pwrite64",
        libc::SYS_pwritev => "pwritev",
        libc::SYS_pwritev2 => "pwritev2",
        libc::SYS_sendfile => "sendfile",
        libc::SYS_splice => "splice",
        libc::SYS_tee => "tee",
        libc::SYS_vmsplice => "vmsplice",
        libc::SYS_connect => "connect",
        libc::SYS_bind => "bind",
        libc::SYS_sendto => "sendto",
        libc::SYS_sendmsg => "sendmsg",
        libc::SYS_sendmmsg => "sendmmsg",
        libc::SYS_read => "read",
        libc::SYS_readv => "readv",
        libc::SYS_preadv2 => "preadv2",
        libc::SYS_recvfrom => "recvfrom",
        libc::SYS_recvmsg => "recvmsg",
        libc::SYS_recvmmsg => "recvmmsg",
        libc::SYS_kill => "kill",
        libc::SYS_tkill => "tkill",
        libc::SYS_tgkill => "tgkill",
        libc::SYS_pidfd_send_signal => "pidfd_send_signal",
        libc::SYS_rt_sigqueueinfo => "rt_sigqueueinfo",
        libc::SYS_wait4 => "wait4",
        libc::SYS_waitid => "waitid",
        libc::SYS_pidfd_open => "pidfd_open",
        libc::SYS_ppoll => "ppoll",
        libc::SYS_rt_sigtimedwait => "rt_sigtimedwait",
        libc::SYS_pselect6 => "pselect6",
        libc::SYS_epoll_pwait => "epoll_pwait",
        libc::SYS_epoll_pwait2 => "epoll_pwait2",
        #[cfg(target_arch = "x86_64")]
        libc::SYS_poll => "poll",
        #[cfg(target_arch = "x86_64")]
        libc::SYS_select => "select",
        #[cfg(target_arch = "x86_64")]
        libc::SYS_epoll_wait => "epoll_wait",
        libc::SYS_openat => "openat",
        libc::SYS_openat2 => "openat2",
        libc::SYS_mkdirat => "mkdirat",
        libc::SYS_unlinkat => "unlinkat",
        libc::SYS_renameat => "renameat",
        libc::SYS_renameat2 => "renameat2",
        #[cfg(target_arch = "x86_64")]
        libc::SYS_open => "open",
        #[cfg(target_arch = "x86_64")]
        libc::SYS_creat => "creat",
        #[cfg(target_arch = "x86_64")]
        libc::SYS_mkdir => "mkdir",
        #[cfg(target_arch = "x86_64")]
        libc::SYS_unlink => "unlink",
        #[cfg(target_arch = "x86_64")]
        libc::SYS_rename => "rename",
        _ => "other",
    }
}

/// A signal's name (`SIGTERM`), or its number.
pub(crate) fn signal_name(sig: i32) -> String {
    nix::sys::signal::Signal::try_from(sig)
        .map(|s| s.as_str().to_string())
        .unwrap_or_else(|_| format!("signal {sig}"))
}

/// A socket address read from the tracee: `1.2.3.4:80`, `[::1]:80`, `unix /path`, `unix @name`.
fn sockaddr(tid: i32, addr: u64, len: u64) -> String {
    let raw = read_bytes(tid, addr, (len as usize).min(128));
    if raw.len() < 2 {
        return "an unreadable address".to_string();
    }
    let family = i32::from(u16::from_ne_bytes([raw[0], raw[1]]));
    let port = |r: &[u8]| u16::from_be_bytes([r[2], r[3]]);
    match family {
        libc::AF_INET if raw.len() >= 8 => {
            let ip = std::net::Ipv4Addr::new(raw[4], raw[5], raw[6], raw[7]);
            format!("{ip}:{}", port(&raw))
        }
        libc::AF_INET6 if raw.len() >= 24 => {
            let mut b = [0u8; 16];
            b.copy_from_slice(&raw[8..24]);
            format!("[{}]:{}", std::net::Ipv6Addr::from(b), port(&raw))
        }
        libc::AF_UNIX => {
            let path = &raw[2..];
            match path.first() {
                Some(0) => {
                    let name = path[1..].split(|&b| b == 0).next().unwrap_or(&[]);
                    format!("unix @{}", String::from_utf8_lossy(name))
                }
                _ => {
                    let name = path.split(|&b| b == 0).next().unwrap_or(&[]);
                    format!("unix {}", String::from_utf8_lossy(name))
                }
            }
        }
        f => format!("an address of family {f}"),
    }
}

/// What a watched call asked for, from its arguments at entry.
pub(crate) fn detail(tid: i32, nr: i64, a: &[u64; 6]) -> String {
    let path = |addr: u64| read_c_string(tid, addr);
    let sig = |s: u64| signal_name(s as i32);
    match nr {
        libc::SYS_connect | libc::SYS_bind => sockaddr(tid, a[1], a[2]),
        libc::SYS_sendto => sockaddr(tid, a[4], a[5]),
        libc::SYS_kill => format!("{} to pid {}", sig(a[1]), a[0] as i32),
        libc::SYS_tkill => format!("{} to tid {}", sig(a[1]), a[0] as i32),
        libc::SYS_tgkill => format!(
            "{} to tid {} of pid {}",
            sig(a[2]),
            a[1] as i32,
            a[0] as i32
        ),
        libc::SYS_pidfd_send_signal => format!("{} through pidfd {}", sig(a[1]), a[0] as i32),
        libc::SYS_openat | libc::SYS_openat2 | libc::SYS_mkdirat | libc::SYS_unlinkat => path(a[1]),
        libc::SYS_renameat | libc::SYS_renameat2 => format!("{} -> {}", path(a[1]), path(a[3])),
        #[cfg(target_arch = "x86_64")]
        libc::SYS_open | libc::SYS_creat | libc::SYS_mkdir | libc::SYS_unlink => path(a[0]),
        #[cfg(target_arch = "x86_64")]
        libc::SYS_rename => format!("{} -> {}", path(a[0]), path(a[1])),
        _ => String::new(),
    }
}
