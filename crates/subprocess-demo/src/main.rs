//! Ports 多进程 › 子进程 (subprocess): run a command and print its exit code, then start a
//! command, feed its stdin, and print what it wrote and its exit code.
//!
//! The chapter runs `nslookup www.python.org`, then an interactive `nslookup` fed
//! `set q=mx / python.org / exit`: both need the network and a package many machines lack.
//! Here `uname -s` stands for the first (present on every Linux, in coreutils or busybox, and
//! prints the same `Linux` everywhere), and `sh`, the one interpreter every Linux has, stands for
//! the second: it too reads commands from its stdin until `exit`, so the shape is the same.

// The book (crates/book) pairs each statement tagged `// [N]` with the Python line tagged `# [N]`:
// [book] order = 110, part = "chapter", section = "多进程 › 子进程", python = "tests/reference/ref_subprocess.py", spec = "subprocess"

use std::io::Write;
use std::process::{Command, ExitCode, ExitStatus, Stdio};

use clap::Parser;

/// Runs `uname -s` and prints its exit code, then feeds `sh` three lines and prints what it
/// wrote (the chapter's subprocess, with commands every Linux has).
#[derive(Parser)]
#[command(version)]
struct Args {}

/// What the interactive command reads on its stdin, like the chapter's three nslookup commands.
const SH_INPUT: &[u8] = b"x=6\necho $((x * 7))\nexit\n";

/// Python's `returncode`: the exit status, or minus the signal that killed the child.
fn returncode(status: ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    status.code().or(status.signal().map(|s| -s)).unwrap_or(-1)
}

/// "what: the error", the one line this demo's failure prints.
fn fail(what: &str) -> impl FnOnce(std::io::Error) -> String + '_ {
    move |err| format!("{what}: {err}")
}

fn main() -> ExitCode {
    demo_cli::main(|Args {}| run())
}

fn run() -> Result<(), String> {
    println!("$ uname -s"); // [1]
    // subprocess.call: the child writes straight to our stdout, which it inherits.
    let r = Command::new("uname") // [2]
        .arg("-s")
        .status()
        .map_err(fail("cannot run uname"))?;
    println!("Exit code: {}", returncode(r)); // [3]

    println!("$ sh"); // [4]
    let mut p = Command::new("sh") // [5]
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(fail("cannot run sh"))?;
    // p.communicate(input): write all of stdin, close it, then read every output to the end.
    if let Some(mut stdin) = p.stdin.take() {
        // [6]
        stdin
            .write_all(SH_INPUT)
            .map_err(fail("cannot write to sh"))?;
    }
    let output = p.wait_with_output().map_err(fail("cannot read from sh"))?;
    // Like Python's print(output.decode('utf-8')): the output ends in a newline and print adds
    // one more, hence the empty line before the exit code.
    println!("{}", String::from_utf8_lossy(&output.stdout)); // [7]
    println!("Exit code: {}", returncode(output.status)); // [8]
    Ok(())
}
