//! One step of a build (`cargo fetch`, `cargo build`, `rustc`) run to its end or its deadline,
//! and nothing of it left running after.
//!
//! The step gets a session of its own (setsid) and a marker in its environment. When its main
//! process ends, or is killed at the deadline, every process still in its session, and every
//! orphan of ours carrying its marker (a build script that left its session), is killed, and
//! those that are our children are reaped. Only these pids are ever waited for: several
//! steps and gradings may run at once in this process, each reaping only its own.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitStatus};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::signal::{Signal, killpg};
use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid, waitpid};
use nix::unistd::Pid;
use procfs::process::Process;

/// The environment variable that marks every process of one build step.
pub(crate) const BUILD_ID_ENV: &str = "GRADE_CLASS_BUILD_ID";
/// Killing what a step left gives up after this long (a process stuck in the kernel).
const SWEEP_GIVE_UP: Duration = Duration::from_secs(5);

/// How a step ended.
#[derive(Debug)]
pub(crate) struct StepEnd {
    /// The main process's status; `None` when it was killed at the deadline.
    pub(crate) status: Option<ExitStatus>,
    /// How many other processes of the step were still running when the main one ended or
    /// was killed (all killed since).
    pub(crate) left_running: usize,
}

/// Readies `cmd` to be a step: its own session (a `pre_exec` hook, to run before any other
/// hook: the fence's) and a marker in its environment. Returns the marker, for [`run_step`].
pub(crate) fn prepare_step(cmd: &mut Command) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let marker = format!(
        "{}.{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    cmd.env(BUILD_ID_ENV, &marker);
    // SAFETY: the closure runs between fork and exec and only calls setsid and marks the
    // descriptors above 2 close-on-exec (raw syscalls), async-signal-safe, allocating nothing.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() == -1 {
                return Err(io::Error::last_os_error());
            }
            // What our caller or we had open (a shell's `exec 7>>FILE`) never reaches it.
            fence::inherit_only_stdio()
        });
    }
    marker
}

/// Runs `cmd` (readied by [`prepare_step`] with `marker`, its stdio set) until it ends or
/// `deadline` passes, then kills whatever of it is left; `spawned` is called once it has
/// started. Errors only when it cannot be started or waited for.
pub(crate) fn run_step(
    cmd: &mut Command,
    marker: &str,
    deadline: Instant,
    spawned: &mut dyn FnMut(),
) -> io::Result<StepEnd> {
    let mut child = cmd.spawn()?;
    spawned();
    let pid = child.id() as i32;
    let pidfd = pidfd_open(pid).ok();
    // The main process stays unreaped until the sweep is over: its pid, which is the step's
    // session and group id, then names no one else.
    let exited = wait_exit(pid, pidfd.as_ref(), deadline);
    let ended = matches!(exited, Ok(true));
    if !ended {
        let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
    }
    let left_running = sweep(pid, marker);
    if !ended && !wait_exit(pid, pidfd.as_ref(), Instant::now() + SWEEP_GIVE_UP).unwrap_or(false) {
        // Killed and still there: stuck in the kernel. Waiting would stall the class.
        exited?;
        return Ok(StepEnd {
            status: None,
            left_running,
        });
    }
    let status = child.wait()?;
    exited?;
    Ok(StepEnd {
        status: ended.then_some(status),
        left_running,
    })
}

/// Waits until process `pid`, our child, has ended (left unreaped) or `deadline` passed:
/// true when it ended.
fn wait_exit(pid: i32, pidfd: Option<&OwnedFd>, deadline: Instant) -> io::Result<bool> {
    let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOHANG | WaitPidFlag::WNOWAIT;
    loop {
        match waitid(Id::Pid(Pid::from_raw(pid)), flags) {
            Ok(WaitStatus::StillAlive) => {}
            Ok(_) => return Ok(true),
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e.into()),
        }
        let now = Instant::now();
        if now >= deadline {
            return Ok(false);
        }
        let wait = deadline - now;
        match pidfd {
            Some(fd) => {
                let mut fds = [libc::pollfd {
                    fd: fd.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                }];
                let ms = wait.as_millis().clamp(1, i32::MAX as u128) as libc::c_int;
                // SAFETY: one valid pollfd for the length given; the pidfd outlives the call.
                let rc = unsafe { libc::poll(fds.as_mut_ptr(), 1, ms) };
                if rc < 0 && Errno::last() != Errno::EINTR {
                    return Err(io::Error::last_os_error());
                }
            }
            // No pidfd (an old kernel): notice the end by asking often.
            None => std::thread::sleep(wait.min(Duration::from_millis(20))),
        }
    }
}

/// `pidfd_open(2)`: a descriptor naming process `pid` until closed (close-on-exec).
fn pidfd_open(pid: i32) -> Result<OwnedFd, Errno> {
    // SAFETY: pidfd_open takes two integers and returns a new fd or -1.
    let rc = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    if rc < 0 {
        return Err(Errno::last());
    }
    // SAFETY: the kernel just returned this fd to us and nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(rc as RawFd) })
}

