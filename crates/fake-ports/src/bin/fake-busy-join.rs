//! `fake-busy-join KIND HOW [SECONDS]`: a Process, thread, Pool or Queue port (KIND `process`,
//! `thread`, `pool`, `queue`) that waits where the notes' program joins, prints the line that
//! must come after the join (or, queue, terminates the reader), and joins only then. HOW it
//! waits: `spin` (a busy loop on the clock), `event` (a condition variable's timed wait that
//! nobody ends) or `select` (`select` on a pipe nobody writes). The pool takes every task's
//! result first (multitask's pool runs tasks only as its owner asks after them) and closes and
//! joins the pool after its line, so its workers are idle but alive when it waits. SECONDS, not scaled (a student's
//! wait is not), default 1.5 plus the example's own time x `MULTITASK_TIME_SCALE` (5.5 s for
//! the thread, 10 s for the pool, 3 s for the queue): long enough that the other task is done
//! in an ordinary run. Graded with `process`, `thread`, `pool 2` and `queue`.

use std::process::ExitCode;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use fake_ports::say;
use multitask::{Pool, Process, Queue, current_pid};

/// Waits `seconds` the way `how` says, for nothing.
fn wait(how: &str, seconds: f64) -> Result<(), String> {
    let d = Duration::from_secs_f64(seconds);
    match how {
        "spin" => {
            let end = Instant::now() + d;
            while Instant::now() < end {
                std::hint::spin_loop();
            }
        }
        "event" => {
            let (lock, cv) = (Mutex::new(()), Condvar::new());
            let guard = lock.lock().map_err(|_| "poisoned".to_string())?;
            let _ = cv
                .wait_timeout(guard, d)
                .map_err(|_| "poisoned".to_string())?;
        }
        "select" => {
            let mut fds = [0i32; 2];
            // SAFETY: pipe writes two descriptors into the array we own.
            if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
                return Err("pipe failed".into());
            }
            let mut tv = libc::timeval {
                tv_sec: d.as_secs() as libc::time_t,
                tv_usec: d.subsec_micros() as libc::suseconds_t,
            };
            // SAFETY: an fd_set we own, zeroed then filled by FD_SET with a descriptor below
            // FD_SETSIZE; select reads it and the timeval for the call's length.
            unsafe {
                let mut set: libc::fd_set = std::mem::zeroed();
                libc::FD_SET(fds[0], &mut set);
                libc::select(
                    fds[0] + 1,
                    &mut set,
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    &mut tv,
                );
                libc::close(fds[0]);
                libc::close(fds[1]);
            }
        }
        other => {
            return Err(format!(
                "unknown way to wait {other:?}: spin, event or select"
            ));
        }
    }
    Ok(())
}

fn process(how: &str, seconds: f64) -> Result<(), String> {
    say(&format!("Parent process {}.", current_pid()));
    let mut p = Process::new(|| say(&format!("Run child process test ({})...", current_pid())));
    say("Process will start.");
    p.start().map_err(|e| e.to_string())?;
    wait(how, seconds)?;
    say("Process end.");
    p.join().map_err(|e| e.to_string())
}

fn thread(how: &str, seconds: f64) -> Result<(), String> {
    say("thread MainThread is running...");
    let t = std::thread::Builder::new()
        .name("LoopThread".into())
        .spawn(|| {
            say("thread LoopThread is running...");
            for n in 1..=5 {
                say(&format!("thread LoopThread >>> {n}"));
                multitask::sleep(1.0);
            }
            say("thread LoopThread ended.");
        })
        .map_err(|e| format!("cannot start LoopThread: {e}"))?;
    wait(how, seconds)?;
    say("thread MainThread ended.");
    t.join().map_err(|_| "LoopThread panicked".to_string())
}

fn long_time_task(name: u32) {
    say(&format!("Run task {} ({})...", name, current_pid()));
    let start = Instant::now();
    multitask::sleep(multitask::random() * 3.0);
    say(&format!(
        "Task {} runs {:.2} seconds.",
        name,
        start.elapsed().as_secs_f64()
    ));
}

fn pool(how: &str, seconds: f64) -> Result<(), String> {
    say(&format!("Parent process {}.", current_pid()));
    let p = Pool::new(Some(2)).map_err(|e| e.to_string())?;
    let mut results = Vec::new();
    for i in 0..5 {
        results.push(
            p.apply_async(long_time_task, i)
                .map_err(|e| e.to_string())?,
        );
    }
    say("Waiting for all subprocesses done...");
    // multitask's pool hands out tasks as its owner asks after them: take every result (the
    // workers stay alive, the pool not closed), then wait as a student waits instead of
    // joining.
    for r in results {
        r.get().map_err(|e| e.to_string())?;
    }
    wait(how, seconds)?;
    say("All subprocesses done.");
    p.close().map_err(|e| e.to_string())?;
    p.join().map_err(|e| e.to_string())
}

fn queue(how: &str, seconds: f64) -> Result<(), String> {
    let q: Queue<String> = Queue::new().map_err(|e| e.to_string())?;
    let mut pw = Process::new(|| {
        for value in ["A", "B", "C"] {
            say(&format!("Put {value} to queue..."));
            if q.put(value.to_string()).is_err() {
                return;
            }
            multitask::sleep(multitask::random());
        }
    });
    let mut pr = Process::new(|| {
        while let Ok(value) = q.get() {
            say(&format!("Get {value} from queue."));
        }
    });
    pw.start().map_err(|e| e.to_string())?;
    pr.start().map_err(|e| e.to_string())?;
    wait(how, seconds)?;
    pr.terminate().map_err(|e| e.to_string())?;
    pw.join().map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    demo_cli::run_main(|| {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let usage = "usage: fake-busy-join process|thread|pool|queue spin|event|select [SECONDS]";
        let (Some(kind), Some(how)) = (args.first(), args.get(1)) else {
            return Err(usage.to_string());
        };
        let own = match kind.as_str() {
            "thread" => 5.5,
            "pool" => 10.0,
            "queue" => 3.0,
            _ => 0.0,
        };
        let seconds = match args.get(2).map(|s| s.parse::<f64>()) {
            None => 1.5 + own * multitask::time_scale(),
            Some(Ok(s)) if s.is_finite() && s >= 0.0 => s,
            Some(_) => return Err(usage.to_string()),
        };
        match kind.as_str() {
            "process" => process(how, seconds),
            "thread" => thread(how, seconds),
            "pool" => pool(how, seconds),
            "queue" => queue(how, seconds),
            other => Err(format!(
                "unknown kind {other:?}: process, thread, pool or queue"
            )),
        }
    })
}
