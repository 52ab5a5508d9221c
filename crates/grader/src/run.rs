//! Runs a port once under process-tree supervision and records what it printed.
//!
//! The calling process becomes a child subreaper, so every orphan of the port is re-parented to
//! us instead of init. Each run starts in a new session (hence a new process group), and the run's
//! processes are told apart from everything else in this process (other runs in parallel threads,
//! children spawned by other code) by scanning /proc: same session or process group as the run's
//! main process, descendant of a process already known to be the run's, or, for orphans adopted by
//! us, the run's unique marker in their environment ([`RUN_ID_ENV`]). Only pids identified that way
//! are ever signalled or reaped: this module never calls `waitpid(-1)`.
//!
//! A clean run costs no full scan: once the main process is reaped, the tree is gone when none
//! of our own children is the run's and its process group is empty (see `Tree::gone_fast`);
//! only when that is unsure, or something lingers, is every process's stat read.
//!
//! One thread per run: stdout, stderr and a pidfd of the main process are watched with `ppoll`,
//! so lines are time-stamped as they arrive and the main process's exit is seen at once.

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::fs::{self, File};
use std::io::{self, Read};
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::fcntl::{FcntlArg, OFlag, fcntl};
use nix::sys::signal::{Signal, kill, killpg};
use nix::sys::wait::{WaitPidFlag, waitpid};
use nix::unistd::Pid;

use crate::outcome::{Exit, LeftBehind, Line, RunOutcome};

/// The environment variable that carries a run's unique marker to every process of its tree.
pub const RUN_ID_ENV: &str = "GRADER_RUN_ID";

/// How much of stderr's end is kept for messages.
const STDERR_TAIL: usize = 4096;
/// One read from a pipe at most.
const READ_CHUNK: usize = 64 * 1024;
/// A left-behind process's command line is cut to this many bytes.
const CMDLINE_MAX: usize = 256;
/// While processes linger after the output closed, the tree is re-scanned at most this far apart.
const RESCAN_MAX: Duration = Duration::from_millis(50);
/// Killing a tree gives up after this long (a process stuck in the kernel cannot be killed).
const KILL_GIVE_UP: Duration = Duration::from_secs(5);
/// Reads from the pipes after a kill at most (64 KiB each).
const DRAIN_READS: usize = 64;

/// How to run a port once.
#[derive(Debug, Clone)]
pub struct RunConfig {
    pub program: OsString,
    pub args: Vec<OsString>,
    /// Added to the inherited environment.
    pub env: Vec<(OsString, OsString)>,
    /// The whole tree is killed when the run lasts longer than this.
    pub timeout: Duration,
    /// How long processes may outlive the main process before they count as left behind.
    pub grace: Duration,
    /// Bytes of stdout plus stderr kept at most; past it the tree is killed.
    pub output_limit: usize,
}

impl RunConfig {
    /// A run of `program` with `args`: timeout 30 s, grace 500 ms, output limit 1 MiB.
    pub fn new(program: impl Into<OsString>, args: Vec<OsString>) -> Self {
        RunConfig {
            program: program.into(),
            args,
            env: Vec::new(),
            timeout: Duration::from_secs(30),
            grace: Duration::from_millis(500),
            output_limit: 1024 * 1024,
        }
    }
}

/// What kind of failure stopped a run from happening at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunErrorKind {
    /// The program (or its script interpreter) does not exist.
    NotFound,
    /// The program exists but could not be started (not executable, bad format, ...).
    Spawn,
    /// The operating system refused something the runner needs (pipe, poll, prctl, ...).
    Os,
}

/// The run could not be done; the message is one line fit for the user.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct RunError {
    kind: RunErrorKind,
    message: String,
}

impl RunError {
    pub fn kind(&self) -> RunErrorKind {
        self.kind
    }

    fn os(what: &str, err: impl std::fmt::Display) -> Self {
        RunError {
            kind: RunErrorKind::Os,
            message: format!("{what}: {err}"),
        }
    }
}

/// Makes this process the adopter of its descendants' orphans (`PR_SET_CHILD_SUBREAPER`).
///
/// Idempotent; [`run_once`] calls it itself.
pub fn become_subreaper() -> Result<(), RunError> {
    static DONE: AtomicBool = AtomicBool::new(false);
    if DONE.load(Ordering::Acquire) {
        return Ok(());
    }
    let one: libc::c_ulong = 1;
    // SAFETY: PR_SET_CHILD_SUBREAPER takes a plain integer and touches no memory of ours.
    let rc = unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, one, 0, 0, 0) };
    if rc == -1 {
        return Err(RunError::os(
            "cannot become a child subreaper",
            io::Error::last_os_error(),
        ));
    }
    DONE.store(true, Ordering::Release);
    Ok(())
}

