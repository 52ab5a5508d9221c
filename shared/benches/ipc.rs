//! The IPC benchmark of `multitask` (`cargo bench -p multitask`): each workload of issue 5 run
//! with the crate and with the raw mechanism it stands on, side by side in this one process, so
//! that ratios compare like with like on the same machine at the same moment.
//!
//! A plain `main` (no criterion: it is slow to build and we only need medians). It prints a
//! human table, then one JSON line per figure:
//! `{"bench":NAME,"impl":IMPL,"ops_per_sec":X,"ops":N,"reps":R}`. With `--json` it prints the
//! JSON lines only (what `scripts/bench.sh` merges with the Python side). Any other word
//! selects the benches whose name contains it. A figure is the median of a few repetitions
//! after one warm-up; every repetition checks what it received, so a broken transfer fails
//! loudly instead of printing a fast wrong figure.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::os::fd::OwnedFd;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use ipc_channel::ipc;
use multitask::{Pool, Process, Queue};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid};

#[path = "ipc/sync.rs"]
mod sync;

type BoxError = Box<dyn std::error::Error>;
type Res<T> = Result<T, BoxError>;

/// What the queue benches carry: a u64 and a one-character String, as the issue says.
type Item = (u64, String);

/// Processes started and joined per repetition.
const PROCESSES: u64 = 300;
/// Items per repetition, one item per put (the figure).
const QUEUE_ITEMS: u64 = 200_000;
/// Items per repetition when batched: more, so a repetition lasts long enough to time at
/// ten million items a second.
const BATCHED_ITEMS: u64 = 1_000_000;
/// Items per `put_many` / `get_many`.
const BATCH: usize = 1_000;
/// Tasks per repetition for the pools.
const TASKS: u64 = 10_000;
/// Maps of `TASKS` items per repetition: one map takes about a millisecond, too short to time
/// alone on a busy machine.
const MAP_ROUNDS: u64 = 20;
/// Pool size, as Python's `Pool(2)` on the other side.
const WORKERS: usize = 2;
/// Timed repetitions after the warm-up; the figure is their median.
const REPS: usize = 7;

/// Timed repetitions of `bench`: more for those whose figures stand against a floor of the
/// raw mechanism's and whose repetition is short (a fraction of a second), so that a few
/// seconds of another session's build do not decide the median.
fn reps(bench: &str) -> usize {
    match bench {
        "process_start_join" => 3 * REPS,
        "queue_single" | "queue_batched" => 2 * REPS - 1,
        _ => REPS,
    }
}
/// Largest encoded frame of an `Item` with its length prefix.
const FRAME_MAX: usize = 64;

/// One measured figure.
struct Figure {
    bench: &'static str,
    imp: &'static str,
    ops: u64,
    reps: usize,
    median: Duration,
}

impl Figure {
    fn ops_per_sec(&self) -> f64 {
        self.ops as f64 / self.median.as_secs_f64()
    }
}

/// Forks a child that runs `body` and leaves with `_exit` (status 0 when `body` says it did
/// its work). The bench is single-threaded, so forking is sound.
fn fork_child(body: impl FnOnce() -> bool) -> Res<Pid> {
    // Output printed so far must not be written again by the child.
    std::io::stdout().flush()?;
    // SAFETY: this program runs no other thread, and the child leaves with _exit.
    match unsafe { nix::unistd::fork() }? {
        ForkResult::Parent { child } => Ok(child),
        ForkResult::Child => {
            let ok = catch_unwind(AssertUnwindSafe(body)).unwrap_or(false);
            // SAFETY: leaving the child without running the parent's destructors.
            unsafe { libc::_exit(if ok { 0 } else { 1 }) }
        }
    }
}

/// Waits for a child of `fork_child` and fails unless it exited 0.
fn reap(pid: Pid) -> Res<()> {
    match waitpid(pid, None)? {
        WaitStatus::Exited(_, 0) => Ok(()),
        other => Err(format!("child {pid} ended badly: {other:?}").into()),
    }
}

