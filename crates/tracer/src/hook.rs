//! The pre_exec hook that makes the child a tracee: `PTRACE_TRACEME`, `PR_SET_NO_NEW_PRIVS`, the
//! seccomp filters. It runs between fork and exec, so it only makes raw system calls on data
//! compiled before the fork.
//!
//! A failing step is reported through std's exec-error channel as a made-up error number
//! ([`HOOK_ERROR_BASE`] + step + errno), so the parent can tell "tracing refused" from "program not
//! found" and name the step.
//!
//! Once the filters are in, std's own report of a failed exec could not get through (its write is
//! stopped by the filter before the tracer had a chance to enable seccomp stops: ENOSYS), the
//! child would abort, stop at SIGABRT as a tracee, and `spawn` in the tracer thread would wait for
//! ever on the report pipe. So the hook closes every close-on-exec descriptor, that pipe among
//! them (exec would close them all anyway): `spawn` returns at once, and the tracer thread sees
//! either the exec's SIGTRAP or the failure's SIGABRT.

use std::io;

use crate::error::{TraceError, TraceErrorKind};
use crate::filter::Filters;

/// Far above every real errno.
const HOOK_ERROR_BASE: i32 = 0x5452_0000;
const STEP_TRACEME: i32 = 0x100;
const STEP_NO_NEW_PRIVS: i32 = 0x200;
const STEP_SECCOMP: i32 = 0x300;

fn fail(step: i32) -> io::Error {
    let errno = io::Error::last_os_error().raw_os_error().unwrap_or(0) & 0xff;
    io::Error::from_raw_os_error(HOOK_ERROR_BASE + step + errno)
}

/// Runs in the child after every other hook (the fence's): becomes a tracee of the forking
/// thread and installs the filters. The next stop is the SIGTRAP after a successful execve.
pub(crate) fn tracee_hook(filters: &Filters) -> io::Result<()> {
    // SAFETY: PTRACE_TRACEME takes no pointers; it only marks this process as traced by its parent.
    let rc = unsafe { libc::ptrace(libc::PTRACE_TRACEME, 0, 0, 0) };
    if rc == -1 {
        return Err(fail(STEP_TRACEME));
    }
    // SAFETY: PR_SET_NO_NEW_PRIVS takes plain integers.
    let rc = unsafe { libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) };
    if rc == -1 {
        return Err(fail(STEP_NO_NEW_PRIVS));
    }
    for program in &filters.programs {
        let prog = libc::sock_fprog {
            len: program.len() as u16,
            filter: program.as_ptr() as *mut libc::sock_filter,
        };
        // SAFETY: seccompiler's sock_filter is #[repr(C)] with the kernel's layout (u16, u8, u8,
        // u32), `prog` points at a live slice of it, and the kernel copies the program before
        // returning.
        let rc = unsafe {
            libc::syscall(
                libc::SYS_seccomp,
                libc::SECCOMP_SET_MODE_FILTER,
                0,
                &prog as *const libc::sock_fprog,
            )
        };
        if rc == -1 {
            return Err(fail(STEP_SECCOMP));
        }
    }
    close_cloexec_fds();
    Ok(())
}

/// Closes every descriptor marked close-on-exec, listed from /proc/self/fd (or, without /proc,
/// by trying the first 65536). Raw system calls on a stack buffer only.
fn close_cloexec_fds() {
    let close_if_cloexec = |fd: i32| {
        // SAFETY: F_GETFD and close take an integer descriptor; closing a descriptor that exec
        // would close anyway changes nothing for the program.
        unsafe {
            let flags = libc::fcntl(fd, libc::F_GETFD);
            if flags != -1 && flags & libc::FD_CLOEXEC != 0 {
                libc::close(fd);
            }
        }
    };
    // SAFETY: a NUL-terminated literal path and plain flags.
    let dir = unsafe {
        libc::open(
            c"/proc/self/fd".as_ptr(),
            libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC,
        )
    };
    if dir == -1 {
        (0..65536).for_each(close_if_cloexec);
        return;
    }
    let mut buf = [0u8; 4096];
    loop {
        // SAFETY: `buf` is a writable buffer of the length given.
        let n = unsafe { libc::syscall(libc::SYS_getdents64, dir, buf.as_mut_ptr(), buf.len()) };
        if n <= 0 {
            break;
        }
        let mut at = 0usize;
        while at + 19 < n as usize {
            // struct linux_dirent64: d_ino u64, d_off i64, d_reclen u16, d_type u8, d_name.
            let reclen = u16::from_ne_bytes([buf[at + 16], buf[at + 17]]) as usize;
            if reclen == 0 {
                break;
            }
            let mut fd: i32 = 0;
            let mut digits = 0;
            for &b in &buf[at + 19..(at + reclen).min(n as usize)] {
                if !b.is_ascii_digit() {
                    break;
                }
                fd = fd.saturating_mul(10).saturating_add(i32::from(b - b'0'));
                digits += 1;
            }
            if digits > 0 && fd != dir {
                close_if_cloexec(fd);
            }
            at += reclen;
        }
    }
    // SAFETY: `dir` is the descriptor opened above.
    unsafe { libc::close(dir) };
}

/// Turns a spawn error into a trace error: the hook's own failures become `Refused`, naming the
/// step; the rest are the program's (not found, not executable).
pub(crate) fn spawn_error(program: &std::ffi::OsStr, err: io::Error) -> TraceError {
    let shown = program.to_string_lossy();
    if let Some(code) = err.raw_os_error()
        && (HOOK_ERROR_BASE..HOOK_ERROR_BASE + 0x1000).contains(&code)
    {
        let step = (code - HOOK_ERROR_BASE) & !0xff;
        let errno = nix::errno::Errno::from_raw((code - HOOK_ERROR_BASE) & 0xff);
        let what = match step {
            STEP_TRACEME => "ptrace(PTRACE_TRACEME)",
            STEP_NO_NEW_PRIVS => "prctl(PR_SET_NO_NEW_PRIVS)",
            _ => "seccomp(SECCOMP_SET_MODE_FILTER)",
        };
        return TraceError::with_source(
            TraceErrorKind::Refused,
            format!("tracing refused: {what} failed in the child"),
            io::Error::from(errno),
        );
    }
    let kind = match err.kind() {
        io::ErrorKind::NotFound => TraceErrorKind::NotFound,
        _ => TraceErrorKind::Spawn,
    };
    TraceError::with_source(kind, format!("cannot start {shown}"), err)
}
