//! The fence and the tracer together, as the grader will run them: the tracer's hook after the
//! fence's (PTRACE_TRACEME from inside the namespaces and Landlock domain), the tracer outside.
//! The trace sees every task and notes what the fence refused.

mod common;

use common::{SEATS, python};

const ATTEMPTS: &str = r#"
import os, signal
try:
    os.kill(os.getppid(), signal.SIGKILL)
except OSError as e:
    print("kill", e.errno)
try:
    open("/tmp/fence-traced-escape", "w")
except OSError as e:
    print("open", e.errno)
pid = os.fork()
if pid == 0:
    os._exit(0)
os.waitpid(pid, 0)
print("done")
"#;

#[test]
fn a_traced_fenced_run_is_seen_whole_and_its_refusals_noted() {
    for seat in SEATS {
        let out = python(seat, &["--trace"], ATTEMPTS, &[]);
        assert_eq!(out.stdout, "kill 1\nopen 13\ndone\n", "{out:#?}");
        assert_eq!(out.fence_value("tasks").as_deref(), Some("2"), "{out:#?}");
        let refused: Vec<&str> = out
            .stderr
            .lines()
            .filter_map(|l| l.strip_prefix("fence: refused="))
            .collect();
        assert!(
            refused.iter().any(|r| r.starts_with("kill EPERM SIGKILL")),
            "{out:#?}"
        );
        assert!(
            refused.contains(&"openat EACCES /tmp/fence-traced-escape"),
            "{out:#?}"
        );
        out.assert_clean_success();
    }
}