fn item(i: u64) -> Item {
    (i, "x".to_string())
}

/// Sums what a reader received, to check that every item arrived once and intact.
#[derive(Default)]
struct Tally {
    count: u64,
    sum: u64,
    chars: u64,
}

impl Tally {
    fn add(&mut self, (id, tag): Item) {
        self.count += 1;
        self.sum += id;
        self.chars += tag.len() as u64;
    }

    fn check(&self, n: u64) -> Res<()> {
        if self.count != n || self.sum != n * (n - 1) / 2 || self.chars != n {
            return Err(format!(
                "received {} items (sum {}, {} chars), expected {n}",
                self.count, self.sum, self.chars
            )
            .into());
        }
        Ok(())
    }
}

// ---- 1. Process start + join -------------------------------------------------------------

fn process_multitask() -> Res<Duration> {
    let start = Instant::now();
    for _ in 0..PROCESSES {
        let mut p = Process::new(|| ());
        p.start()?;
        p.join()?;
    }
    Ok(start.elapsed())
}

fn process_raw() -> Res<Duration> {
    let start = Instant::now();
    for _ in 0..PROCESSES {
        // SAFETY: single-threaded; the child only calls _exit.
        match unsafe { nix::unistd::fork() }? {
            ForkResult::Child => unsafe { libc::_exit(0) },
            ForkResult::Parent { child } => reap(child)?,
        }
    }
    Ok(start.elapsed())
}

// ---- 2. Queue, one item per put ------------------------------------------------------------

fn queue_multitask() -> Res<Duration> {
    let q: Queue<Item> = Queue::new()?;
    let start = Instant::now();
    let mut writer = Process::new(|| -> multitask::Result<()> {
        for i in 0..QUEUE_ITEMS {
            q.put(item(i))?;
        }
        Ok(())
    });
    writer.start()?;
    let mut tally = Tally::default();
    for _ in 0..QUEUE_ITEMS {
        tally.add(q.get()?);
    }
    writer.join()?;
    let took = start.elapsed();
    tally.check(QUEUE_ITEMS)?;
    Ok(took)
}

fn queue_ipc_channel() -> Res<Duration> {
    let (tx, rx) = ipc::channel::<Item>()?;
    let start = Instant::now();
    let writer = fork_child(|| (0..QUEUE_ITEMS).all(|i| tx.send(item(i)).is_ok()))?;
    drop(tx);
    let mut tally = Tally::default();
    for _ in 0..QUEUE_ITEMS {
        tally.add(rx.recv()?);
    }
    reap(writer)?;
    let took = start.elapsed();
    tally.check(QUEUE_ITEMS)?;
    Ok(took)
}

/// Writes `n` items as frames: a u32 length, then the item in postcard. With `batched`
/// false each frame is one `write` system call; with true a BufWriter gathers them.
fn write_frames(pipe: OwnedFd, n: u64, batched: bool) -> bool {
    let file = File::from(pipe);
    let mut out: Box<dyn Write> = if batched {
        Box::new(BufWriter::with_capacity(64 * 1024, file))
    } else {
        Box::new(file)
    };
    let mut frame = [0u8; FRAME_MAX];
    for i in 0..n {
        let len = match postcard::to_slice(&item(i), &mut frame[4..]) {
            Ok(body) => body.len(),
            Err(_) => return false,
        };
        frame[..4].copy_from_slice(&(len as u32).to_le_bytes());
        if out.write_all(&frame[..4 + len]).is_err() {
            return false;
        }
    }
    out.flush().is_ok()
}