/// Runs `cfg.program` once, to its end or until it is killed, and says what happened.
///
/// `run` (numbered from 1) is copied into the outcome. Errors only when the program could not be
/// started or the OS failed us; whatever the program does is an outcome, never an error. No
/// process of the run is left alive or unreaped when this returns, error or not.
pub fn run_once(cfg: &RunConfig, run: usize) -> Result<RunOutcome, RunError> {
    become_subreaper()?;
    static RUN_COUNTER: AtomicU64 = AtomicU64::new(0);
    let our_pid = std::process::id() as i32;
    let marker = format!(
        "{}.{}",
        our_pid,
        RUN_COUNTER.fetch_add(1, Ordering::Relaxed)
    );

    let mut cmd = Command::new(&cfg.program);
    cmd.args(&cfg.args)
        .envs(cfg.env.iter().map(|(k, v)| (k, v)))
        .env(RUN_ID_ENV, &marker)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: the closure runs between fork and exec and only calls setsid, which is
    // async-signal-safe and allocates nothing.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() == -1 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }

    let start = Instant::now();
    let mut child = cmd.spawn().map_err(|e| spawn_error(&cfg.program, e))?;
    let main_pid = child.id() as i32;
    let tree = Tree {
        our_pid,
        main_pid,
        marker: format!("{RUN_ID_ENV}={marker}").into_bytes(),
        known: HashMap::new(),
    };
    let stdout = child.stdout.take().map(OwnedFd::from);
    let stderr = child.stderr.take().map(OwnedFd::from);
    let mut sup = Supervisor {
        child,
        tree,
        status: None,
        finished: false,
    };
    // From here on the guard kills and reaps the tree on every way out but a complete run.
    let outcome = sup.supervise(cfg, run, start, stdout, stderr);
    sup.finished = outcome.is_ok();
    outcome
}

fn spawn_error(program: &OsStr, err: io::Error) -> RunError {
    let shown = program.to_string_lossy();
    let (kind, message) = match err.kind() {
        io::ErrorKind::NotFound if Path::new(program).is_file() => (
            RunErrorKind::NotFound,
            format!("command not found: {shown} (its interpreter does not exist)"),
        ),
        io::ErrorKind::NotFound => (
            RunErrorKind::NotFound,
            format!("command not found: {shown}"),
        ),
        io::ErrorKind::PermissionDenied => (
            RunErrorKind::Spawn,
            format!("command not executable: {shown} (permission denied)"),
        ),
        _ => (
            RunErrorKind::Spawn,
            format!("cannot start command {shown}: {err}"),
        ),
    };
    RunError { kind, message }
}

/// Why the runner killed the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KillReason {
    Timeout,
    Grace,
    OutputLimit,
}

struct Supervisor {
    child: Child,
    tree: Tree,
    /// The main process's status once reaped.
    status: Option<ExitStatus>,
    finished: bool,
}

impl Drop for Supervisor {
    fn drop(&mut self) {
        if !self.finished {
            // An early return or a panic: nothing of the run may survive it.
            self.kill_tree();
        }
    }
}

