//! Runs one command under a fence, as the grader will, and says what happened on stderr.
//!
//!     fenced_run [--max-procs N] [--max-memory BYTES] [--max-disk BYTES] [--cpu SECS]
//!                [--ro PATH]... [--rw PATH]... [--no-loopback] [--invoker]
//!                [--skip namespaces|landlock|seccomp]... [--join-after LINE] -- CMD [ARGS...]
//!
//! Lines on stderr: `fence: <status>`, `fence: scratch=<dir>`, then after the command
//! `fence: exit=N` or `fence: signal=N`, `fence: leftover=N` (descendants still alive 10 s
//! after it ended, then killed), `fence: scratch-left=<bool>`. The exit status is the command's (128 + N
//! for a signal). It is the child subreaper of the run, so every descendant is waited for.
//!
//! `--trace` runs it under the tracer (crate `tracer`, its hook after the fence's) noting
//! refused system calls: `fence: tasks=N` and one `fence: refused=SYSCALL ERRNO DETAIL` each.
//!
//! `--join-after LINE -- MASTER... -- WORKER...` starts MASTER, waits for LINE on its stdout
//! (echoing it), then starts WORKER in MASTER's run (`Fence::apply_joined`); exits with the
//! worse of the two statuses.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

use fence::{Fence, FenceOptions, RunAs};

fn main() {
    match run() {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("fenced_run: {e}");
            std::process::exit(2);
        }
    }
}

fn run() -> Result<i32, Box<dyn std::error::Error>> {
    let mut options = FenceOptions::default();
    let mut args = std::env::args().skip(1);
    let mut join_after = None;
    let mut trace = false;
    let number = |v: Option<String>| -> Result<u64, Box<dyn std::error::Error>> {
        Ok(v.ok_or("missing value")?.parse()?)
    };
    loop {
        match args.next().as_deref() {
            Some("--max-procs") => options.max_procs = number(args.next())?,
            Some("--max-memory") => options.max_memory = number(args.next())?,
            Some("--max-disk") => options.max_disk = number(args.next())?,
            Some("--cpu") => options.cpu_time = Some(Duration::from_secs(number(args.next())?)),
            Some("--ro") => options
                .read_only
                .push(PathBuf::from(args.next().ok_or("--ro")?)),
            Some("--rw") => options
                .writable
                .push(PathBuf::from(args.next().ok_or("--rw")?)),
            Some("--no-loopback") => options.loopback = false,
            Some("--invoker") => options.run_as = RunAs::Invoker,
            Some("--trace") => trace = true,
            Some("--join-after") => join_after = Some(args.next().ok_or("--join-after")?),
            Some("--skip") => match args.next().as_deref() {
                Some("namespaces") => options.disabled.namespaces = true,
                Some("landlock") => options.disabled.landlock = true,
                Some("seccomp") => options.disabled.seccomp = true,
                other => return Err(format!("--skip {other:?}").into()),
            },
            Some("--") => break,
            other => return Err(format!("unknown argument {other:?}").into()),
        }
    }
    let rest: Vec<String> = args.collect();
    let (first, second) = match &join_after {
        Some(_) => {
            let split = rest
                .iter()
                .position(|a| a == "--")
                .ok_or("-- WORKER missing")?;
            (rest[..split].to_vec(), Some(rest[split + 1..].to_vec()))
        }
        None => (rest, None),
    };
    if first.is_empty() {
        return Err("no command".into());
    }
    // SAFETY: prctl with integer arguments.
    if unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) } == -1 {
        return Err(std::io::Error::last_os_error().into());
    }

    let fence = Fence::prepare(&options)?;
    eprintln!("fence: {}", fence.status());
    eprintln!("fence: scratch={}", fence.scratch().display());
    let scratch = fence.scratch().to_path_buf();

    let mut command = Command::new(&first[0]);
    command.args(&first[1..]);
    fence.apply(&mut command)?;
    let status = match (join_after, second) {
        (Some(line), Some(worker)) => {
            command.stdout(Stdio::piped());
            let mut master = command.spawn()?;
            let out = master.stdout.take().ok_or("master stdout")?;
            let mut reader = BufReader::new(out);
            let mut text = String::new();
            while reader.read_line(&mut text)? > 0 && !text.contains(&line) {}
            print!("{text}");
            let mut command = Command::new(&worker[0]);
            command.args(&worker[1..]);
            fence.apply_joined(&mut command, master.id())?;
            let mut worker = command.spawn()?;
            // The master's remaining output goes on our stdout.
            let copier = std::thread::spawn(move || {
                let _ = std::io::copy(&mut reader, &mut std::io::stdout());
            });
            let worker_status = worker.wait()?;
            let master_status = wait(&mut master)?;
            let _ = copier.join();
            if worker_status.success() {
                master_status
            } else {
                worker_status
            }
        }
        _ if trace => traced(command)?,
        _ => {
            let mut child = command.spawn()?;
            wait(&mut child)?
        }
    };
    std::io::stdout().flush()?;
    match (status.code(), status.signal()) {
        (Some(code), _) => eprintln!("fence: exit={code}"),
        (None, Some(sig)) => eprintln!("fence: signal={sig}"),
        _ => eprintln!("fence: exit=unknown"),
    }
    eprintln!("fence: leftover={}", reap_descendants());
    drop(fence);
    eprintln!("fence: scratch-left={}", scratch.exists());
    Ok(status
        .code()
        .unwrap_or_else(|| 128 + status.signal().unwrap_or(0)))
}

/// Runs `command` traced with refusals watched; says what the trace saw.
fn traced(command: Command) -> Result<ExitStatus, Box<dyn std::error::Error>> {
    let mut opts = tracer::TraceOptions::new(std::time::Instant::now());
    opts.watch_refusals = true;
    let running = tracer::spawn(command, &opts)?;
    let trace = running.wait()?;
    eprintln!("fence: tasks={}", trace.tasks.len());
    for r in &trace.refusals {
        eprintln!("fence: refused={} {} {}", r.syscall, r.errno, r.detail);
    }
    let main = trace.main_task().ok_or("no main task in the trace")?;
    let raw = match main.end {
        Some(tracer::End::Exited(code)) => code << 8,
        Some(tracer::End::Signaled(sig)) => sig,
        Some(tracer::End::Replaced) | None => return Err("the main task did not end".into()),
    };
    Ok(ExitStatus::from_raw(raw))
}

fn wait(child: &mut Child) -> std::io::Result<ExitStatus> {
    child.wait()
}

/// Waits up to [`GRACE`] for the descendants left when the command ended (orphans come to
/// us, the subreaper: a forked child may outlive its parent, as in the notes' fork example),
/// then kills and reaps the rest; returns how many had to be killed.
fn reap_descendants() -> usize {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // SAFETY: waits for any child; -1 (ECHILD) means none is left.
        while unsafe { libc::waitpid(-1, std::ptr::null_mut(), libc::__WALL) } != -1 {}
        let _ = tx.send(());
    });
    if rx.recv_timeout(GRACE).is_ok() {
        return 0;
    }
    let mut killed = std::collections::HashSet::new();
    loop {
        let children =
            std::fs::read_to_string(format!("/proc/self/task/{}/children", std::process::id()))
                .unwrap_or_default();
        for pid in children
            .split_whitespace()
            .filter_map(|p| p.parse::<i32>().ok())
        {
            killed.insert(pid);
            // SAFETY: a signal to our own child.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        if rx.recv_timeout(Duration::from_millis(100)).is_ok() {
            return killed.len();
        }
    }
}

/// How long descendants may outlive the command.
const GRACE: Duration = Duration::from_secs(10);