/// Reads `n` frames of `write_frames` through a buffer (the reading side is batched in both
/// pipe benches: only the writing side differs).
fn read_frames(pipe: OwnedFd, n: u64) -> Res<Tally> {
    let mut input = BufReader::with_capacity(64 * 1024, File::from(pipe));
    let mut tally = Tally::default();
    let mut frame = [0u8; FRAME_MAX];
    for _ in 0..n {
        let mut len = [0u8; 4];
        input.read_exact(&mut len)?;
        let len = u32::from_le_bytes(len) as usize;
        let body = frame.get_mut(..len).ok_or("frame too long")?;
        input.read_exact(body)?;
        tally.add(postcard::from_bytes(body)?);
    }
    Ok(tally)
}

fn pipe_frames(n: u64, batched: bool) -> Res<Duration> {
    let (read_end, write_end) = nix::unistd::pipe()?;
    let start = Instant::now();
    // The child owns the write end; the parent's copy is closed below so EOF means "done".
    let mut write_end = Some(write_end);
    let writer = fork_child(|| {
        write_end
            .take()
            .is_some_and(|fd| write_frames(fd, n, batched))
    })?;
    drop(write_end);
    let tally = read_frames(read_end, n)?;
    reap(writer)?;
    let took = start.elapsed();
    tally.check(n)?;
    Ok(took)
}

// ---- 3. Batched transfer -------------------------------------------------------------------

fn queue_multitask_batched() -> Res<Duration> {
    let q: Queue<Item> = Queue::new()?;
    let start = Instant::now();
    let mut writer = Process::new(|| -> multitask::Result<()> {
        let mut batch = Vec::with_capacity(BATCH);
        for i in 0..BATCHED_ITEMS {
            batch.push(item(i));
            if batch.len() == BATCH {
                q.put_many(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))?;
            }
        }
        q.put_many(batch)
    });
    writer.start()?;
    let mut tally = Tally::default();
    while tally.count < BATCHED_ITEMS {
        for it in q.get_many(BATCH)? {
            tally.add(it);
        }
    }
    writer.join()?;
    let took = start.elapsed();
    tally.check(BATCHED_ITEMS)?;
    Ok(took)
}

/// What `put_many` stands on: ipc-channel carrying a Vec of items per message.
fn ipc_channel_batched() -> Res<Duration> {
    let (tx, rx) = ipc::channel::<Vec<Item>>()?;
    let start = Instant::now();
    let writer = fork_child(|| {
        let mut i = 0;
        while i < BATCHED_ITEMS {
            let end = (i + BATCH as u64).min(BATCHED_ITEMS);
            if tx.send((i..end).map(item).collect()).is_err() {
                return false;
            }
            i = end;
        }
        true
    })?;
    drop(tx);
    let mut tally = Tally::default();
    while tally.count < BATCHED_ITEMS {
        for it in rx.recv()? {
            tally.add(it);
        }
    }
    reap(writer)?;
    let took = start.elapsed();
    tally.check(BATCHED_ITEMS)?;
    Ok(took)
}

// ---- 4. Pool dispatch ----------------------------------------------------------------------

fn inc(x: u64) -> u64 {
    x + 1
}

fn check_sum(sum: u64, n: u64) -> Res<()> {
    // sum of (i + 1) for i in 0..n
    if sum != n * (n + 1) / 2 {
        return Err(format!("pool results sum to {sum}, expected {}", n * (n + 1) / 2).into());
    }
    Ok(())
}

fn pool_apply_async(pool: &Pool) -> Res<Duration> {
    let start = Instant::now();
    let handles = (0..TASKS)
        .map(|i| pool.apply_async(inc, i))
        .collect::<multitask::Result<Vec<_>>>()?;
    let mut sum = 0;
    for h in &handles {
        sum += h.get()?;
    }
    let took = start.elapsed();
    check_sum(sum, TASKS)?;
    Ok(took)
}

fn pool_map(pool: &Pool) -> Res<Duration> {
    // Python's own default for map: len / (4 * workers), rounded up.
    let chunksize = (TASKS as usize).div_ceil(4 * WORKERS);
    let mut took = Duration::ZERO;
    for _ in 0..MAP_ROUNDS {
        let items: Vec<u64> = (0..TASKS).collect();
        let start = Instant::now();
        let out = pool.map(inc, items, chunksize)?;
        took += start.elapsed();
        check_sum(out.iter().sum(), TASKS)?;
    }
    Ok(took)
}

