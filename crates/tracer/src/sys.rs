//! Thin wrappers over the raw calls the tracer makes: wait, resume, pidfds.
//!
//! Wait statuses and signal numbers stay plain integers: a real-time signal has no `nix` `Signal`
//! value, and a status that fails to decode after `waitpid` consumed it would leave a tracee
//! stopped for ever.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use nix::errno::Errno;

/// What a wait found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Waited {
    /// A stop, served from now on: the task and its status as `waitpid` gives it.
    Stop(i32, i32),
    /// A task that ended, not reaped yet: its `/proc` entries can still be read (a task with a
    /// SIGKILL pending as it ends never stops at `PTRACE_EVENT_EXIT`), then [`wait_one`] reaps it.
    Ended(i32),
}

/// `waitid` for task `pid` (0: any) among the children and tracees of *this thread*
/// (`__WALL | __WNOTHREAD`): the task, the kind of its state (`si_code`) and `si_status`, or
/// `None` when nothing is to be reported now (only with `WNOHANG`).
fn wait_id(pid: i32, flags: i32) -> Result<Option<(i32, i32, i32)>, Errno> {
    let (idtype, id) = if pid == 0 {
        (libc::P_ALL, 0)
    } else {
        (libc::P_PID, pid as libc::id_t)
    };
    // SAFETY: siginfo_t is plain data; all zeros is a valid value (and si_pid stays 0 when
    // WNOHANG finds nothing, which is how that case is told apart).
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    // SAFETY: `info` is a valid out-pointer for the duration of the call.
    let rc = unsafe {
        libc::waitid(
            idtype,
            id,
            &mut info,
            flags | libc::__WALL | libc::__WNOTHREAD,
        )
    };
    if rc == -1 {
        return Err(Errno::last());
    }
    // SAFETY: the kernel filled `info` as a SIGCHLD siginfo (or left it zero), whose pid and
    // status these read.
    let (pid, status) = unsafe { (info.si_pid(), info.si_status()) };
    Ok((pid != 0).then_some((pid, info.si_code, status)))
}

