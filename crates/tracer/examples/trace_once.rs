//! Traces one command and prints what it wrote and the trace as one JSON object.
//!
//!     trace_once [--shake SEED,MAX_MS] [--refusals] [--channels] [--kill-at-first-line] -- COMMAND [ARGS...]
//!
//! `--kill-at-first-line` kills the whole run through the handle once its first stdout line is in.
//! Output: `{"stdout": "...", "stderr": "...", "trace": {...}}`. Bad usage or a command that
//! cannot be traced: one line on stderr, status 2.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tracer::{Shake, TraceOptions};

fn usage(msg: &str) -> ! {
    eprintln!(
        "trace_once: {msg} (usage: trace_once [--shake SEED,MAX_MS] [--refusals] [--channels] [--kill-at-first-line] -- COMMAND [ARGS...])"
    );
    std::process::exit(2);
}

fn parse_shake(v: &str) -> Option<Shake> {
    let (seed, ms) = v.split_once(',')?;
    Some(Shake::new(
        seed.parse().ok()?,
        Duration::from_millis(ms.parse().ok()?),
    ))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut opts = TraceOptions::new(Instant::now());
    let mut command = Vec::new();
    let mut kill_at_first_line = false;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--shake" => {
                let v = args
                    .next()
                    .unwrap_or_else(|| usage("--shake needs SEED,MAX_MS"));
                opts.shake = Some(parse_shake(&v).unwrap_or_else(|| usage("bad --shake")));
            }
            "--refusals" => opts.watch_refusals = true,
            "--channels" => opts.channels = true,
            "--kill-at-first-line" => kill_at_first_line = true,
            "--" => {
                command.extend(args.by_ref());
            }
            other => usage(&format!("unknown option {other}")),
        }
    }
    let Some((program, rest)) = command.split_first() else {
        usage("no command")
    };
    let mut cmd = Command::new(program);
    cmd.args(rest)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut run = match tracer::spawn(cmd, &opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("trace_once: {e} ({:?})", e.kind());
            std::process::exit(2);
        }
    };
    let readers: Vec<_> = [
        run.take_stdout()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
        run.take_stderr()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, r)| {
        let killer = (i == 0 && kill_at_first_line).then(|| run.killer());
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut r) = r {
                let mut chunk = [0u8; 4096];
                while let Ok(n) = r.read(&mut chunk) {
                    if n == 0 {
                        break;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(k) = killer.as_ref().filter(|_| buf.contains(&b'\n')) {
                        k.kill();
                    }
                }
            }
            String::from_utf8_lossy(&buf).into_owned()
        })
    })
    .collect();
    let trace = match run.wait() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("trace_once: {e}");
            std::process::exit(2);
        }
    };
    let mut texts = readers.into_iter().map(|h| h.join().unwrap_or_default());
    let out = serde_json::json!({
        "stdout": texts.next().unwrap_or_default(),
        "stderr": texts.next().unwrap_or_default(),
        "trace": trace,
    });
    println!("{out}");
}