/// Python's `imap` of small items, its default chunk size of 1: the results one by one, in
/// order, each item a task.
fn pool_imap(pool: &Pool) -> Res<Duration> {
    let start = Instant::now();
    let mut sum = 0;
    for r in pool.imap(inc, (0..TASKS).collect(), 1)? {
        sum += r?;
    }
    let took = start.elapsed();
    check_sum(sum, TASKS)?;
    Ok(took)
}

/// The limit for one task a message: a hand-written pool of forked workers on two
/// ipc-channels (tasks out, results back), at most `WINDOW` tasks unanswered, as the crate's.
fn pool_raw_ipc_channel() -> Res<Duration> {
    const WINDOW: u64 = 96;
    const STOP: u64 = u64::MAX;
    let (tasks_tx, tasks_rx) = ipc::channel::<(u64, u64)>()?;
    let (results_tx, results_rx) = ipc::channel::<(u64, u64)>()?;
    let mut workers = Vec::new();
    for _ in 0..WORKERS {
        workers.push(fork_child(|| {
            while let Ok((id, arg)) = tasks_rx.recv() {
                if id == STOP {
                    return true;
                }
                if results_tx.send((id, inc(arg))).is_err() {
                    return false;
                }
            }
            false
        })?);
    }
    let start = Instant::now();
    let mut results = vec![0; TASKS as usize];
    let (mut sent, mut got) = (0, 0);
    while got < TASKS {
        while sent < TASKS && sent - got < WINDOW {
            tasks_tx.send((sent, sent))?;
            sent += 1;
        }
        let (id, result) = results_rx.recv()?;
        results[id as usize] = result;
        got += 1;
    }
    let took = start.elapsed();
    for _ in &workers {
        tasks_tx.send((STOP, 0))?;
    }
    for worker in workers {
        reap(worker)?;
    }
    check_sum(results.iter().sum(), TASKS)?;
    Ok(took)
}

fn with_pool(job: fn(&Pool) -> Res<Duration>) -> impl FnMut() -> Res<Duration> {
    move || {
        // The pool is made and stopped outside the timing, as on the Python side.
        let pool = Pool::new(Some(WORKERS))?;
        let took = job(&pool)?;
        pool.close()?;
        pool.join()?;
        Ok(took)
    }
}

// ---- main ----------------------------------------------------------------------------------

type Run = Box<dyn FnMut() -> Res<Duration>>;