/// Takes the stop of task `pid` (0: of any task), if one is to be reported now, with its status
/// as `waitpid` gives it (a ptrace stop's `si_status` is the stop's whole code: signal and
/// event). ECHILD says only that no such task can stop (a wait without `WEXITED` does not count
/// an ended task as one to wait for): `None` too.
fn take_stop(pid: i32) -> Result<Option<Waited>, Errno> {
    match wait_id(pid, libc::WSTOPPED | libc::WNOHANG) {
        Ok(Some((pid, _, code))) => Ok(Some(Waited::Stop(pid, (code << 8) | 0x7f))),
        Ok(None) | Err(Errno::ECHILD) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Waits for any child or tracee of *this thread*: never another thread's children. A stop is
/// taken at once; an end only when no stop is to be reported, and only looked at
/// ([`Waited::Ended`]), not reaped. `Ok(None)`: nothing to report now (only with `nohang`).
pub(crate) fn wait_any(nohang: bool) -> Result<Option<Waited>, Errno> {
    let mut flags = libc::WEXITED | libc::WSTOPPED | libc::WNOWAIT;
    if nohang {
        flags |= libc::WNOHANG;
    }
    loop {
        let Some((pid, code, _)) = wait_id(0, flags)? else {
            return Ok(None);
        };
        if !matches!(code, libc::CLD_EXITED | libc::CLD_KILLED | libc::CLD_DUMPED) {
            // The task's one stop (a SIGKILL may have taken it out of it meanwhile: look again).
            match take_stop(pid)? {
                Some(stop) => return Ok(Some(stop)),
                None => continue,
            }
        }
        return Ok(Some(take_stop(0)?.unwrap_or(Waited::Ended(pid))));
    }
}

/// Waits for one task of this thread (`__WALL | __WNOTHREAD`).
pub(crate) fn wait_one(pid: i32) -> Result<i32, Errno> {
    let mut status: libc::c_int = 0;
    loop {
        // SAFETY: `status` is a valid out-pointer for the duration of the call.
        let rc = unsafe { libc::waitpid(pid, &mut status, libc::__WALL | libc::__WNOTHREAD) };
        match rc {
            -1 if Errno::last() == Errno::EINTR => continue,
            -1 => return Err(Errno::last()),
            _ => return Ok(status),
        }
    }
}

fn request(req: libc::c_uint, pid: i32, sig: i32) -> Result<(), Errno> {
    // SAFETY: PTRACE_CONT, PTRACE_SYSCALL and PTRACE_SETOPTIONS take integers only (addr unused,
    // data a signal number or option bits).
    let rc = unsafe { libc::ptrace(req, pid, 0usize, sig as libc::c_long) };
    if rc == -1 { Err(Errno::last()) } else { Ok(()) }
}

/// Resumes a stopped tracee, delivering `sig` (0: none).
pub(crate) fn cont(pid: i32, sig: i32) -> Result<(), Errno> {
    request(libc::PTRACE_CONT, pid, sig)
}

/// Resumes a stopped tracee up to its next system-call stop (here: the exit of the current call).
pub(crate) fn syscall(pid: i32, sig: i32) -> Result<(), Errno> {
    request(libc::PTRACE_SYSCALL, pid, sig)
}

/// Sets the ptrace options of a stopped tracee (inherited by every task it creates).
pub(crate) fn set_options(pid: i32, options: i32) -> Result<(), Errno> {
    request(libc::PTRACE_SETOPTIONS, pid, options)
}

/// The options every tracee runs with.
pub(crate) const OPTIONS: i32 = libc::PTRACE_O_TRACEFORK
    | libc::PTRACE_O_TRACEVFORK
    | libc::PTRACE_O_TRACECLONE
    | libc::PTRACE_O_TRACEEXEC
    | libc::PTRACE_O_TRACEEXIT
    | libc::PTRACE_O_TRACESECCOMP
    | libc::PTRACE_O_TRACESYSGOOD
    | libc::PTRACE_O_EXITKILL;

/// The message of a ptrace event stop (`PTRACE_GETEVENTMSG`): a new tid, a former tid, ...
pub(crate) fn event_msg(pid: i32) -> Result<i64, Errno> {
    nix::sys::ptrace::getevent(nix::unistd::Pid::from_raw(pid))
}

/// Whether a stop with a stop signal is a group-stop (no siginfo) rather than a signal delivery.
pub(crate) fn is_group_stop(pid: i32) -> bool {
    nix::sys::ptrace::getsiginfo(nix::unistd::Pid::from_raw(pid)) == Err(Errno::EINVAL)
}

/// `PTRACE_GET_SYSCALL_INFO`: the call's number and arguments at a seccomp stop, its return
/// value at a syscall-exit stop.
pub(crate) fn syscall_info(pid: i32) -> Result<libc::ptrace_syscall_info, Errno> {
    nix::sys::ptrace::syscall_info(nix::unistd::Pid::from_raw(pid))
}

/// A pidfd for process `pid` (a thread group leader): signals sent through it can never hit a
/// recycled pid.
pub(crate) fn pidfd_open(pid: i32) -> Result<OwnedFd, Errno> {
    // SAFETY: pidfd_open takes a pid and flags; it returns a new descriptor or -1.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    if fd < 0 {
        return Err(Errno::last());
    }
    // SAFETY: the kernel just gave us this descriptor; nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd as i32) })
}

/// SIGKILLs the process behind a pidfd (ESRCH once it is gone: harmless).
pub(crate) fn pidfd_kill(fd: &OwnedFd) -> Result<(), Errno> {
    // SAFETY: a valid pidfd, a signal number, no siginfo, no flags.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_pidfd_send_signal,
            fd.as_raw_fd(),
            libc::SIGKILL,
            std::ptr::null::<libc::siginfo_t>(),
            0,
        )
    };
    if rc == -1 { Err(Errno::last()) } else { Ok(()) }
}