impl Supervisor {
    fn supervise(
        &mut self,
        cfg: &RunConfig,
        run: usize,
        start: Instant,
        stdout: Option<OwnedFd>,
        stderr: Option<OwnedFd>,
    ) -> Result<RunOutcome, RunError> {
        let main_pidfd = match pidfd_open(self.tree.main_pid) {
            Ok(fd) => Some(fd),
            Err(Errno::ENOSYS) => None,
            Err(e) => return Err(RunError::os("cannot watch the main process", e)),
        };
        let mut out = stdout
            .map(Stream::new)
            .transpose()
            .map_err(|e| RunError::os("cannot read stdout", e))?;
        let mut err = stderr
            .map(Stream::new)
            .transpose()
            .map_err(|e| RunError::os("cannot read stderr", e))?;
        let mut cap = Capture::new(cfg.output_limit);
        let timeout_at = start + cfg.timeout;
        let mut main_exit_at: Option<Instant> = None;
        let mut rescan: Option<Duration> = None;
        let mut buf = vec![0u8; READ_CHUNK];

        let reason = loop {
            if cap.limit_hit {
                break Some(KillReason::OutputLimit);
            }
            if self.status.is_some() && out.is_none() && err.is_none() {
                if self.tree.gone_fast() || self.tree.scan_and_reap().is_empty() {
                    break None;
                }
                // Something lingers without our pipes: look again soon, backing off.
                rescan = Some(match rescan {
                    None => Duration::from_millis(1),
                    Some(d) => (d * 2).min(RESCAN_MAX),
                });
            }
            let now = Instant::now();
            let deadline = match main_exit_at {
                Some(t) => timeout_at.min(t + cfg.grace),
                None => timeout_at,
            };
            if now >= deadline {
                break Some(if now >= timeout_at {
                    KillReason::Timeout
                } else {
                    KillReason::Grace
                });
            }
            let mut wait = deadline - now;
            if let Some(r) = rescan {
                wait = wait.min(r);
            }
            let watch_main = self.status.is_none();
            if watch_main && main_pidfd.is_none() {
                // No pidfd (old kernel): notice the exit by asking often.
                wait = wait.min(Duration::from_millis(2));
            }

            let mut fds: Vec<libc::pollfd> = Vec::with_capacity(3);
            let mut slots = [usize::MAX; 3];
            for (i, fd) in [
                out.as_ref().map(|s| s.fd()),
                err.as_ref().map(|s| s.fd()),
                main_pidfd
                    .as_ref()
                    .filter(|_| watch_main)
                    .map(|f| f.as_raw_fd()),
            ]
            .into_iter()
            .enumerate()
            {
                if let Some(fd) = fd {
                    slots[i] = fds.len();
                    fds.push(libc::pollfd {
                        fd,
                        events: libc::POLLIN,
                        revents: 0,
                    });
                }
            }
            ppoll(&mut fds, wait).map_err(|e| RunError::os("cannot wait for the port", e))?;
            let ready = |i: usize| slots[i] != usize::MAX && fds[slots[i]].revents != 0;

            if ready(0) {
                pump(&mut out, &mut buf, |data| cap.stdout(data, start.elapsed()));
            }
            if ready(1) {
                pump(&mut err, &mut buf, |data| cap.stderr(data));
            }
            if watch_main && (main_pidfd.is_none() || ready(2)) {
                let st = self
                    .child
                    .try_wait()
                    .map_err(|e| RunError::os("cannot wait for the main process", e))?;
                if let Some(st) = st {
                    self.status = Some(st);
                    main_exit_at = Some(Instant::now());
                }
            }
        };

        let mut left_behind = Vec::new();
        let mut killed_main = false;
        if reason.is_some() {
            if self.status.is_some() {
                left_behind = self
                    .tree
                    .scan_and_reap()
                    .into_iter()
                    .filter(|p| p.state != b'Z')
                    .map(|p| LeftBehind {
                        pid: p.pid,
                        cmdline: cmdline(p.pid),
                    })
                    .collect();
            }
            let main_ran = self.status.is_none();
            self.kill_tree();
            killed_main = main_ran
                && self
                    .status
                    .is_some_and(|s| s.signal() == Some(libc::SIGKILL));
            // What the dead wrote before they died is still in the pipes; a writer we could not
            // identify may still be writing, so the drain is bounded.
            for _ in 0..DRAIN_READS {
                if out.is_none() && err.is_none() {
                    break;
                }
                let before = cap.total;
                pump(&mut out, &mut buf, |data| cap.stdout(data, start.elapsed()));
                pump(&mut err, &mut buf, |data| cap.stderr(data));
                if cap.total == before {
                    break;
                }
            }
        }
        let elapsed = start.elapsed();
        let output_limit_hit = cap.limit_hit;
        let (lines, stderr_tail) = cap.finish(elapsed);
        let exit = match self.status {
            Some(st) if !killed_main => Some(to_exit(st)),
            _ => None,
        };
        Ok(RunOutcome {
            run,
            main_pid: self.tree.main_pid,
            adopter_pid: self.tree.our_pid,
            lines,
            stderr_tail,
            exit,
            timed_out: reason == Some(KillReason::Timeout),
            output_limit_hit,
            left_behind,
            elapsed,
        })
    }

