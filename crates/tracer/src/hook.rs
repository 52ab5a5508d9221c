//! The pre_exec hook that makes the child a tracee: `PTRACE_TRACEME`, `PR_SET_NO_NEW_PRIVS`, the
//! seccomp filters. It runs between fork and exec, so it only makes raw system calls on data
//! compiled before the fork.
//!
//! A failing step is reported through std's exec-error channel as a made-up error number
//! ([`HOOK_ERROR_BASE`] + step + errno), so the parent can tell "tracing refused" from "program not
//! found" and name the step.

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
    Ok(())
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