/// A copy of descriptor `fd` of process `pid` (`pidfd_getfd`: the tracer may, as the tracee's
/// ptracer), close-on-exec.
pub(crate) fn fd_of(pid: i32, fd: i32) -> Result<OwnedFd, Errno> {
    let pidfd = pidfd_open(pid)?;
    // SAFETY: pidfd_getfd takes a pidfd, a descriptor number and flags (0); it returns a new
    // descriptor or -1.
    let got = unsafe { libc::syscall(libc::SYS_pidfd_getfd, pidfd.as_raw_fd(), fd, 0) };
    if got < 0 {
        return Err(Errno::last());
    }
    // SAFETY: the kernel just gave us this descriptor; nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(got as i32) })
}

/// A socket's local or peer address (`getsockname` / `getpeername`) as raw bytes: family,
/// port and address (Unix paths included). `None` when the call fails (not connected).
pub(crate) fn socket_name(fd: &OwnedFd, peer: bool) -> Option<Vec<u8>> {
    // SAFETY: sockaddr_storage is plain bytes; all zeros is a valid value.
    let mut addr: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    let ptr = (&mut addr as *mut libc::sockaddr_storage).cast::<libc::sockaddr>();
    // SAFETY: `ptr` and `len` describe the storage above, which outlives the call.
    let rc = unsafe {
        if peer {
            libc::getpeername(fd.as_raw_fd(), ptr, &mut len)
        } else {
            libc::getsockname(fd.as_raw_fd(), ptr, &mut len)
        }
    };
    if rc == -1 {
        return None;
    }
    let len = (len as usize).min(std::mem::size_of::<libc::sockaddr_storage>());
    // SAFETY: the kernel wrote `len` bytes of the storage, which is at least that long.
    let bytes = unsafe {
        std::slice::from_raw_parts((&addr as *const libc::sockaddr_storage).cast::<u8>(), len)
    };
    Some(bytes.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(pid: i32) -> Option<String> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        Some(
            stat.rsplit(')')
                .next()?
                .split_whitespace()
                .next()?
                .to_string(),
        )
    }

    /// A stop comes with its status; an end is only looked at (the task stays a zombie whose
    /// `/proc` entry is readable) until `wait_one` reaps it, also when it is the last task left
    /// (a wait for stops alone then says ECHILD); then nothing is left to wait for.
    #[test]
    #[allow(
        clippy::zombie_processes,
        reason = "the child is reaped by wait_one, the call under test"
    )]
    fn stops_are_taken_and_ends_looked_at_before_the_reap() {
        // Each test runs on a thread of its own: this one's only child is this one.
        let child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .expect("sleep runs");
        let pid = child.id() as i32;
        // SAFETY: kill takes plain integers; `pid` is our unreaped child.
        unsafe { libc::kill(pid, libc::SIGSTOP) };
        let Ok(Some(Waited::Stop(p, status))) = wait_any(false) else {
            panic!("a stop");
        };
        assert_eq!(p, pid);
        assert!(libc::WIFSTOPPED(status) && libc::WSTOPSIG(status) == libc::SIGSTOP);
        // SAFETY: as above.
        unsafe { libc::kill(pid, libc::SIGKILL) };
        assert_eq!(wait_any(false), Ok(Some(Waited::Ended(pid))));
        assert_eq!(wait_any(true), Ok(Some(Waited::Ended(pid))), "not reaped");
        assert_eq!(state(pid).as_deref(), Some("Z"));
        let status = wait_one(pid).expect("reaped");
        assert!(libc::WIFSIGNALED(status) && libc::WTERMSIG(status) == libc::SIGKILL);
        assert_eq!(state(pid), None);
        assert_eq!(wait_any(true), Err(Errno::ECHILD));
    }
}
