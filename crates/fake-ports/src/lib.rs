//! Ports that fake their concurrency: each prints what the real program prints, and lies about
//! who prints it (a made-up pid, a thread for a process, a process for a thread) or orders its
//! lines with a sleep instead of a join. The grader must fail each one with the check that names
//! its lie (`crates/grade/tests/fakes.rs`); their Python twins are in `tests/fixtures/`.
//!
//! Every binary is `fake-EXAMPLE-LIE`; this library only holds what they share.

/// Prints a line with one write (Rust's stdout is line-buffered: `println!` is one write).
pub fn say(line: &str) {
    println!("{line}");
}