    /// SIGKILLs every process of the run and reaps those that are ours to reap, main included.
    fn kill_tree(&mut self) {
        let give_up = Instant::now() + KILL_GIVE_UP;
        let mut pause = Duration::from_millis(1);
        loop {
            let members = self.tree.scan();
            // The pgid cannot have been recycled while the main process is unreaped or a member
            // still holds it, so the group kill only ever hits the run's own processes.
            let group_held =
                self.status.is_none() || members.iter().any(|p| p.pgrp == self.tree.main_pid);
            if group_held {
                // One atomic kill for everything that stayed in the group, fork loops included.
                let _ = killpg(Pid::from_raw(self.tree.main_pid), Signal::SIGKILL);
            }
            for p in members.iter().filter(|p| p.state != b'Z') {
                kill_verified(p);
            }
            self.tree.reap(&members);
            if self.status.is_none()
                && let Ok(Some(st)) = self.child.try_wait()
            {
                self.status = Some(st);
            }
            let others_left = members.iter().any(|p| {
                p.pid != self.tree.main_pid && !(p.state == b'Z' && p.ppid == self.tree.our_pid)
            });
            if self.status.is_some() && !others_left {
                return;
            }
            if Instant::now() >= give_up {
                return;
            }
            // The kernel finishes the kills asynchronously; dead children reach us as zombies.
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(20));
        }
    }
}

/// Reads what is there now into `sink`; drops the stream at its end or on a read error.
fn pump(stream: &mut Option<Stream>, buf: &mut [u8], mut sink: impl FnMut(&[u8])) {
    if let Some(s) = stream.as_mut() {
        match s.read(buf) {
            Ok(Some(n)) => sink(&buf[..n]),
            Ok(None) if s.eof => *stream = None,
            Ok(None) => {}
            Err(_) => *stream = None,
        }
    }
}

fn to_exit(st: ExitStatus) -> Exit {
    match (st.code(), st.signal()) {
        (Some(c), _) => Exit::Code(c),
        (None, Some(s)) => Exit::Signal(s),
        // Neither code nor signal only happens for stopped processes, which a reaped one is not.
        (None, None) => Exit::Code(-1),
    }
}

/// The read end of one output pipe, non-blocking.
struct Stream {
    file: File,
    eof: bool,
}

impl Stream {
    fn new(fd: OwnedFd) -> io::Result<Stream> {
        let flags = fcntl(fd.as_fd(), FcntlArg::F_GETFL)?;
        let flags = OFlag::from_bits_retain(flags) | OFlag::O_NONBLOCK;
        fcntl(fd.as_fd(), FcntlArg::F_SETFL(flags))?;
        Ok(Stream {
            file: File::from(fd),
            eof: false,
        })
    }

    fn fd(&self) -> RawFd {
        self.file.as_raw_fd()
    }

    /// Some(n) bytes read, None when nothing is there now; marks EOF (and returns None) at the end.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<Option<usize>> {
        if self.eof {
            return Ok(None);
        }
        loop {
            match self.file.read(buf) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(None);
                }
                Ok(n) => return Ok(Some(n)),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(None),
                Err(e) => return Err(e),
            }
        }
    }
}

/// Stdout lines and stderr's tail, within the output limit.
struct Capture {
    lines: Vec<Line>,
    partial: Vec<u8>,
    stderr: Vec<u8>,
    total: usize,
    limit: usize,
    limit_hit: bool,
}

impl Capture {
    fn new(limit: usize) -> Self {
        Capture {
            lines: Vec::new(),
            partial: Vec::new(),
            stderr: Vec::new(),
            total: 0,
            limit,
            limit_hit: false,
        }
    }

    /// Counts `n` more bytes against the limit; returns how many of them may be kept.
    fn admit(&mut self, n: usize) -> usize {
        let room = self.limit.saturating_sub(self.total);
        self.total = self.total.saturating_add(n);
        if n > room {
            self.limit_hit = true;
        }
        n.min(room)
    }

    fn stdout(&mut self, data: &[u8], at: Duration) {
        if self.limit_hit {
            return;
        }
        let keep = self.admit(data.len());
        let mut rest = &data[..keep];
        while let Some(i) = rest.iter().position(|&b| b == b'\n') {
            self.partial.extend_from_slice(&rest[..i]);
            let bytes = std::mem::take(&mut self.partial);
            self.lines.push(to_line(bytes, at));
            rest = &rest[i + 1..];
        }
        self.partial.extend_from_slice(rest);
    }