/// SIGKILLs process `pid` if it still has `starttime` (pids are recycled).
fn kill_verified(pid: i32, starttime: u64) {
    let same = || {
        Process::new(pid)
            .and_then(|p| p.stat())
            .is_ok_and(|s| s.starttime == starttime)
    };
    match pidfd_open(pid) {
        Ok(fd) => {
            // The pidfd pins the process: if its start time still matches, the signal hits it.
            if same() {
                // SAFETY: a valid pidfd, a signal number, a null siginfo (allowed), flags 0.
                unsafe {
                    libc::syscall(
                        libc::SYS_pidfd_send_signal,
                        fd.as_raw_fd(),
                        libc::SIGKILL,
                        std::ptr::null::<libc::siginfo_t>(),
                        0,
                    );
                }
            }
        }
        Err(Errno::ENOSYS) if same() => {
            let _ = nix::sys::signal::kill(Pid::from_raw(pid), Signal::SIGKILL);
        }
        Err(_) => {}
    }
}

/// Kills every process left of the step whose session is `sid` or which carries `marker`,
/// and reaps those that are our children, all but the main process `sid` itself (killed if
/// alive, never reaped: while it is unreaped no other process can have `sid` as its session).
/// Returns how many others were found alive.
fn sweep(sid: i32, marker: &str) -> usize {
    let me = std::process::id() as i32;
    let give_up = Instant::now() + SWEEP_GIVE_UP;
    let mut seen = HashSet::new();
    let mut pause = Duration::from_millis(1);
    loop {
        let Ok(all) = procfs::process::all_processes() else {
            return seen.len();
        };
        let mut any = false;
        for stat in all.filter_map(|p| p.ok()?.stat().ok()) {
            if stat.pid == me {
                continue;
            }
            if stat.pid == sid {
                // The main process is reaped by its `Child`, to keep its status. Until it is
                // dead its children have not come back to us yet: the sweep goes on.
                if stat.state != 'Z' {
                    any = true;
                    kill_verified(stat.pid, stat.starttime);
                }
                continue;
            }
            let ours = stat.session == sid || (stat.ppid == me && has_marker(stat.pid, marker));
            let our_zombie = stat.state == 'Z' && stat.ppid == me;
            if !(ours || (our_zombie && seen.contains(&stat.pid))) {
                continue;
            }
            any = true;
            if our_zombie {
                // A zombie child of ours cannot be recycled before we reap it: this pid is it.
                let _ = waitpid(Pid::from_raw(stat.pid), Some(WaitPidFlag::WNOHANG));
            } else if stat.state != 'Z' {
                seen.insert(stat.pid);
                kill_verified(stat.pid, stat.starttime);
            }
        }
        if !any || Instant::now() >= give_up {
            return seen.len();
        }
        // The kernel finishes kills asynchronously; the dead come back to us as zombies.
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(20));
    }
}

fn has_marker(pid: i32, marker: &str) -> bool {
    Process::new(pid)
        .and_then(|p| p.environ())
        .is_ok_and(|env| {
            env.get(OsStr::new(BUILD_ID_ENV)).map(|v| v.as_os_str()) == Some(OsStr::new(marker))
        })
}

#[cfg(test)]
mod tests {
    use std::process::Stdio;

    use super::*;

    /// Our processes whose command line is exactly `args`.
    fn running(args: &[&str]) -> Vec<i32> {
        procfs::process::all_processes()
            .expect("/proc")
            .filter_map(|p| {
                let p = p.ok()?;
                let stat = p.stat().ok()?;
                (stat.state != 'Z' && p.cmdline().ok()? == args).then_some(stat.pid)
            })
            .collect()
    }

    #[test]
    fn a_step_past_its_deadline_is_killed_with_what_it_started() {
        // Orphans that left the session must come back to us to be found.
        grader::ensure_subreaper().expect("subreaper");
        // A sleeper that leaves the session, then the shell hangs; the durations are this
        // test's own, to find its processes.
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "setsid sleep 3171 & exec sleep 3172"])
            .stdin(Stdio::null());
        let marker = prepare_step(&mut cmd);
        let end = run_step(
            &mut cmd,
            &marker,
            Instant::now() + Duration::from_millis(500),
            &mut || {},
        )
        .expect("run sh");
        assert!(end.status.is_none(), "not killed: {end:?}");
        let left = [running(&["sleep", "3171"]), running(&["sleep", "3172"])].concat();
        for pid in &left {
            let _ = nix::sys::signal::kill(Pid::from_raw(*pid), Signal::SIGKILL);
        }
        assert!(left.is_empty(), "left running: {left:?}");
    }

    #[test]
    fn a_step_that_ends_gives_its_status() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "exit 3"]).stdin(Stdio::null());
        let marker = prepare_step(&mut cmd);
        let end = run_step(
            &mut cmd,
            &marker,
            Instant::now() + Duration::from_secs(60),
            &mut || {},
        )
        .expect("run sh");
        assert_eq!(end.status.and_then(|s| s.code()), Some(3));
        assert_eq!(end.left_running, 0);
    }
}
