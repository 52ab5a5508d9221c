//! Killing a run through its handle, from another thread; dropping a handle kills too.

mod support;

use std::io::{BufRead, BufReader};
use std::time::Duration;

use support::{assert_nothing_left, opts, python};
use tracer::{End, TaskKind};

/// Starts forever.py and reads its "ready PARENT CHILD" line.
fn start_forever() -> (tracer::Running, i32, i32) {
    let mut run = tracer::spawn(python("forever.py", &[]), &opts()).expect("spawn");
    let out = run.take_stdout().expect("stdout pipe");
    let mut line = String::new();
    BufReader::new(out)
        .read_line(&mut line)
        .expect("ready line");
    let mut words = line
        .split_whitespace()
        .skip(1)
        .map(|w| w.parse::<i32>().expect("a pid"));
    let (parent, child) = (words.next().expect("parent"), words.next().expect("child"));
    (run, parent, child)
}

#[test]
fn a_run_killed_through_its_handle_ends_whole() {
    let (run, parent, child) = start_forever();
    assert_eq!(parent, run.pid());
    assert_eq!(run.main_end(), None);
    assert_eq!(run.live_processes(), {
        let mut v = vec![parent, child];
        v.sort_unstable();
        v
    });
    let killer = run.killer();
    std::thread::spawn(move || killer.kill())
        .join()
        .expect("killer thread");
    // No time bound is asserted: wait_main_end only keeps the test from hanging on a bug.
    assert_eq!(
        run.wait_main_end(Duration::from_secs(60)),
        Some(End::Signaled(libc::SIGKILL))
    );
    let mut fds = [libc::pollfd {
        fd: std::os::fd::AsRawFd::as_raw_fd(&run.main_end_fd()),
        events: libc::POLLIN,
        revents: 0,
    }];
    // SAFETY: one valid pollfd; timeout 0 only looks.
    let ready = unsafe { libc::poll(fds.as_mut_ptr(), 1, 0) };
    assert_eq!(
        ready, 1,
        "the main-end descriptor is readable once the end is known"
    );
    let trace = run.wait().expect("trace");
    let child_task = trace.task(child).expect("the child is in the trace");
    assert_eq!(child_task.kind, TaskKind::Process);
    assert_eq!(child_task.creator, Some(parent));
    assert_eq!(child_task.end, Some(End::Signaled(libc::SIGKILL)));
    let threads: Vec<_> = trace
        .tasks
        .iter()
        .filter(|t| t.kind == TaskKind::Thread)
        .collect();
    assert!(!threads.is_empty(), "{trace:#?}");
    for t in &trace.tasks {
        assert!(t.end.is_some(), "{t:?}");
    }
    assert_nothing_left(&trace);
}

#[test]
fn dropping_the_handle_kills_the_run() {
    let (run, parent, child) = start_forever();
    drop(run);
    for pid in [parent, child] {
        if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            let state = stat
                .rsplit(')')
                .next()
                .and_then(|r| r.split_whitespace().next());
            assert_eq!(state, Some("Z"), "{pid} still runs after the drop: {stat}");
        }
    }
}

/// A writer killed inside its write (here: blocked on a full pipe, a third of its bytes read)
/// never returns from it; the trace still has the write, as unfinished, with the bytes asked.
#[test]
fn a_write_killed_before_its_return_is_kept_as_unfinished() {
    use std::io::Read;
    const ASKED: usize = 200_000;
    let mut cmd = std::process::Command::new(support::PYTHON);
    cmd.args(["-c", &format!("import os; os.write(1, b'x' * {ASKED})")]);
    support::piped(&mut cmd);
    let mut run = tracer::spawn(cmd, &opts()).expect("spawn");
    let mut out = run.take_stdout().expect("stdout pipe");
    // A pipe holds 64 KiB: with a third read, the write is still inside the kernel.
    let mut first = vec![0u8; ASKED / 3];
    out.read_exact(&mut first).expect("the first bytes");
    run.kill();
    let trace = run.wait().expect("trace");
    let mut rest = Vec::new();
    out.read_to_end(&mut rest)
        .expect("the bytes left in the pipe");
    assert!(trace.writes.is_empty(), "{:?}", trace.writes.len());
    let [w] = &trace.unfinished[..] else {
        panic!("one unfinished write: {:?}", trace.unfinished.len());
    };
    assert_eq!((w.tid, w.len, w.syscall), (trace.main_pid, ASKED, "write"));
    assert!(first.len() + rest.len() < ASKED);
    assert_nothing_left(&trace);
}