    fn stderr(&mut self, data: &[u8]) {
        if self.limit_hit {
            return;
        }
        let keep = self.admit(data.len());
        self.stderr.extend_from_slice(&data[..keep]);
        if self.stderr.len() > 2 * STDERR_TAIL {
            let cut = self.stderr.len() - STDERR_TAIL;
            self.stderr.drain(..cut);
        }
    }

    fn finish(mut self, at: Duration) -> (Vec<Line>, String) {
        // A last line without its newline is still a line, unless the limit cut it short.
        if !self.partial.is_empty() && !self.limit_hit {
            let bytes = std::mem::take(&mut self.partial);
            self.lines.push(to_line(bytes, at));
        }
        let tail_start = self.stderr.len().saturating_sub(STDERR_TAIL);
        let tail = String::from_utf8_lossy(&self.stderr[tail_start..]).into_owned();
        (self.lines, tail)
    }
}

fn to_line(bytes: Vec<u8>, at: Duration) -> Line {
    match String::from_utf8(bytes) {
        Ok(text) => Line {
            text,
            utf8: true,
            at,
        },
        Err(e) => Line {
            text: String::from_utf8_lossy(e.as_bytes()).into_owned(),
            utf8: false,
            at,
        },
    }
}

/// One process as /proc/PID/stat shows it.
#[derive(Debug, Clone, Copy)]
struct Proc {
    pid: i32,
    ppid: i32,
    pgrp: i32,
    session: i32,
    state: u8,
    /// Clock ticks since boot: with the pid, names one process even across pid reuse.
    starttime: u64,
}

fn read_stat(pid: i32) -> Option<Proc> {
    // One open and one read into the stack: a stat line is a few hundred bytes, and a scan
    // reads one per process on the machine.
    let mut file = File::open(format!("/proc/{pid}/stat")).ok()?;
    let mut buf = [0u8; 1024];
    let n = file.read(&mut buf).ok()?;
    if n < buf.len() {
        return parse_stat(pid, &buf[..n]);
    }
    let mut text = buf.to_vec();
    file.read_to_end(&mut text).ok()?;
    parse_stat(pid, &text)
}

/// Our direct children, from /proc/self/task/*/children; None when the kernel lacks the file.
///
/// The kernel builds each list entry by entry, so a child can be missed while others are reaped
/// or threads exit; callers read twice and trust only two equal answers.
fn our_children() -> Option<Vec<i32>> {
    let mut pids = Vec::new();
    for task in fs::read_dir("/proc/self/task").ok()? {
        let path = task.ok()?.path().join("children");
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            // A thread that exited meanwhile has no list any more; its children moved on.
            Err(e)
                if e.kind() == io::ErrorKind::NotFound
                    && path.parent().is_some_and(|d| !d.exists()) =>
            {
                continue;
            }
            Err(_) => return None,
        };
        pids.extend(
            text.split_ascii_whitespace()
                .filter_map(|p| p.parse::<i32>().ok()),
        );
    }
    pids.sort_unstable();
    Some(pids)
}

fn parse_stat(pid: i32, text: &[u8]) -> Option<Proc> {
    // The command name is in parentheses and may itself contain ") ": cut after the last one.
    let close = text.iter().rposition(|&b| b == b')')?;
    let rest = std::str::from_utf8(text.get(close + 2..)?).ok()?;
    let fields: Vec<&str> = rest.split_ascii_whitespace().collect();
    // Fields from 3 (state) on; starttime is field 22.
    Some(Proc {
        pid,
        state: *fields.first()?.as_bytes().first()?,
        ppid: fields.get(1)?.parse().ok()?,
        pgrp: fields.get(2)?.parse().ok()?,
        session: fields.get(3)?.parse().ok()?,
        starttime: fields.get(19)?.parse().ok()?,
    })
}

fn all_procs() -> Vec<Proc> {
    let Ok(dir) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter_map(read_stat)
        .collect()
}

