//! Resources: a fork bomb stops at max_procs (counted per run: the run's own user namespace),
//! touching 8 GiB fails under max_memory, and nothing is left running.

mod common;

use std::process::Stdio;

use common::{SEATS, Seat, in_seat, python};

/// Forks up to N sleepers (each waits for EOF on a pipe the parent holds); prints how many
/// forks worked and the errno of the first refusal, then closes the pipe and reaps them.
const FORK_BOMB: &str = r#"
import os, sys
want = int(sys.argv[1])
r, w = os.pipe()
started = 0
errno = None
for _ in range(want):
    try:
        pid = os.fork()
    except OSError as e:
        errno = e.errno
        break
    if pid == 0:
        os.close(w)
        os.read(r, 1)
        os._exit(0)
    started += 1
print("started", started, "errno", errno, flush=True)
os.close(w)
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
"#;

fn fork_bomb(seat: Seat, max_procs: u64, want: u64) -> (u64, String, common::Outcome) {
    let out = python(
        seat,
        &["--max-procs", &max_procs.to_string()],
        FORK_BOMB,
        &[&want.to_string()],
    );
    let words: Vec<&str> = out.stdout.split_whitespace().collect();
    assert_eq!(words.first(), Some(&"started"), "{out:#?}");
    let started = words[1].parse().expect("a count");
    let errno = words[3].to_string();
    (started, errno, out)
}

#[test]
fn a_fork_bomb_of_3000_stops_at_max_procs() {
    for seat in SEATS {
        let (started, errno, out) = fork_bomb(seat, 256, 3000);
        // EAGAIN, below 256 (the run's first process counts too).
        assert_eq!(errno, "11", "{out:#?}");
        assert!((200..256).contains(&started), "{started}: {out:#?}");
        out.assert_clean_success();
    }
}

/// RLIMIT_NPROC counts the processes of the uid *in the run's user namespace*: other
/// processes of the same uid outside the run do not use up the run's allowance.
#[test]
fn the_process_limit_counts_the_run_alone() {
    // 40 processes of nobody outside any run; then a run of nobody with max_procs 32 can still
    // fork 20.
    let mut outside: Vec<_> = (0..40)
        .map(|_| {
            in_seat(Seat::Nobody, &["/bin/sleep", "600"])
                .stdin(Stdio::null())
                .spawn()
                .expect("sleep")
        })
        .collect();
    for seat in SEATS {
        let (started, errno, out) = fork_bomb(seat, 32, 20);
        assert_eq!((started, errno.as_str()), (20, "None"), "{out:#?}");
        out.assert_clean_success();
        // And the limit still holds inside.
        let (started, errno, out) = fork_bomb(seat, 32, 100);
        assert_eq!(errno, "11", "{out:#?}");
        assert!(started < 32, "{out:#?}");
    }
    // Without a user namespace the same limit counts every process of the uid.
    let (started, errno, out) = {
        let out = python(
            Seat::Nobody,
            &["--max-procs", "32", "--skip", "namespaces"],
            FORK_BOMB,
            &["20"],
        );
        let w: Vec<String> = out.stdout.split_whitespace().map(str::to_string).collect();
        (w[1].parse::<u64>().expect("count"), w[3].clone(), out)
    };
    assert_eq!((started, errno.as_str()), (0, "11"), "{out:#?}");
    for s in &mut outside {
        s.kill().expect("kill");
        s.wait().expect("reap");
    }
}

#[test]
fn touching_8_gib_fails_under_max_memory() {
    const TOUCH: &str = r#"
import sys
size = int(sys.argv[1])
try:
    block = bytearray(size)
    for i in range(0, size, 4096):
        block[i] = 1
    print("touched", size)
except MemoryError:
    print("MemoryError", size)
"#;
    for seat in SEATS {
        let out = python(seat, &[], TOUCH, &[&(8u64 << 30).to_string()]);
        assert_eq!(
            out.stdout.trim(),
            format!("MemoryError {}", 8u64 << 30),
            "{out:#?}"
        );
        out.assert_clean_success();
        // 64 MiB is fine.
        let out = python(seat, &[], TOUCH, &[&(64u64 << 20).to_string()]);
        assert_eq!(
            out.stdout.trim(),
            format!("touched {}", 64u64 << 20),
            "{out:#?}"
        );
        out.assert_clean_success();
    }
}

#[test]
fn sleepers_left_behind_are_ended_by_the_subreaper() {
    const LEAVE: &str = r#"
import os
for _ in range(5):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execv("/bin/sleep", ["sleep", "600"])
        os._exit(0)
print("left 5", flush=True)
"#;
    for seat in SEATS {
        let out = python(seat, &[], LEAVE, &[]);
        assert_eq!(out.stdout.trim(), "left 5");
        // fenced_run counted and killed them; none is alive now.
        assert!(out.status.success(), "{out:#?}");
        let scratch = out.scratch();
        assert!(common::processes_with_env(&format!("TMPDIR={scratch}")).is_empty());
        assert!(!std::path::Path::new(&scratch).exists());
    }
}
