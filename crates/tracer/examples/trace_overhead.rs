//! What tracing costs: the wall time of each demo (and any extra command) run traced against
//! untraced, and traced with channel traffic recorded (every read stopped, the bytes through
//! pipes and sockets kept, the waits for children and the signals sent followed, as the grader
//! traces), alternating, in one run of this benchmark;
//! medians and their ratios.
//!
//!     trace_overhead [--runs N] [--bin-dir DIR] [--scale F] [-- EXTRA COMMAND...]
//!
//! The demos are the `NAME-demo` binaries in DIR (default: the folder above this example's), one
//! for each built-in spec `crates/grader/specs/NAME.toml`, run with `MULTITASK_TIME_SCALE=F`
//! (default 0.01). Build them first (`cargo build --workspace --bins`).

use std::ffi::OsString;
use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tracer::TraceOptions;

/// The demos: `NAME-demo` for each example, one per built-in spec `crates/grader/specs/NAME.toml`
/// (an example of two programs has no `NAME-demo` and is left out), in name order.
fn demos() -> Vec<String> {
    let specs = concat!(env!("CARGO_MANIFEST_DIR"), "/../grader/specs");
    let mut names: Vec<String> = std::fs::read_dir(specs)
        .unwrap_or_else(|e| usage(&format!("cannot read {specs}: {e}")))
        .filter_map(|e| {
            let path = e.ok()?.path();
            let stem = path.file_stem()?.to_str()?.to_string();
            (path.extension()? == "toml").then(|| format!("{stem}-demo"))
        })
        .collect();
    names.sort();
    names
}

fn usage(msg: &str) -> ! {
    eprintln!(
        "trace_overhead: {msg} (usage: trace_overhead [--runs N] [--bin-dir DIR] [--scale F] [-- EXTRA COMMAND...])"
    );
    std::process::exit(2);
}

fn command(argv: &[OsString], scale: &str) -> Command {
    let mut cmd = Command::new(&argv[0]);
    cmd.args(&argv[1..])
        .env("MULTITASK_TIME_SCALE", scale)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    cmd
}

/// How a run is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Plain,
    Traced,
    /// Traced, channel traffic recorded.
    Channels,
}

/// One run to its end, stdout drained; its wall time.
fn once(argv: &[OsString], scale: &str, mode: Mode) -> Result<Duration, String> {
    let start = Instant::now();
    let mut cmd = command(argv, scale);
    if mode != Mode::Plain {
        let mut opts = TraceOptions::new(start);
        opts.channels = mode == Mode::Channels;
        // Who waited for whose end and who signalled whom, as the grader traces too.
        opts.waits = mode == Mode::Channels;
        let mut run = tracer::spawn(cmd, &opts).map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        if let Some(mut o) = run.take_stdout() {
            o.read_to_end(&mut out).map_err(|e| e.to_string())?;
        }
        run.wait().map_err(|e| e.to_string())?;
    } else {
        let mut child = cmd.spawn().map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        if let Some(mut o) = child.stdout.take() {
            o.read_to_end(&mut out).map_err(|e| e.to_string())?;
        }
        child.wait().map_err(|e| e.to_string())?;
    }
    Ok(start.elapsed())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args_os().skip(1);
    let mut runs = 9usize;
    let mut scale = "0.01".to_string();
    let mut bin_dir = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent()?.parent().map(PathBuf::from))
        .unwrap_or_default();
    let mut extra: Vec<OsString> = Vec::new();
    while let Some(a) = args.next() {
        match a.to_str() {
            Some("--runs") => {
                runs = args
                    .next()
                    .and_then(|v| v.to_str()?.parse().ok())
                    .filter(|n| *n > 0)
                    .unwrap_or_else(|| usage("--runs needs a positive number"))
            }
            Some("--scale") => {
                scale = args
                    .next()
                    .and_then(|v| v.into_string().ok())
                    .unwrap_or_else(|| usage("--scale needs a number"))
            }
            Some("--bin-dir") => {
                bin_dir = args
                    .next()
                    .map(PathBuf::from)
                    .unwrap_or_else(|| usage("--bin-dir needs a folder"))
            }
            Some("--") => extra.extend(args.by_ref()),
            _ => usage(&format!("unknown option {}", a.to_string_lossy())),
        }
    }
    let mut commands: Vec<(String, Vec<OsString>)> = demos()
        .into_iter()
        .map(|d| {
            let argv = vec![bin_dir.join(&d).into_os_string()];
            (d, argv)
        })
        .filter(|(_, argv)| PathBuf::from(&argv[0]).is_file())
        .collect();
    if !extra.is_empty() {
        let name = extra
            .iter()
            .map(|a| a.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" ");
        commands.push((name, extra));
    }
    if commands.is_empty() {
        usage(&format!("no demo binary in {}", bin_dir.display()));
    }
    println!(
        "| program | untraced (ms, median of {runs}) | traced (ms) | ratio | traced, channels recorded (ms) | ratio | channels / traced |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (name, argv) in &commands {
        let mut plain = Vec::new();
        let mut traced = Vec::new();
        let mut channels = Vec::new();
        for _ in 0..runs {
            for (mode, into) in [
                (Mode::Plain, &mut plain),
                (Mode::Traced, &mut traced),
                (Mode::Channels, &mut channels),
            ] {
                match once(argv, &scale, mode) {
                    Ok(d) => into.push(d),
                    Err(e) => {
                        eprintln!("trace_overhead: {name}: {e}");
                        std::process::exit(2);
                    }
                }
            }
        }
        let (p, t, c) = (median(plain), median(traced), median(channels));
        println!(
            "| {name} | {:.1} | {:.1} | {:.2} | {:.1} | {:.2} | {:.2} |",
            p.as_secs_f64() * 1e3,
            t.as_secs_f64() * 1e3,
            t.as_secs_f64() / p.as_secs_f64(),
            c.as_secs_f64() * 1e3,
            c.as_secs_f64() / p.as_secs_f64(),
            c.as_secs_f64() / t.as_secs_f64()
        );
    }
}