/// /proc/PID/cmdline, arguments joined by spaces; `[name]` when it is empty.
fn cmdline(pid: i32) -> String {
    let raw = fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let args: Vec<String> = raw
        .split(|&b| b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    let mut line = if args.is_empty() {
        let comm = fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        format!("[{}]", comm.trim_end())
    } else {
        args.join(" ")
    };
    if line.len() > CMDLINE_MAX {
        let mut cut = CMDLINE_MAX;
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        line.truncate(cut);
        line.push_str("...");
    }
    line
}

/// Tells the run's processes apart from every other process on the machine.
struct Tree {
    our_pid: i32,
    main_pid: i32,
    /// `GRADER_RUN_ID=<marker>`, as it appears in /proc/PID/environ.
    marker: Vec<u8>,
    /// Every process ever identified as the run's: pid -> starttime.
    known: HashMap<i32, u64>,
}

impl Tree {
    /// The run's processes alive or zombie right now (the main process too until it is reaped).
    fn scan(&mut self) -> Vec<Proc> {
        let procs = all_procs();
        let mut member = vec![false; procs.len()];
        for (i, p) in procs.iter().enumerate() {
            member[i] = p.pid != self.our_pid
                && (p.session == self.main_pid
                    || p.pgrp == self.main_pid
                    || self.known.get(&p.pid) == Some(&p.starttime));
        }
        self.close_over_children(&procs, &mut member);
        // Orphans adopted by us that left the session: only the marker in their environment
        // (inherited across fork and exec unless cleared) says whose they are.
        let mut added = false;
        for (i, p) in procs.iter().enumerate() {
            if !member[i] && p.ppid == self.our_pid && p.state != b'Z' && self.has_marker(p.pid) {
                member[i] = true;
                added = true;
            }
        }
        if added {
            self.close_over_children(&procs, &mut member);
        }
        let members: Vec<Proc> = procs
            .into_iter()
            .zip(member)
            .filter_map(|(p, m)| m.then_some(p))
            .collect();
        for p in &members {
            self.known.insert(p.pid, p.starttime);
        }
        members
    }

    /// Marks every descendant of a member as a member.
    fn close_over_children(&self, procs: &[Proc], member: &mut [bool]) {
        loop {
            let pids: std::collections::HashSet<i32> = procs
                .iter()
                .zip(member.iter())
                .filter_map(|(p, &m)| m.then_some(p.pid))
                .collect();
            let mut changed = false;
            for (i, p) in procs.iter().enumerate() {
                if !member[i] && p.pid != self.our_pid && pids.contains(&p.ppid) {
                    member[i] = true;
                    changed = true;
                }
            }
            if !changed {
                return;
            }
        }
    }

    fn has_marker(&self, pid: i32) -> bool {
        fs::read(format!("/proc/{pid}/environ"))
            .map(|env| env.split(|&b| b == 0).any(|v| v == self.marker.as_slice()))
            .unwrap_or(false)
    }

    /// Reaps the members that are our zombie children, except the main process (the caller
    /// reaps that one through its `Child` to keep its status).
    fn reap(&self, members: &[Proc]) {
        for p in members {
            if p.state == b'Z' && p.ppid == self.our_pid && p.pid != self.main_pid {
                // A zombie child of ours cannot be recycled before we reap it, so this pid is it.
                let _ = waitpid(Pid::from_raw(p.pid), Some(WaitPidFlag::WNOHANG));
            }
        }
    }

    /// True when the run's tree is surely gone, after reaping our zombie children of the run;
    /// false when unsure (then a full scan decides). Only valid once the main process is reaped.
    ///
    /// Cheap: a full scan reads every process's stat (about 30 us each: 15 ms on a desktop with
    /// 500 processes), this reads only our own children's. It is sound because once the main
    /// process is gone, the topmost survivors of its tree are all our children: each one's
    /// parent either is a survivor itself or died and handed it to us, the subreaper.
    fn gone_fast(&mut self) -> bool {
        let Some(children) = our_children() else {
            return false;
        };
        if our_children().as_ref() != Some(&children) {
            return false;
        }
        for pid in children {
            let Some(p) = read_stat(pid) else {
                continue;
            };
            let ours = p.session == self.main_pid
                || p.pgrp == self.main_pid
                || self.known.get(&p.pid) == Some(&p.starttime)
                || (p.ppid == self.our_pid && self.has_marker(p.pid));
            if !ours {
                continue;
            }
            if p.state != b'Z' {
                return false;
            }
            self.known.insert(p.pid, p.starttime);
            self.reap(&[p]);
        }
        // A safety net for the children lists: nothing may be left in the run's process group.
        // The group id cannot name anyone else while a member could still hold it.
        kill_group_probe(self.main_pid)
    }

    /// Scans, reaps what is ours to reap, and returns the members still there.
    fn scan_and_reap(&mut self) -> Vec<Proc> {
        let members = self.scan();
        self.reap(&members);
        members
            .into_iter()
            .filter(|p| !(p.state == b'Z' && p.ppid == self.our_pid && p.pid != self.main_pid))
            .collect()
    }
}

/// True when no process is in process group `pgid` (signal 0 only checks).
fn kill_group_probe(pgid: i32) -> bool {
    killpg(Pid::from_raw(pgid), None) == Err(Errno::ESRCH)
}

/// SIGKILLs `p` only if the pid still names the same process (pids are recycled).
fn kill_verified(p: &Proc) {
    match pidfd_open(p.pid) {
        Ok(fd) => {
            // The pidfd pins the process: if its starttime still matches, the signal reaches it.
            if read_stat(p.pid).is_some_and(|now| now.starttime == p.starttime) {
                let _ = pidfd_send_signal(&fd, libc::SIGKILL);
            }
        }
        Err(Errno::ENOSYS) => {
            if read_stat(p.pid).is_some_and(|now| now.starttime == p.starttime) {
                let _ = kill(Pid::from_raw(p.pid), Signal::SIGKILL);
            }
        }
        Err(_) => {}
    }
}

fn pidfd_open(pid: i32) -> Result<OwnedFd, Errno> {
    // SAFETY: pidfd_open takes two integers and returns a new fd (close-on-exec) or -1.
    let rc = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    if rc < 0 {
        return Err(Errno::last());
    }
    // SAFETY: the kernel just returned this fd to us and nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(rc as RawFd) })
}

fn pidfd_send_signal(fd: &OwnedFd, sig: libc::c_int) -> Result<(), Errno> {
    // SAFETY: a valid pidfd, a signal number, a null siginfo (allowed) and flags 0.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_pidfd_send_signal,
            fd.as_raw_fd(),
            sig,
            std::ptr::null::<libc::siginfo_t>(),
            0,
        )
    };
    if rc < 0 {
        return Err(Errno::last());
    }
    Ok(())
}

