//! Bytes to lines, in one place: one assembler cuts each writer's bytes at its newlines, for the
//! run (a traced run's stdout lines, each with its writer; an untraced run's stdout as it
//! arrived, one writer), and so for the checks that judge those lines, and for the timeline
//! (stdout and stderr per thread, [`writer_lines`]).

use std::collections::HashMap;
use std::hash::Hash;
use std::time::Duration;

use tracer::{Stream, Trace, Write};

/// One line as one writer wrote it, from a trace: what [`writer_lines`] gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriterLine {
    /// The text without its newline (lossy UTF-8; a `\r` before the newline is kept).
    pub text: String,
    /// False when its bytes were not valid UTF-8.
    pub utf8: bool,
    /// When the write that ended it returned (its newline's time), from the trace's start.
    pub at: Duration,
    /// The writing thread.
    pub tid: i32,
    /// The writing process.
    pub tgid: i32,
    /// Stdout or stderr.
    pub stream: Stream,
    /// False for the last bytes of a writer that never wrote a newline after them.
    pub terminated: bool,
    /// The write that ended it held two newlines or more: a flushed buffer (several prints at
    /// once), not one print's line.
    pub burst: bool,
}

/// Every line of `trace`'s writes to stdout and stderr, per writer (thread and stream), in the
/// order their newlines were written; last, each writer's unterminated rest, if any, in the
/// order of their last writes. Writes the tracer kept no bytes of (past its caps, or sendfile)
/// add no text.
pub fn writer_lines(trace: &Trace) -> Vec<WriterLine> {
    lines_of_writes(&trace.writes)
}

/// As [`writer_lines`], of some of a trace's writes (a run's stdout writes, say), in order.
pub(crate) fn lines_of_writes<'w>(writes: impl IntoIterator<Item = &'w Write>) -> Vec<WriterLine> {
    let mut lines = Assembler::default();
    for w in writes {
        lines.push((w.tid, stream_order(w.stream)), w.tgid, w.at, &w.bytes);
    }
    lines
        .finish()
        .into_iter()
        .map(|l| WriterLine {
            text: l.text,
            utf8: l.utf8,
            at: l.at,
            tid: l.key.0,
            tgid: l.who,
            stream: if l.key.1 == 0 {
                Stream::Stdout
            } else {
                Stream::Stderr
            },
            terminated: l.terminated,
            burst: l.burst,
        })
        .collect()
}

/// A stream as a sortable key (stdout first).
fn stream_order(s: Stream) -> u8 {
    match s {
        Stream::Stdout => 0,
        Stream::Stderr => 1,
    }
}

/// One line cut from a writer's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Assembled<K, W> {
    /// The text without its newline; lossy when the bytes were not UTF-8.
    pub(crate) text: String,
    pub(crate) utf8: bool,
    /// When the bytes that ended it came (its newline's; for an unterminated rest, its last).
    pub(crate) at: Duration,
    /// The writer whose bytes these are.
    pub(crate) key: K,
    /// Who wrote the bytes that ended it (a thread's process, say).
    pub(crate) who: W,
    pub(crate) terminated: bool,
    /// The bytes that ended it held two newlines or more.
    pub(crate) burst: bool,
}

/// A writer's bytes since its last newline, and what is known of its last bytes.
#[derive(Debug)]
struct Pending<W> {
    bytes: Vec<u8>,
    at: Duration,
    who: W,
    burst: bool,
}

/// Cuts each writer's (`K`'s) bytes into lines, as they come.
#[derive(Debug)]
pub(crate) struct Assembler<K, W> {
    pending: HashMap<K, Pending<W>>,
    lines: Vec<Assembled<K, W>>,
}

impl<K, W> Default for Assembler<K, W> {
    fn default() -> Self {
        Assembler {
            pending: HashMap::new(),
            lines: Vec::new(),
        }
    }
}

impl<K: Copy + Eq + Hash + Ord, W: Copy> Assembler<K, W> {
    /// `bytes` written by `key` (its process or other facts `who`) at `at`.
    pub(crate) fn push(&mut self, key: K, who: W, at: Duration, bytes: &[u8]) {
        let burst = bytes.iter().filter(|&&b| b == b'\n').count() >= 2;
        let p = self.pending.entry(key).or_insert_with(|| Pending {
            bytes: Vec::new(),
            at,
            who,
            burst,
        });
        (p.at, p.who, p.burst) = (at, who, burst);
        let mut rest = bytes;
        while let Some(nl) = rest.iter().position(|&b| b == b'\n') {
            p.bytes.extend_from_slice(&rest[..nl]);
            let text = std::mem::take(&mut p.bytes);
            self.lines.push(line(text, at, key, who, true, burst));
            rest = &rest[nl + 1..];
        }
        p.bytes.extend_from_slice(rest);
    }

