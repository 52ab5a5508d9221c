//! The system calls the trace itself refuses (they would hide tasks or writes from it), named in
//! the fence line and, when a run's stderr shows it tripped on one, in that run's note.

use crate::outcome::{Exit, RunOutcome};

/// Appended to the fence line of a traced grading.
/// (The fence line is the fence's own words, in English; a report in another language shows
/// its short form.)
pub(crate) const REFUSED_BY_THE_TRACE: &str = "traced: io_uring_setup and clone3 fail with ENOSYS, clone with CLONE_UNTRACED with EPERM (they would hide tasks or writes)";

/// What a failed run's stderr says when a call failed with ENOSYS (Python, Rust, C, Go).
const ENOSYS_WORDS: [&str; 4] = [
    "Function not implemented",
    "os error 38",
    "ENOSYS",
    "io_uring",
];

/// A note for a traced run that failed and whose stderr speaks of an unimplemented call: most
/// likely one the trace refused.
pub(crate) fn run_note(o: &RunOutcome) -> Option<String> {
    let traced = o.tracing != crate::outcome::writer::Tracing::Off;
    let failed = o.exit != Some(Exit::Code(0));
    let said = ENOSYS_WORDS.iter().any(|w| o.stderr_tail.contains(w));
    (traced && failed && said).then(|| {
        crate::words::say::say!(
            "note-run",
            run = o.run,
            note = crate::words::say::say!("trace-enosys")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::writer::Tracing;

    #[test]
    fn a_traced_run_that_failed_on_enosys_is_named() {
        let mut o = RunOutcome {
            run: 3,
            tracing: Tracing::On,
            exit: Some(Exit::Code(1)),
            stderr_tail: "OSError: [Errno 38] Function not implemented".into(),
            ..RunOutcome::default()
        };
        assert!(run_note(&o).is_some_and(|n| n.starts_with("run 3: ")));
        o.exit = Some(Exit::Code(0));
        assert_eq!(run_note(&o), None);
    }
}