/// One bench: its implementations, timed in turn within each repetition so that a change in
/// the machine's load touches all of them alike.
struct Group {
    bench: &'static str,
    ops: u64,
    imps: Vec<(&'static str, Run)>,
}

fn plan() -> Vec<Group> {
    vec![
        Group {
            bench: "process_start_join",
            ops: PROCESSES,
            imps: vec![
                ("multitask", Box::new(process_multitask)),
                ("raw_fork_waitpid", Box::new(process_raw)),
            ],
        },
        Group {
            bench: "queue_single",
            ops: QUEUE_ITEMS,
            imps: vec![
                ("multitask", Box::new(queue_multitask)),
                ("raw_ipc_channel", Box::new(queue_ipc_channel)),
                (
                    "raw_pipe_frame_per_write",
                    Box::new(|| pipe_frames(QUEUE_ITEMS, false)),
                ),
            ],
        },
        Group {
            bench: "queue_batched",
            ops: BATCHED_ITEMS,
            imps: vec![
                ("multitask", Box::new(queue_multitask_batched)),
                (
                    "raw_pipe_bufwriter",
                    Box::new(|| pipe_frames(BATCHED_ITEMS, true)),
                ),
                ("raw_ipc_channel_vec", Box::new(ipc_channel_batched)),
            ],
        },
        Group {
            bench: "pool_apply_async",
            ops: TASKS,
            imps: vec![
                ("multitask", Box::new(with_pool(pool_apply_async))),
                ("raw_ipc_channel_pool", Box::new(pool_raw_ipc_channel)),
            ],
        },
        Group {
            bench: "pool_map",
            ops: TASKS * MAP_ROUNDS,
            imps: vec![("multitask", Box::new(with_pool(pool_map)))],
        },
        // Issue 20's names between processes.
        Group {
            bench: "lock_handoff",
            ops: sync::ROUND_TRIPS,
            imps: vec![
                ("multitask", Box::new(sync::lock_handoff)),
                ("raw_futex_round_trip", Box::new(sync::raw_futex_round_trip)),
            ],
        },
        Group {
            bench: "event_round_trip",
            ops: sync::ROUND_TRIPS,
            imps: vec![("multitask", Box::new(sync::event_round_trip))],
        },
        Group {
            bench: "value_increment",
            ops: 2 * sync::INCREMENTS,
            imps: vec![("multitask", Box::new(sync::value_increments))],
        },
        Group {
            bench: "pool_imap",
            ops: TASKS,
            imps: vec![("multitask", Box::new(with_pool(pool_imap)))],
        },
    ]
}

/// Warms each implementation up once, then times each in turn `reps` times; medians.
fn measure(group: &mut Group) -> Res<Vec<Figure>> {
    let bench = group.bench;
    let reps = reps(bench);
    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(reps); group.imps.len()];
    for rep in 0..=reps {
        for (i, (imp, once)) in group.imps.iter_mut().enumerate() {
            let took = once().map_err(|e| format!("{bench} / {imp}: {e}"))?;
            if rep > 0 {
                times[i].push(took);
            }
        }
    }
    Ok(group
        .imps
        .iter()
        .zip(times)
        .map(|((imp, _), mut t)| {
            t.sort();
            Figure {
                bench,
                imp,
                ops: group.ops,
                reps,
                median: t[reps / 2],
            }
        })
        .collect())
}

fn main() -> ExitCode {
    let mut json_only = false;
    let mut filters = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--json" => json_only = true,
            // cargo bench passes --bench; the test harness' other flags mean nothing here.
            a if a.starts_with("--") => {}
            a => filters.push(a.to_string()),
        }
    }
    match run(json_only, &filters) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ipc bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(json_only: bool, filters: &[String]) -> Res<()> {
    let mut all = Vec::new();
    if !json_only {
        println!(
            "multitask IPC bench: {} cores, median of {REPS} to {} runs after a warm-up",
            multitask::cpu_count(),
            3 * REPS
        );
        println!(
            "{:<20} {:<26} {:>14} {:>12} {:>12}",
            "bench", "implementation", "ops/s", "us/op", "multitask/it"
        );
    }
    for mut group in plan() {
        if !filters.is_empty() && !filters.iter().any(|f| group.bench.contains(f.as_str())) {
            continue;
        }
        let figures = measure(&mut group)?;
        let ours = figures[0].ops_per_sec();
        for figure in &figures {
            if json_only {
                println!("{}", json_line(figure));
            } else {
                println!(
                    "{:<20} {:<26} {:>14.0} {:>12.3} {:>12.2}",
                    figure.bench,
                    figure.imp,
                    figure.ops_per_sec(),
                    1e6 / figure.ops_per_sec(),
                    ours / figure.ops_per_sec()
                );
            }
        }
        all.extend(figures);
    }
    if !json_only {
        println!();
        for figure in &all {
            println!("{}", json_line(figure));
        }
    }
    Ok(())
}

fn json_line(f: &Figure) -> String {
    format!(
        "{{\"bench\":\"{}\",\"impl\":\"{}\",\"ops_per_sec\":{:.1},\"ops\":{},\"reps\":{}}}",
        f.bench,
        f.imp,
        f.ops_per_sec(),
        f.ops,
        f.reps
    )
}
