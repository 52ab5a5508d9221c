//! Line capture: the output pipes read without blocking, stdout cut into time-stamped lines,
//! stderr's tail kept, everything within the output limit.

use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsFd, AsRawFd, OwnedFd, RawFd};
use std::time::Duration;

use nix::fcntl::{FcntlArg, OFlag, fcntl};

use crate::outcome::Line;
use crate::outcome::assembler::{Assembled, Assembler};

/// How much of stderr's end is kept for messages.
const STDERR_TAIL: usize = 4096;

/// Reads what is there now into `sink`; drops the stream at its end or on a read error.
pub(super) fn pump(stream: &mut Option<Stream>, buf: &mut [u8], mut sink: impl FnMut(&[u8])) {
    if let Some(s) = stream.as_mut() {
        match s.read(buf) {
            Ok(Some(n)) => sink(&buf[..n]),
            Ok(None) if s.eof => *stream = None,
            Ok(None) => {}
            Err(_) => *stream = None,
        }
    }
}

/// The read end of one output pipe, non-blocking.
pub(super) struct Stream {
    file: File,
    eof: bool,
}

impl Stream {
    pub(super) fn new(fd: OwnedFd) -> io::Result<Stream> {
        let flags = fcntl(fd.as_fd(), FcntlArg::F_GETFL)?;
        let flags = OFlag::from_bits_retain(flags) | OFlag::O_NONBLOCK;
        fcntl(fd.as_fd(), FcntlArg::F_SETFL(flags))?;
        Ok(Stream {
            file: File::from(fd),
            eof: false,
        })
    }

    pub(super) fn fd(&self) -> RawFd {
        self.file.as_raw_fd()
    }

    /// Some(n) bytes read, None when nothing is there now; marks EOF (and returns None) at the end.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<Option<usize>> {
        if self.eof {
            return Ok(None);
        }
        loop {
            match self.file.read(buf) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(None);
                }
                Ok(n) => return Ok(Some(n)),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(None),
                // A pseudo-terminal's master once every slave descriptor is closed: the end.
                Err(e) if e.raw_os_error() == Some(libc::EIO) => {
                    self.eof = true;
                    return Ok(None);
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// Stdout lines and stderr's tail, within the output limit.
pub(super) struct Capture {
    /// Stdout as it arrives: one writer, as far as a pipe or terminal can tell.
    lines: Assembler<(), ()>,
    stderr: Vec<u8>,
    /// Bytes seen so far, kept or not.
    pub(super) total: usize,
    /// Bytes of stdout seen so far, kept or not.
    pub(super) stdout_total: usize,
    limit: usize,
    /// The output passed the limit: the rest is discarded.
    pub(super) limit_hit: bool,
}

impl Capture {
    pub(super) fn new(limit: usize) -> Self {
        Capture {
            lines: Assembler::default(),
            stderr: Vec::new(),
            total: 0,
            stdout_total: 0,
            limit,
            limit_hit: false,
        }
    }

    /// Counts `n` more bytes against the limit; returns how many of them may be kept.
    fn admit(&mut self, n: usize) -> usize {
        let room = self.limit.saturating_sub(self.total);
        self.total = self.total.saturating_add(n);
        if n > room {
            self.limit_hit = true;
        }
        n.min(room)
    }

    /// The stdout lines captured so far.
    pub(super) fn lines(&self) -> &[Assembled<(), ()>] {
        self.lines.lines()
    }

    pub(super) fn stdout(&mut self, data: &[u8], at: Duration) {
        self.stdout_total = self.stdout_total.saturating_add(data.len());
        if self.limit_hit {
            return;
        }
        let keep = self.admit(data.len());
        self.lines.push((), (), at, &data[..keep]);
    }

    pub(super) fn stderr(&mut self, data: &[u8]) {
        if self.limit_hit {
            return;
        }
        let keep = self.admit(data.len());
        self.stderr.extend_from_slice(&data[..keep]);
        if self.stderr.len() > 2 * STDERR_TAIL {
            let cut = self.stderr.len() - STDERR_TAIL;
            self.stderr.drain(..cut);
        }
    }

    /// The stdout lines (a last line without its newline too, at its last bytes' time, unless
    /// the limit cut it short) and stderr's tail.
    /// The flag: stdout's last line has no newline after it (the limit's cut aside).
    pub(super) fn finish(self) -> (Vec<Line>, String, bool) {
        let limit_hit = self.limit_hit;
        let assembled = self.lines.finish();
        let unterminated = !limit_hit && assembled.last().is_some_and(|l| !l.terminated);
        let lines = assembled
            .into_iter()
            .filter(|l| l.terminated || !limit_hit)
            .map(|l| Line {
                text: l.text,
                utf8: l.utf8,
                at: l.at,
                writer: None,
            })
            .collect();
        let tail_start = self.stderr.len().saturating_sub(STDERR_TAIL);
        let tail = String::from_utf8_lossy(&self.stderr[tail_start..]).into_owned();
        (lines, tail, unterminated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_and_limit() {
        let mut c = Capture::new(10);
        c.stdout(b"ab\ncd", Duration::from_millis(1));
        c.stdout(b"e\nfghijk", Duration::from_millis(2));
        assert!(c.limit_hit);
        let (lines, _, _) = c.finish();
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["ab", "cde"]);
        assert_eq!(lines[1].at, Duration::from_millis(2));
    }

    #[test]
    fn last_line_without_newline_and_bad_utf8() {
        let mut c = Capture::new(1000);
        c.stdout(b"ok\nbad \xff", Duration::ZERO);
        let (lines, _, _) = c.finish();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].utf8);
        assert!(!lines[1].utf8);
        assert_eq!(lines[1].text, "bad \u{fffd}");
    }

    #[test]
    fn stderr_keeps_its_tail() {
        let mut c = Capture::new(1 << 20);
        for i in 0..10_000 {
            c.stderr(format!("{i}\n").as_bytes());
        }
        let (_, tail, _) = c.finish();
        assert!(tail.len() <= STDERR_TAIL);
        assert!(tail.ends_with("9999\n"));
    }
}
