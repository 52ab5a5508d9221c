//! Length-prefixed frames on a stream socket (`AF_UNIX`, `SOCK_STREAM`): a 4-byte little-endian
//! length, then that many bytes. A pool talks to each worker this way and each `Pipe` end is
//! one. Sends use `MSG_NOSIGNAL` (a peer gone is an error, not a SIGPIPE) and a non-blocking
//! receive is a per-call `MSG_DONTWAIT`, so no file flag is ever changed on a socket that forks
//! share.

use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::time::Duration;

use crate::error::{Error, ErrorKind, Result};

/// Bytes of a frame's length prefix.
const HEADER: usize = 4;
/// How much one receive asks for at least.
const READ_CHUNK: usize = 64 << 10;

/// A connected pair of stream sockets, close-on-exec.
pub(crate) fn socket_pair() -> Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: socketpair writes two new fds into the array on success.
    let made = unsafe {
        libc::socketpair(
            libc::AF_UNIX,
            libc::SOCK_STREAM | libc::SOCK_CLOEXEC,
            0,
            fds.as_mut_ptr(),
        )
    };
    if made != 0 {
        return Err(Error::channel(
            "socketpair",
            std::io::Error::last_os_error(),
        ));
    }
    // SAFETY: both fds are new and owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

fn header(len: usize) -> Result<[u8; HEADER]> {
    u32::try_from(len).map(u32::to_le_bytes).map_err(|_| {
        Error::new(
            ErrorKind::Serialize,
            format!("a message of {len} bytes is over the 4 GiB a frame carries"),
        )
    })
}

fn disconnected() -> Error {
    Error::new(ErrorKind::Disconnected, "the other end is gone")
}

/// Sends from `bytes` once: how many the socket took, `None` when it would block.
fn send_some(fd: BorrowedFd<'_>, bytes: &[u8], wait: bool) -> Result<Option<usize>> {
    let flags = libc::MSG_NOSIGNAL | if wait { 0 } else { libc::MSG_DONTWAIT };
    loop {
        // SAFETY: the buffer is valid for its length.
        let sent = unsafe { libc::send(fd.as_raw_fd(), bytes.as_ptr().cast(), bytes.len(), flags) };
        if sent >= 0 {
            return Ok(Some(sent as usize));
        }
        let e = std::io::Error::last_os_error();
        match e.raw_os_error() {
            Some(libc::EINTR) => continue,
            Some(libc::EAGAIN) => return Ok(None),
            Some(libc::EPIPE | libc::ECONNRESET) => return Err(disconnected()),
            _ => return Err(Error::channel("send", e)),
        }
    }
}

/// Sends one whole frame, waiting while the socket's buffer is full.
pub(crate) fn send_frame(fd: BorrowedFd<'_>, payload: &[u8]) -> Result<()> {
    let mut frame = Vec::with_capacity(HEADER + payload.len());
    frame.extend_from_slice(&[0; HEADER]);
    frame.extend_from_slice(payload);
    send_prefixed(fd, &mut frame)
}

/// Room for a frame's length prefix, to put at the start of a buffer the payload is then
/// appended to, so that `send_prefixed` sends it with no copy.
pub(crate) const PREFIX: [u8; HEADER] = [0; HEADER];

/// Sends `frame`, whose first bytes are room for the length prefix (see `PREFIX`) and the rest
/// the payload, waiting while the socket's buffer is full.
pub(crate) fn send_prefixed(fd: BorrowedFd<'_>, frame: &mut [u8]) -> Result<()> {
    let len = frame.len().saturating_sub(HEADER);
    frame[..HEADER].copy_from_slice(&header(len)?);
    let mut done = 0;
    while done < frame.len() {
        done += send_some(fd, &frame[done..], true)?.unwrap_or(0);
    }
    Ok(())
}

/// Frames on their way out, for a sender that must never wait: each `flush` writes what the
/// socket takes now, the rest stays here for the next one.
#[derive(Debug, Default)]
pub(crate) struct Outbox {
    buf: Vec<u8>,
    done: usize,
}

impl Outbox {
    pub(crate) fn push(&mut self, payload: &[u8]) -> Result<()> {
        let header = header(payload.len())?;
        self.buf.extend_from_slice(&header);
        self.buf.extend_from_slice(payload);
        Ok(())
    }

    /// Bytes not yet written.
    pub(crate) fn pending(&self) -> usize {
        self.buf.len() - self.done
    }

    /// Writes what `fd` takes without waiting.
    pub(crate) fn flush(&mut self, fd: BorrowedFd<'_>) -> Result<()> {
        while self.done < self.buf.len() {
            match send_some(fd, &self.buf[self.done..], false)? {
                Some(n) => self.done += n,
                None => break,
            }
        }
        if self.done == self.buf.len() {
            self.buf.clear();
            self.done = 0;
        }
        Ok(())
    }
}

