//! Who wrote what: a parent, a forked child, a thread, a dup'ed descriptor, writev, an exec'd
//! shell and Python's unbuffered print, each checked against the pid and tid the writer prints.

mod support;

use std::collections::HashMap;
use std::process::Command;
use std::time::Duration;

use support::{assert_nothing_left, field, opts, python, run};
use tracer::{End, Stream, TaskKind, Trace};

/// Each writer's lines: its bytes to `stream` in order, cut at newlines.
fn lines_by_writer(trace: &Trace, stream: Stream) -> Vec<(i32, i32, String)> {
    let mut partial: HashMap<i32, (i32, Vec<u8>)> = HashMap::new();
    let mut lines = Vec::new();
    for w in trace.writes.iter().filter(|w| w.stream == stream) {
        assert_eq!(w.len, w.bytes.len(), "all bytes of a small write are kept");
        let entry = partial.entry(w.tid).or_insert((w.tgid, Vec::new()));
        for &b in &w.bytes {
            if b == b'\n' {
                lines.push((
                    entry.0,
                    w.tid,
                    String::from_utf8_lossy(&entry.1).into_owned(),
                ));
                entry.1.clear();
            } else {
                entry.1.push(b);
            }
        }
    }
    lines
}

fn check_writers(unbuffered: bool) {
    let mut cmd = python("writers.py", &[]);
    if unbuffered {
        cmd.env("PYTHONUNBUFFERED", "1");
    } else {
        cmd.env_remove("PYTHONUNBUFFERED");
    }
    let got = run(cmd, &opts());
    let trace = &got.trace;
    let main = trace.main_task().expect("main task");
    assert_eq!(main.kind, TaskKind::Process);
    assert_eq!(main.creator, None);
    assert_eq!(main.end, Some(End::Exited(5)));
    assert!(main.execs[0].path.contains("python"), "{:?}", main.execs);

    let lines = lines_by_writer(trace, Stream::Stdout);
    let tags: Vec<&str> = lines
        .iter()
        .map(|(_, _, l)| l.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(
        tags,
        [
            "parent", "child", "thread", "dup", "writev", "shell", "print"
        ],
        "{got:#?}"
    );
    for (tgid, tid, line) in &lines {
        assert_eq!(
            field(line, "pid"),
            Some(*tgid),
            "the writer's pid is the printed one: {line}"
        );
        if let Some(printed_tid) = field(line, "tid") {
            assert_eq!(
                printed_tid, *tid,
                "the writer's tid is the printed one: {line}"
            );
        }
        let task = trace.task(*tid).expect("the writer is a task of the trace");
        let tag = line.split(' ').next().unwrap_or("");
        match tag {
            "parent" | "dup" | "writev" | "print" => assert_eq!(*tid, trace.main_pid),
            "child" => {
                assert_eq!(task.kind, TaskKind::Process);
                assert_eq!(task.creator, Some(trace.main_pid));
                assert_eq!(task.end, Some(End::Exited(3)));
            }
            "thread" => {
                assert_eq!(task.kind, TaskKind::Thread);
                assert_eq!(task.tgid, trace.main_pid);
                assert_eq!(task.creator, Some(trace.main_pid));
                assert_ne!(task.tid, trace.main_pid);
                assert_eq!(task.end, Some(End::Exited(0)));
            }
            "shell" => {
                assert_eq!(task.kind, TaskKind::Process);
                assert_eq!(task.creator, Some(trace.main_pid));
                let exec = task.execs.first().expect("the shell was exec'd");
                assert_eq!(exec.argv.first().map(String::as_str), Some("/bin/sh"));
                assert!(exec.path.ends_with("sh"), "{exec:?}");
                assert_eq!(task.end, Some(End::Exited(0)));
            }
            _ => unreachable!(),
        }
    }
    let syscalls: Vec<&str> = trace
        .writes
        .iter()
        .filter(|w| w.stream == Stream::Stdout)
        .map(|w| w.syscall)
        .collect();
    assert_eq!(
        syscalls.iter().filter(|s| **s == "writev").count(),
        1,
        "{syscalls:?}"
    );
    let print_writes = trace
        .writes
        .iter()
        .filter(|w| w.stream == Stream::Stdout && w.tid == trace.main_pid)
        .filter(|w| w.bytes.starts_with(b"print") || w.bytes == b"\n")
        .count();
    // Buffered, print's line leaves in one write at exit; unbuffered, text and newline apart.
    assert_eq!(print_writes, if unbuffered { 2 } else { 1 });

    let err_lines = lines_by_writer(trace, Stream::Stderr);
    assert_eq!(err_lines.len(), 1, "{err_lines:?}");
    assert_eq!(field(&err_lines[0].2, "pid"), Some(trace.main_pid));
    assert_eq!(got.stderr.trim(), err_lines[0].2);
    assert_eq!(got.stdout.lines().count(), 7);
    assert_nothing_left(trace);
}

#[test]
fn every_writer_is_attributed_python_buffered() {
    check_writers(false);
}

#[test]
fn every_writer_is_attributed_python_unbuffered() {
    check_writers(true);
}

#[test]
fn exit_codes_signals_and_exec_paths() {
    let mut cmd = Command::new("/bin/sh");
    cmd.args(["-c", r#"/bin/sh -c 'kill -KILL $$'; exit 7"#]);
    support::piped(&mut cmd);
    let got = run(cmd, &opts());
    let trace = &got.trace;
    assert_eq!(trace.main_task().and_then(|t| t.end), Some(End::Exited(7)));
    let killed: Vec<_> = trace
        .tasks
        .iter()
        .filter(|t| t.end == Some(End::Signaled(libc::SIGKILL)))
        .collect();
    assert_eq!(killed.len(), 1, "{trace:#?}");
    assert_eq!(killed[0].creator, Some(trace.main_pid));
    assert_eq!(killed[0].execs.len(), 1);
    assert_eq!(killed[0].execs[0].argv[..2], ["/bin/sh", "-c"]);
    // The file exec'd, by device and inode: the system's shell, whatever its path says.
    let sh = tracer::FileId::of_path(std::path::Path::new("/bin/sh")).expect("/bin/sh");
    let file = killed[0].execs[0].file.expect("the exec'd file");
    assert_eq!((file.dev, file.ino), (sh.dev, sh.ino));
    for t in &trace.tasks {
        assert!(t.ended_at.is_some_and(|e| e >= t.created_at), "{t:?}");
    }
    assert_nothing_left(trace);
}

#[test]
fn a_missing_program_is_not_found_and_a_plain_file_is_not_executable() {
    let err =
        tracer::spawn(Command::new("/nonexistent/tracer-test"), &opts()).expect_err("missing");
    assert_eq!(err.kind(), tracer::TraceErrorKind::NotFound, "{err}");
    let err = tracer::spawn(Command::new(support::program("writers.py")), &opts())
        .expect_err("not executable");
    assert_eq!(err.kind(), tracer::TraceErrorKind::Spawn, "{err}");
    // The exec fails after the tracing hook ran: the failure must still come back, not hang,
    // with the errno execve gave.
    let script = std::env::temp_dir().join(format!("tracer-no-interpreter-{}", std::process::id()));
    std::fs::write(&script, "#!/nonexistent/python9\nprint('never')\n").expect("write script");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    let err = tracer::spawn(Command::new(&script), &opts()).expect_err("no interpreter");
    std::fs::remove_file(&script).expect("remove script");
    assert_eq!(err.kind(), tracer::TraceErrorKind::NotFound, "{err}");
    let source = std::error::Error::source(&err).and_then(|s| s.downcast_ref::<std::io::Error>());
    assert_eq!(
        source.and_then(|e| e.raw_os_error()),
        Some(libc::ENOENT),
        "{err}"
    );
}

#[test]
fn tracing_under_a_tracer_is_refused() {
    // The outer trace follows trace_once's fork, so its child's PTRACE_TRACEME fails: EPERM.
    let mut cmd = Command::new(support::example("trace_once"));
    cmd.args(["--", "/bin/true"]);
    support::piped(&mut cmd);
    let got = run(cmd, &opts());
    assert!(
        got.stderr.contains("tracing refused") && got.stderr.contains("(Refused)"),
        "{}",
        got.stderr
    );
    assert_eq!(
        got.trace.main_task().and_then(|t| t.end),
        Some(End::Exited(2))
    );
    let thread = got
        .trace
        .tasks
        .iter()
        .find(|t| t.kind == TaskKind::Thread)
        .expect("its tracer thread");
    assert_eq!(
        thread.comm.as_deref(),
        Some("tracer"),
        "a named thread's name is kept"
    );
    assert_nothing_left(&got.trace);
}

/// Each task's CPU time is read at its exit: a thread that spins 0.2 s of CPU shows it, the
/// main thread that waits for it shows less.
#[test]
fn cpu_time_is_read_at_each_tasks_exit() {
    let mut cmd = std::process::Command::new(support::PYTHON);
    cmd.args([
        "-c",
        "import threading, time\n\
         def spin():\n    t = time.thread_time()\n    while time.thread_time() - t < 0.2: pass\n\
         th = threading.Thread(target=spin); th.start(); th.join()",
    ]);
    support::piped(&mut cmd);
    let got = support::run(cmd, &support::opts());
    let spinner = got
        .trace
        .tasks
        .iter()
        .find(|t| t.kind == tracer::TaskKind::Thread)
        .expect("the spinning thread");
    let cpu = spinner.cpu_time.expect("read at its exit");
    // The kernel counts in 10 ms ticks.
    assert!(cpu >= Duration::from_millis(190), "{cpu:?}");
    let elapsed = spinner
        .ended_at
        .zip(Some(spinner.created_at))
        .map(|(e, c)| e - c);
    assert!(
        elapsed.is_some_and(|e| cpu <= e + Duration::from_millis(10)),
        "{cpu:?} {elapsed:?}"
    );
    assert!(got.trace.main_task().and_then(|t| t.cpu_time).is_some());
}

/// With `cpu_at_lines`, every live task's CPU time is read at each line written to stdout: a
/// thread spinning between two lines shows what it used in between.
#[test]
fn cpu_times_are_read_at_each_line() {
    let mut cmd = std::process::Command::new(support::PYTHON);
    cmd.args([
        "-c",
        "import threading, time\n\
         stop = False\n\
         def spin():\n    while not stop: pass\n\
         th = threading.Thread(target=spin); th.start()\n\
         clock = time.pthread_getcpuclockid(th.ident)\n\
         print('a', flush=True)\n\
         t0 = time.clock_gettime(clock)\n\
         while time.clock_gettime(clock) < t0 + 0.05: time.sleep(0.002)\n\
         print('b', flush=True)\n\
         stop = True; th.join()",
    ]);
    support::piped(&mut cmd);
    let mut opts = support::opts();
    opts.cpu_at_lines = true;
    let got = support::run(cmd, &opts);
    let trace = &got.trace;
    let samples = &trace.cpu_samples;
    assert_eq!(samples.len(), 2, "{samples:#?}");
    let spinner = trace
        .tasks
        .iter()
        .find(|t| t.kind == tracer::TaskKind::Thread)
        .expect("the spinning thread");
    let at = |s: &tracer::CpuSample| {
        s.tasks
            .iter()
            .find(|(t, _)| *t == spinner.tid)
            .map(|(_, d)| *d)
            .expect("the spinner was read")
    };
    let used = at(&samples[1]).saturating_sub(at(&samples[0]));
    let between = samples[1].at - samples[0].at;
    // The main thread read the spinner's clock after its 'a' (after the first reading) and
    // printed 'b' once that clock had moved on 50 ms: however busy the machine, the two
    // readings are at least 50 ms of the spinner's CPU time apart.
    assert!(used >= Duration::from_millis(50), "{used:?} of {between:?}");
    assert!(
        used <= between + Duration::from_millis(10),
        "{used:?} of {between:?}"
    );
    assert!(samples.iter().all(|s| s.tid == trace.main_pid));
    // Off by default: no reading.
    let mut cmd = std::process::Command::new(support::PYTHON);
    cmd.args(["-c", "print('a')"]);
    support::piped(&mut cmd);
    assert!(
        support::run(cmd, &support::opts())
            .trace
            .cpu_samples
            .is_empty()
    );
}