/// Waits for any of `fds` to be ready or `wait` to pass; EINTR is a normal early return.
fn ppoll(fds: &mut [libc::pollfd], wait: Duration) -> Result<(), Errno> {
    let ts = libc::timespec {
        tv_sec: wait.as_secs().min(i64::MAX as u64) as libc::time_t,
        tv_nsec: wait.subsec_nanos() as libc::c_long,
    };
    // SAFETY: `fds` is a valid slice of pollfd for its length, `ts` lives across the call and the
    // signal mask pointer may be null.
    let rc = unsafe {
        libc::ppoll(
            fds.as_mut_ptr(),
            fds.len() as libc::nfds_t,
            &ts,
            std::ptr::null(),
        )
    };
    if rc < 0 {
        let e = Errno::last();
        if e != Errno::EINTR {
            return Err(e);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_with_a_paren_in_the_name() {
        let parsed = parse_stat(
            42,
            b"42 (a) b) S 7 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 12345 0",
        );
        let Some(p) = parsed else {
            panic!("a stat line with ') ' in the name did not parse")
        };
        assert_eq!(
            (p.state, p.ppid, p.pgrp, p.session, p.starttime),
            (b'S', 7, 42, 42, 12345)
        );
    }

    #[test]
    fn lines_split_and_limit() {
        let mut c = Capture::new(10);
        c.stdout(b"ab\ncd", Duration::from_millis(1));
        c.stdout(b"e\nfghijk", Duration::from_millis(2));
        assert!(c.limit_hit);
        let (lines, _) = c.finish(Duration::from_millis(3));
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["ab", "cde"]);
        assert_eq!(lines[1].at, Duration::from_millis(2));
    }

    #[test]
    fn last_line_without_newline_and_bad_utf8() {
        let mut c = Capture::new(1000);
        c.stdout(b"ok\nbad \xff", Duration::ZERO);
        let (lines, _) = c.finish(Duration::from_millis(5));
        assert_eq!(lines.len(), 2);
        assert!(lines[0].utf8);
        assert!(!lines[1].utf8);
        assert_eq!(lines[1].text, "bad \u{fffd}");
    }

    #[test]
    fn stderr_keeps_its_tail() {
        let mut c = Capture::new(1 << 20);
        for i in 0..10_000 {
            c.stderr(format!("{i}\n").as_bytes());
        }
        let (_, tail) = c.finish(Duration::ZERO);
        assert!(tail.len() <= STDERR_TAIL);
        assert!(tail.ends_with("9999\n"));
    }
}
