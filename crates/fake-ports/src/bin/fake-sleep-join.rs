//! `fake-sleep-join KIND SECONDS`: a Process, thread or Pool port (KIND `process`, `thread`,
//! `pool`) that sleeps a fixed SECONDS (not scaled by `MULTITASK_TIME_SCALE`, as a student's
//! sleep is not) where the notes' program joins, prints the line that must come last, and joins
//! only then. Graded with `process`, `thread` and `pool 2`.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use fake_ports::say;
use multitask::{Pool, Process, current_pid};

fn nap(seconds: f64) {
    std::thread::sleep(Duration::from_secs_f64(seconds));
}

fn process(seconds: f64) -> Result<(), String> {
    say(&format!("Parent process {}.", current_pid()));
    let mut p = Process::new(|| say(&format!("Run child process test ({})...", current_pid())));
    say("Process will start.");
    p.start().map_err(|e| e.to_string())?;
    nap(seconds);
    say("Process end.");
    p.join().map_err(|e| e.to_string())
}

fn thread(seconds: f64) -> Result<(), String> {
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
    multitask::sleep(5.0);
    nap(seconds);
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

fn pool(seconds: f64) -> Result<(), String> {
    say(&format!("Parent process {}.", current_pid()));
    let p = Pool::new(Some(2)).map_err(|e| e.to_string())?;
    for i in 0..5 {
        p.apply_async(long_time_task, i)
            .map_err(|e| e.to_string())?;
    }
    say("Waiting for all subprocesses done...");
    p.close().map_err(|e| e.to_string())?;
    nap(seconds);
    say("All subprocesses done.");
    p.join().map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    demo_cli::run_main(|| {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let seconds = match args.get(1).map(|s| s.parse::<f64>()) {
            Some(Ok(s)) if s.is_finite() && s >= 0.0 => s,
            _ => return Err("usage: fake-sleep-join process|thread|pool SECONDS".to_string()),
        };
        match args[0].as_str() {
            "process" => process(seconds),
            "thread" => thread(seconds),
            "pool" => pool(seconds),
            other => Err(format!("unknown kind {other:?}: process, thread or pool")),
        }
    })
}
