//! What the trace tells of a run: who wrote each line, every task of the run, and whether the
//! run was traced at all.

use std::time::Duration;

use serde::Serialize;

/// What a line's writer is to the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The main thread of the run's main process.
    Main,
    /// The main thread of another process (a child made by fork or vfork, or a process it
    /// exec'd).
    Process,
    /// A thread other than its process's main thread (of the main process or another).
    Thread,
}

impl Role {
    /// Its name in specs and reports: `main`, `process`, `thread`.
    pub fn name(self) -> &'static str {
        match self {
            Role::Main => "main",
            Role::Process => "process",
            Role::Thread => "thread",
        }
    }

    /// The role named `s`, if any.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "main" => Some(Role::Main),
            "process" => Some(Role::Process),
            "thread" => Some(Role::Thread),
            _ => None,
        }
    }
}

/// Who wrote a line: known when the run was traced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Writer {
    /// The writing process's pid (its thread group id).
    pub pid: i32,
    /// The writing thread's id (equal to `pid` for a process's main thread).
    pub tid: i32,
    /// The process that created the writing process (`None` for the run's main process).
    pub ppid: Option<i32>,
    /// Main process, another process, or a thread.
    pub role: Role,
    /// The line came in one write with other whole lines: a flushed buffer. The process is
    /// right; which of its threads printed the line is not known (threads share the buffer).
    pub burst: bool,
}

impl Writer {
    /// In words, for messages: "pid 12 (the main process)", "pid 15 (a process made by pid 12)",
    /// "tid 17 (a thread of pid 12, the main process)".
    pub fn describe(&self, main_pid: i32) -> String {
        use crate::words::say::say;
        let whose = |pid: i32| {
            if pid == main_pid {
                say!("writer-whose-main", pid = pid.to_string())
            } else {
                say!("writer-whose", pid = pid.to_string())
            }
        };
        match self.role {
            Role::Main => say!("writer-main", pid = self.pid.to_string()),
            Role::Process => match self.ppid {
                Some(p) => say!(
                    "writer-process",
                    pid = self.pid.to_string(),
                    parent = whose(p)
                ),
                None => say!("writer-process-unknown", pid = self.pid.to_string()),
            },
            Role::Thread => say!(
                "writer-thread",
                tid = self.tid.to_string(),
                process = whose(self.pid)
            ),
        }
    }
}

/// One task (process or thread) of a traced run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunTask {
    /// Its process's pid.
    pub pid: i32,
    /// Its thread id.
    pub tid: i32,
    /// The process that created its process (`None` for the main process).
    pub ppid: Option<i32>,
    /// Main, process or thread.
    pub role: Role,
    /// When it was created, from the start of the run.
    pub created_at: Duration,
    /// When it ended, if it did.
    pub ended_at: Option<Duration>,
    /// How it ended, as Python's `returncode` says it: its exit status, or minus the signal
    /// that killed it (`None`: still running, or a thread ended by another's exec).
    pub exit_code: Option<i32>,
    /// The CPU time it used (user + system, as the kernel counts it in 10 ms ticks), read at its
    /// exit; `None` when the trace did not see it exit.
    pub cpu_time: Option<Duration>,
    /// Each program it exec'd: its path, then its whole command line (`argv[0]` included),
    /// space-separated.
    pub execs: Vec<String>,
    /// The path of each program it exec'd (the executable, `/proc/PID/exe` right after the
    /// exec; for a script, its interpreter): what `exec` patterns match, as `argv[0]` is the
    /// caller's to choose.
    pub exec_paths: Vec<String>,
    /// Those of `exec_paths` that are the system's programs: the file exec'd (its device and
    /// inode, read at the exec) is the file of that name in a folder of the run's PATH. A copy of
    /// `/bin/echo` named `uname` in the run's scratch folder is not. What `exec` patterns match.
    pub system_execs: Vec<String>,
    /// When it last exec'd, if it did.
    pub last_exec_at: Option<Duration>,
}

impl RunTask {
    /// Whether it exec'd a program of the system whose path `re` matches.
    pub fn ran_system(&self, re: &regex::Regex) -> bool {
        self.system_execs.iter().any(|p| re.is_match(p))
    }

    /// The programs it exec'd whose path `re` matches but which are not the system's: another
    /// file under the name (a copy, a program of the port's own).
    pub fn impostors<'t>(&'t self, re: &'t regex::Regex) -> impl Iterator<Item = &'t String> {
        self.exec_paths
            .iter()
            .filter(move |p| re.is_match(p) && !self.system_execs.contains(p))
    }
}

/// Whether a run was traced, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase", tag = "tracing", content = "reason")]
pub enum Tracing {
    /// Traced: every line's writer is known.
    On,
    /// Not traced: `--no-trace`.
    #[default]
    Off,
    /// Not traced: the system refused (the reason).
    Refused(String),
    /// Traced, but the trace does not account for every byte of stdout (the reason): writers
    /// are unknown.
    Incomplete(String),
}

impl Tracing {
    /// Every line's writer is known.
    pub fn is_on(&self) -> bool {
        *self == Tracing::On
    }
}