/// Bytes received and not yet taken as frames.
#[derive(Debug, Default)]
pub(crate) struct Inbox {
    buf: Vec<u8>,
    start: usize,
}

/// What one receive found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Filled {
    /// Some bytes arrived.
    Bytes,
    /// Nothing yet (only when not waiting).
    Nothing,
    /// Every copy of the other end is closed.
    Closed,
}

impl Inbox {
    /// The next whole frame received, if there is one.
    pub(crate) fn next_frame(&mut self) -> Option<&[u8]> {
        let have = &self.buf[self.start..];
        let len = u32::from_le_bytes(have.get(..HEADER)?.try_into().ok()?) as usize;
        let frame = have.get(HEADER..HEADER + len)?;
        self.start += HEADER + len;
        Some(frame)
    }

    /// True when part of a frame has arrived and the rest not yet.
    pub(crate) fn has_partial(&self) -> bool {
        self.start < self.buf.len()
    }

    /// Bytes still missing for the frame under way (at least one chunk).
    fn wanted(&self) -> usize {
        let have = &self.buf[self.start..];
        match have.get(..HEADER) {
            Some(h) => {
                let len = u32::from_le_bytes([h[0], h[1], h[2], h[3]]) as usize;
                (HEADER + len).saturating_sub(have.len()).max(READ_CHUNK)
            }
            None => READ_CHUNK,
        }
    }

    /// Receives once from `fd`, waiting for bytes when `wait`.
    pub(crate) fn fill(&mut self, fd: BorrowedFd<'_>, wait: bool) -> Result<Filled> {
        if self.start > 0 && self.start * 2 >= self.buf.len() {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        let want = self.wanted();
        self.buf.reserve(want);
        let spare = self.buf.capacity() - self.buf.len();
        let flags = if wait { 0 } else { libc::MSG_DONTWAIT };
        loop {
            // SAFETY: the kernel writes at most `spare` bytes into the spare capacity.
            let got = unsafe {
                libc::recv(
                    fd.as_raw_fd(),
                    self.buf.as_mut_ptr().add(self.buf.len()).cast(),
                    spare,
                    flags,
                )
            };
            if got > 0 {
                // SAFETY: the kernel initialized `got` more bytes (got <= spare).
                unsafe { self.buf.set_len(self.buf.len() + got as usize) };
                return Ok(Filled::Bytes);
            }
            if got == 0 {
                return Ok(Filled::Closed);
            }
            let e = std::io::Error::last_os_error();
            match e.raw_os_error() {
                Some(libc::EINTR) => continue,
                Some(libc::EAGAIN) => return Ok(Filled::Nothing),
                Some(libc::ECONNRESET) => return Ok(Filled::Closed),
                _ => return Err(Error::channel("recv", e)),
            }
        }
    }
}

/// Waits until `fd` is readable (or closed), at most `timeout`; false on timeout.
pub(crate) fn wait_readable(fd: BorrowedFd<'_>, timeout: Duration) -> bool {
    let mut pfd = libc::pollfd {
        fd: fd.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = timeout.as_millis().min(i32::MAX as u128) as i32;
    // SAFETY: one valid pollfd for the duration of the call.
    let ready = unsafe { libc::poll(&mut pfd, 1, ms) };
    ready > 0
}

#[cfg(test)]
mod tests {
    use std::os::fd::AsFd;

    use super::*;

    #[test]
    fn frames_cross_whole_in_order_and_a_closed_end_is_seen() {
        let (a, b) = socket_pair().unwrap();
        send_frame(a.as_fd(), b"one").unwrap();
        let mut out = Outbox::default();
        out.push(b"").unwrap();
        out.push(&vec![7u8; 300_000]).unwrap();
        out.flush(a.as_fd()).unwrap();
        let mut inbox = Inbox::default();
        let mut got = Vec::new();
        while got.len() < 3 {
            while let Some(frame) = inbox.next_frame() {
                got.push(frame.to_vec());
            }
            if got.len() < 3 {
                out.flush(a.as_fd()).unwrap();
                assert_eq!(inbox.fill(b.as_fd(), false).unwrap(), Filled::Bytes);
            }
        }
        assert_eq!(got[0], b"one");
        assert!(got[1].is_empty());
        assert_eq!(got[2], vec![7u8; 300_000]);
        assert_eq!(out.pending(), 0);
        assert_eq!(inbox.fill(b.as_fd(), false).unwrap(), Filled::Nothing);
        drop(a);
        assert_eq!(inbox.fill(b.as_fd(), true).unwrap(), Filled::Closed);
        assert_eq!(
            send_frame(b.as_fd(), b"x").unwrap_err().kind(),
            ErrorKind::Disconnected
        );
    }
}
