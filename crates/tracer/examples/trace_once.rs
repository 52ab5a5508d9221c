//! Traces one command and prints what it wrote and the trace as one JSON object.
//!
//!     trace_once [--shake SEED,MAX_MS] [--refusals] -- COMMAND [ARGS...]
//!
//! Output: `{"stdout": "...", "stderr": "...", "trace": {...}}`. Bad usage or a command that
//! cannot be traced: one line on stderr, status 2.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tracer::{Shake, TraceOptions};

fn usage(msg: &str) -> ! {
    eprintln!(
        "trace_once: {msg} (usage: trace_once [--shake SEED,MAX_MS] [--refusals] -- COMMAND [ARGS...])"
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
    while let Some(a) = args.next() {
        match a.as_str() {
            "--shake" => {
                let v = args
                    .next()
                    .unwrap_or_else(|| usage("--shake needs SEED,MAX_MS"));
                opts.shake = Some(parse_shake(&v).unwrap_or_else(|| usage("bad --shake")));
            }
            "--refusals" => opts.watch_refusals = true,
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
    .map(|r| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut buf);
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
