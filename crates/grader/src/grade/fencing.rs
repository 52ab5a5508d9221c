//! What the grading asks of the fence (issue 10): its limits and extra readable paths, the one
//! line saying which fences are up, and the notes naming a limit a run hit.

use std::path::PathBuf;

use fence::{Fence, FenceOptions};

use crate::grade::error::GradeError;
use crate::outcome::{Exit, RunOutcome};
use crate::run::RunError;
use crate::words::say::say;

/// The fence of every run of a grading (`--max-procs`, `--max-memory`, `--max-disk`,
/// `--allow-read`); `GradeOptions::fence` is `None` for `--no-fence`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GradeFence {
    /// Processes and threads per run (default 256).
    pub max_procs: u64,
    /// Bytes of data memory per process (default 1 GiB).
    pub max_memory: u64,
    /// Bytes of scratch disk and of any one file (default 256 MiB).
    pub max_disk: u64,
    /// More paths the port may read (a submission's folder, a toolchain).
    pub allow_read: Vec<PathBuf>,
}

impl Default for GradeFence {
    fn default() -> Self {
        let defaults = FenceOptions::default();
        GradeFence {
            max_procs: defaults.max_procs,
            max_memory: defaults.max_memory,
            max_disk: defaults.max_disk,
            allow_read: Vec::new(),
        }
    }
}

impl GradeFence {
    /// The fence options of every run (the command's own folders are added per run).
    pub(crate) fn options(&self) -> Result<FenceOptions, GradeError> {
        let mut read_only = Vec::new();
        for p in &self.allow_read {
            let p = p
                .canonicalize()
                .map_err(|e| GradeError::Option(format!("--allow-read {}: {e}", p.display())))?;
            read_only.push(p);
        }
        Ok(FenceOptions {
            max_procs: self.max_procs,
            max_memory: self.max_memory,
            max_disk: self.max_disk,
            read_only,
            ..FenceOptions::default()
        })
    }
}

/// The line saying which fences the runs get (what `grade` prints on stderr at the start and
/// every report carries): the fence's status, or `not fenced (--no-fence)`.
pub fn fence_status(fence: Option<&GradeFence>) -> Result<String, GradeError> {
    let Some(fence) = fence else {
        return Ok(fence::FenceStatus::unfenced("--no-fence").to_string());
    };
    let prepared = Fence::prepare(&fence.options()?).map_err(RunError::fence)?;
    Ok(prepared.status().to_string())
}

/// What fence a run of `command` hit, as notes (without the run's number) naming the limit: a fork refused at
/// `--max-procs`, memory refused at `--max-memory`, a file or the scratch disk full at
/// `--max-disk`, the CPU limit. Read from how the run ended and its stderr (the tracer's record
/// of refused syscalls will add to them).
pub(crate) fn run_notes(outcome: &RunOutcome, fence: &GradeFence) -> Vec<String> {
    let err = &outcome.stderr_tail;
    let has = |needles: &[&str]| needles.iter().any(|n| err.contains(n));
    let mut notes = Vec::new();
    if has(&[
        "Resource temporarily unavailable",
        // Rust's io::Error text, closed: "os error 111" (ECONNREFUSED) is no fork refused.
        "(os error 11)",
        "BlockingIOError",
    ]) {
        notes.push(say!("fence-max-procs", limit = fence.max_procs.to_string()));
    }
    if has(&[
        "MemoryError",
        "memory allocation of",
        "Cannot allocate memory",
        "(os error 12)",
    ]) {
        notes.push(say!(
            "fence-max-memory",
            limit = fence.max_memory.to_string()
        ));
    }
    let sigxfsz = outcome.exit == Some(Exit::Signal(libc::SIGXFSZ));
    if sigxfsz
        || has(&[
            "No space left on device",
            "(os error 28)",
            "File too large",
            "(os error 27)",
        ])
    {
        notes.push(say!("fence-max-disk", limit = fence.max_disk.to_string()));
    }
    if outcome.exit == Some(Exit::Signal(libc::SIGXCPU)) {
        notes.push(say!("fence-cpu-limit"));
    }
    notes
}

/// A system call the fence refused, as the trace saw it (`RunOutcome::refused`), in words:
/// `refused kill (EPERM): SIGKILL to pid 123`. The tracer sees Landlock's refusals (EACCES on
/// open, EPERM on kill); those of the seccomp deny list (errno outranks trace) and a connection
/// to the host's loopback (ECONNREFUSED: the run's own loopback has no listener there) are not
/// refusals it records.
fn refusal(refused: &str) -> String {
    say!("fence-refused", call = refused)
}

/// Every run's notes, without repeats of the same note text across runs beyond the first run
/// that had it (the run number is kept: "run 3: ...").
pub(crate) fn notes(outcomes: &[RunOutcome], fence: Option<&GradeFence>) -> Vec<String> {
    let Some(fence) = fence else {
        return Vec::new();
    };
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for o in outcomes {
        let refused = o.refused.iter().map(|r| refusal(r));
        for note in run_notes(o, fence).into_iter().chain(refused) {
            if seen.insert(note.clone()) {
                out.push(say!("note-run", run = o.run, note = note));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn outcome(stderr: &str, exit: Option<Exit>) -> RunOutcome {
        RunOutcome {
            run: 3,
            main_pid: 1,
            adopter_pid: 1,
            lines: Vec::new(),
            stderr_tail: stderr.to_string(),
            exit,
            timed_out: false,
            output_limit_hit: false,
            left_behind: Vec::new(),
            elapsed: Duration::ZERO,
            ..RunOutcome::default()
        }
    }

    #[test]
    fn each_limit_hit_is_a_note_naming_it() {
        let fence = GradeFence::default();
        let fork = outcome(
            "BlockingIOError: [Errno 11] Resource temporarily unavailable",
            None,
        );
        assert!(run_notes(&fork, &fence)[0].contains("--max-procs 256"));
        let mem = outcome("MemoryError", Some(Exit::Code(1)));
        assert!(run_notes(&mem, &fence)[0].contains("--max-memory 1073741824"));
        let disk = outcome("", Some(Exit::Signal(libc::SIGXFSZ)));
        assert!(run_notes(&disk, &fence)[0].contains("--max-disk 268435456"));
        assert!(run_notes(&outcome("fine", Some(Exit::Code(0))), &fence).is_empty());
        let refused = "cannot connect to 127.0.0.1:5000: Connection refused (os error 111)";
        assert!(run_notes(&outcome(refused, Some(Exit::Code(1))), &fence).is_empty());
        let rust_fork = outcome("cannot fork: Resource busy (os error 11)", None);
        assert!(run_notes(&rust_fork, &fence)[0].contains("--max-procs"));
        // The same limit in two runs is said once.
        let mut again = fork.clone();
        again.run = 4;
        assert_eq!(notes(&[fork, again], Some(&fence)).len(), 1);
        assert!(notes(&[mem], None).is_empty(), "--no-fence: no notes");
    }

    #[test]
    fn a_refusal_is_a_note() {
        let mut o = outcome("", Some(Exit::Code(0)));
        o.run = 2;
        o.refused = vec!["kill (EPERM): SIGKILL to pid 123".into()];
        assert_eq!(
            notes(&[o], Some(&GradeFence::default())),
            ["run 2: refused kill (EPERM): SIGKILL to pid 123"]
        );
    }
}
