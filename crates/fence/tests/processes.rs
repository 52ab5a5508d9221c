//! Processes: the run cannot signal or ptrace anything outside it, while signals inside it
//! work; the seccomp deny list refuses new user namespaces but lets PTRACE_TRACEME through.

mod common;

use std::process::Stdio;

use common::{SEATS, Seat, in_seat, python, python_unfenced};

/// Kills the pids on the command line and, given `all` first, its parent and every process
/// named `fenced_run`, with SIGKILL; prints one line each.
const KILL_OUTSIDE: &str = r#"
import os, signal, sys
everything = sys.argv[1] == "all"
targets = [("sibling", int(p)) for p in sys.argv[2:]]
if everything:
    targets.append(("parent", os.getppid()))
for entry in os.listdir("/proc") if everything else []:
    if entry.isdigit():
        try:
            if open(f"/proc/{entry}/comm").read().strip() == "fenced_run":
                targets.append(("named", int(entry)))
        except OSError:
            pass
for what, pid in targets:
    try:
        os.kill(pid, signal.SIGKILL)
        print("killed", what, pid)
    except OSError as e:
        print("refused", what, e.errno)
"#;

/// A sleeper in `seat`, outside any run.
fn sleeper(seat: Seat) -> std::process::Child {
    in_seat(seat, &["/bin/sleep", "600"])
        .stdin(Stdio::null())
        .spawn()
        .expect("sleep starts")
}

#[test]
fn the_run_cannot_kill_its_parent_a_sibling_or_the_grader_by_name() {
    for seat in SEATS {
        let mut control_target = sleeper(seat);
        let control = python_unfenced(
            seat,
            KILL_OUTSIDE,
            &["listed", &control_target.id().to_string()],
        );
        assert!(control.stdout.contains("killed sibling"), "{control:#?}");
        control_target.wait().expect("reaped");

        let mut sibling = sleeper(seat);
        let out = python(seat, &[], KILL_OUTSIDE, &["all", &sibling.id().to_string()]);
        assert!(!out.stdout.contains("killed"), "{out:#?}");
        assert!(out.stdout.contains("refused parent 1"), "{out:#?}");
        assert!(out.stdout.contains("refused sibling 1"), "{out:#?}");
        assert!(out.stdout.contains("refused named 1"), "{out:#?}");
        assert!(
            sibling.try_wait().expect("try_wait").is_none(),
            "the sibling died"
        );
        out.assert_clean_success();
        sibling.kill().expect("kill");
        sibling.wait().expect("reap");
    }
}

#[test]
fn inside_the_run_a_parent_terminates_its_child() {
    const OWN_CHILD: &str = r#"
import os, signal
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(w)
    os.read(r, 1)
    os._exit(0)
os.kill(pid, signal.SIGTERM)
_, status = os.waitpid(pid, 0)
print("child ended by signal", os.WTERMSIG(status) if os.WIFSIGNALED(status) else None)
"#;
    for seat in SEATS {
        let out = python(seat, &[], OWN_CHILD, &[]);
        assert_eq!(out.stdout.trim(), "child ended by signal 15", "{out:#?}");
        out.assert_clean_success();
    }
}

/// Syscalls through ctypes: ptrace(PTRACE_ATTACH) of the parent, unshare(CLONE_NEWUSER),
/// clone3, keyctl; PTRACE_TRACEME in a child.
const SURFACE: &str = r#"
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
def call(name, *args):
    rc = getattr(libc, name)(*args)
    print(name if name != "syscall" else "syscall", rc, ctypes.get_errno() if rc == -1 else 0)
call("ptrace", 16, os.getppid(), 0, 0)       # PTRACE_ATTACH
call("unshare", 0x10000000)                  # CLONE_NEWUSER
libc.syscall.restype = ctypes.c_long
rc = libc.syscall(435, None, 0)              # clone3
print("clone3", rc, ctypes.get_errno() if rc == -1 else 0)
rc = libc.syscall(250, 0, 0, 0, 0)           # keyctl
print("keyctl", rc, ctypes.get_errno() if rc == -1 else 0)
pid = os.fork()
if pid == 0:
    rc = libc.ptrace(0, 0, 0, 0)             # PTRACE_TRACEME
    os._exit(0 if rc == 0 else 1)
_, status = os.waitpid(pid, 0)
print("traceme", os.WEXITSTATUS(status))
"#;

#[test]
fn seccomp_refuses_new_user_namespaces_but_not_traceme() {
    assert_eq!(
        std::env::consts::ARCH,
        "x86_64",
        "syscall numbers of the script"
    );
    for seat in SEATS {
        let out = python(seat, &[], SURFACE, &[]);
        let lines: Vec<&str> = out.stdout.lines().collect();
        assert_eq!(
            lines,
            [
                "ptrace -1 1",
                "unshare -1 1",
                "clone3 -1 38",
                "keyctl -1 1",
                "traceme 0"
            ],
            "{out:#?}"
        );
        out.assert_clean_success();
        // Without seccomp, unshare of a user namespace works from inside (as the fence's own
        // namespaces show), so the deny list is what stops it.
        let out = python(seat, &["--skip", "seccomp"], SURFACE, &[]);
        assert!(out.stdout.contains("unshare 0 0"), "{out:#?}");
    }
}

#[test]
fn a_program_given_by_name_is_the_system_one() {
    for seat in SEATS {
        let out = common::fenced(seat, &[], &["/bin/sh", "-c", "command -v python3"]);
        assert_eq!(out.stdout.trim(), "/usr/bin/python3", "{out:#?}");
        out.assert_clean_success();
    }
}
