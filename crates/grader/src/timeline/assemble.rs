//! Lines per writer, from a trace's writes: what one thread wrote to one stream up to its
//! newline, stamped with the time of the write that carried the newline.

use std::collections::HashMap;
use std::time::Duration;

use tracer::{Stream, Trace};

/// One line as one writer wrote it.
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
}

/// A writer's bytes since its last newline.
#[derive(Debug)]
struct Pending {
    bytes: Vec<u8>,
    tgid: i32,
    at: Duration,
}

/// Every line of `trace`'s writes to stdout and stderr, per writer (thread and stream), in the
/// order their newlines were written; last, each writer's unterminated rest, if any. Writes the
/// tracer kept no bytes of (past its caps, or sendfile) add no text.
pub fn writer_lines(trace: &Trace) -> Vec<WriterLine> {
    let mut pending: HashMap<(i32, Stream), Pending> = HashMap::new();
    let mut out = Vec::new();
    let mut order: Vec<(i32, Stream)> = Vec::new();
    for w in &trace.writes {
        let key = (w.tid, w.stream);
        let p = pending.entry(key).or_insert_with(|| {
            order.push(key);
            Pending {
                bytes: Vec::new(),
                tgid: w.tgid,
                at: w.at,
            }
        });
        p.at = w.at;
        p.tgid = w.tgid;
        let mut rest = w.bytes.as_slice();
        while let Some(nl) = rest.iter().position(|&b| b == b'\n') {
            p.bytes.extend_from_slice(&rest[..nl]);
            out.push(line(std::mem::take(&mut p.bytes), w.at, key, w.tgid, true));
            rest = &rest[nl + 1..];
        }
        p.bytes.extend_from_slice(rest);
    }
    for key in order {
        if let Some(p) = pending.remove(&key)
            && !p.bytes.is_empty()
        {
            out.push(line(p.bytes, p.at, key, p.tgid, false));
        }
    }
    out
}

fn line(
    bytes: Vec<u8>,
    at: Duration,
    (tid, stream): (i32, Stream),
    tgid: i32,
    terminated: bool,
) -> WriterLine {
    let (text, utf8) = match String::from_utf8(bytes) {
        Ok(s) => (s, true),
        Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), false),
    };
    WriterLine {
        text,
        utf8,
        at,
        tid,
        tgid,
        stream,
        terminated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracer::Write;

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
            shake: None,
            holds: Vec::new(),
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
}