    /// The lines ended so far, in the order their newlines came.
    pub(crate) fn lines(&self) -> &[Assembled<K, W>] {
        &self.lines
    }

    /// Every line: those ended, then each writer's unterminated rest, by the time of its last
    /// bytes (then by writer).
    pub(crate) fn finish(mut self) -> Vec<Assembled<K, W>> {
        let mut rests: Vec<(K, Pending<W>)> = self
            .pending
            .drain()
            .filter(|(_, p)| !p.bytes.is_empty())
            .collect();
        rests.sort_by_key(|(k, p)| (p.at, *k));
        for (key, p) in rests {
            self.lines
                .push(line(p.bytes, p.at, key, p.who, false, p.burst));
        }
        self.lines
    }
}

fn line<K, W>(
    bytes: Vec<u8>,
    at: Duration,
    key: K,
    who: W,
    terminated: bool,
    burst: bool,
) -> Assembled<K, W> {
    let (text, utf8) = match String::from_utf8(bytes) {
        Ok(s) => (s, true),
        Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), false),
    };
    Assembled {
        text,
        utf8,
        at,
        key,
        who,
        terminated,
        burst,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(tid: i32, stream: Stream, ms: u64, bytes: &[u8]) -> Write {
        Write {
            tid,
            tgid: tid,
            stream,
            syscall: "write",
            at: Duration::from_millis(ms),
            len: bytes.len(),
            bytes: bytes.to_vec(),
        }
    }

    fn trace(writes: Vec<Write>) -> Trace {
        Trace {
            main_pid: 1,
            tasks: Vec::new(),
            writes,
            ..Trace::default()
        }
    }

    #[test]
    fn interleaved_writers_each_get_their_own_lines() {
        // Python's unbuffered print: the text, then the newline, in two calls; two processes
        // interleave on the real stdout but each writer's line is whole.
        let t = trace(vec![
            write(10, Stream::Stdout, 1, b"Run task 0"),
            write(11, Stream::Stdout, 2, b"Run task 1"),
            write(10, Stream::Stdout, 3, b"\n"),
            write(11, Stream::Stdout, 4, b"\nrest"),
            write(10, Stream::Stderr, 5, b"oops\n"),
        ]);
        let got: Vec<(String, u64, i32, bool)> = writer_lines(&t)
            .into_iter()
            .map(|l| (l.text, l.at.as_millis() as u64, l.tid, l.terminated))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Run task 0".into(), 3, 10, true),
                ("Run task 1".into(), 4, 11, true),
                ("oops".into(), 5, 10, true),
                ("rest".into(), 4, 11, false),
            ]
        );
    }

    #[test]
    fn bad_utf8_is_shown_lossily_and_flagged() {
        let t = trace(vec![write(3, Stream::Stdout, 1, b"a\xffb\n")]);
        let l = &writer_lines(&t)[0];
        assert_eq!((l.text.as_str(), l.utf8), ("a\u{FFFD}b", false));
    }

    #[test]
    fn a_flushed_buffer_is_a_burst_and_rests_come_by_their_last_bytes() {
        let mut a = Assembler::default();
        a.push(2, (), Duration::from_millis(1), b"late rest");
        a.push(1, (), Duration::from_millis(2), b"one\ntwo\n");
        a.push(1, (), Duration::from_millis(3), b"three\nrest");
        a.push(2, (), Duration::from_millis(4), b" more");
        let got: Vec<(String, bool, bool)> = a
            .finish()
            .into_iter()
            .map(|l| (l.text, l.burst, l.terminated))
            .collect();
        let want = [
            ("one", true, true),
            ("two", true, true),
            ("three", false, true),
            ("rest", false, false),
            ("late rest more", false, false),
        ];
        let want: Vec<(String, bool, bool)> = want
            .iter()
            .map(|(t, b, e)| (t.to_string(), *b, *e))
            .collect();
        assert_eq!(got, want);
    }
}
