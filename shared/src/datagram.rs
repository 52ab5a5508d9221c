//! A many-writer, many-reader message channel on a `SOCK_SEQPACKET` socket pair: each message
//! is sent and received whole by one system call, so any number of forked processes can share
//! both ends. Readers never change the shared file's flags (a non-blocking read is a per-call
//! `MSG_DONTWAIT`): ipc-channel's `try_recv` toggles `O_NONBLOCK` on the file description all
//! forks share, which makes another reader's blocking receive fail with EAGAIN.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::time::Duration;

use crate::error::{Error, ErrorKind, Result};

/// What the kernel is asked for as send buffer: the largest message, and room for many small
/// ones in flight. It grants at most twice `net.core.wmem_max`.
const SEND_BUFFER: libc::c_int = 4 << 20;

#[derive(Debug)]
pub(crate) struct Datagrams {
    send_end: OwnedFd,
    recv_end: OwnedFd,
    /// The largest message this pair carries.
    max: usize,
}

/// The last system call's failure, as a channel error.
fn errno_error(what: &str) -> Error {
    Error::channel(what, std::io::Error::last_os_error())
}

impl Datagrams {
    pub(crate) fn new() -> Result<Self> {
        let mut fds = [0; 2];
        // SAFETY: socketpair writes two new fds into the array on success.
        let made = unsafe {
            libc::socketpair(
                libc::AF_UNIX,
                libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC,
                0,
                fds.as_mut_ptr(),
            )
        };
        if made != 0 {
            return Err(errno_error("socketpair"));
        }
        // SAFETY: both fds are new and owned by nobody else.
        let (send_end, recv_end) =
            unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        let granted = set_send_buffer(&send_end)?;
        Ok(Datagrams {
            send_end,
            recv_end,
            // The kernel charges each message its payload plus bookkeeping against the buffer.
            max: granted / 2 - 4096,
        })
    }

    /// The largest message, in bytes.
    pub(crate) fn max_message(&self) -> usize {
        self.max
    }

    /// Sends one message, waiting while the buffer is full.
    pub(crate) fn send(&self, bytes: &[u8]) -> Result<()> {
        if bytes.len() > self.max {
            return Err(Error::new(
                ErrorKind::Serialize,
                format!(
                    "a message of {} bytes is over the {} bytes a queue carries",
                    bytes.len(),
                    self.max
                ),
            ));
        }
        loop {
            // SAFETY: the buffer is valid for its length; MSG_NOSIGNAL: no SIGPIPE.
            let sent = unsafe {
                libc::send(
                    self.send_end.as_raw_fd(),
                    bytes.as_ptr().cast(),
                    bytes.len(),
                    libc::MSG_NOSIGNAL,
                )
            };
            if sent >= 0 {
                return Ok(());
            }
            if std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
                return Err(errno_error("send"));
            }
        }
    }

    /// Takes one message into `buf` (replacing its contents) if one is there; never waits.
    /// `buf`'s capacity grows once to the largest message; its pages are only touched as far
    /// as messages reach (zero-filling them would fault in megabytes at the first receive).
    pub(crate) fn try_recv(&self, buf: &mut Vec<u8>) -> Result<bool> {
        buf.clear();
        buf.reserve(self.max + 1);
        loop {
            // SAFETY: the kernel writes at most `capacity` bytes into the spare capacity.
            // MSG_TRUNC makes the call return the message's real length, to tell a message
            // that did not fit.
            let got = unsafe {
                libc::recv(
                    self.recv_end.as_raw_fd(),
                    buf.as_mut_ptr().cast(),
                    buf.capacity(),
                    libc::MSG_DONTWAIT | libc::MSG_TRUNC,
                )
            };
            if got >= 0 {
                let got = got as usize;
                if got > self.max {
                    return Err(Error::new(
                        ErrorKind::Channel,
                        format!("a message of {got} bytes was cut to {}", self.max),
                    ));
                }
                // SAFETY: the kernel initialized the first `got` bytes (got <= capacity).
                unsafe { buf.set_len(got) };
                return Ok(true);
            }
            match std::io::Error::last_os_error().raw_os_error() {
                Some(libc::EINTR) => continue,
                Some(libc::EAGAIN) => return Ok(false),
                _ => return Err(errno_error("recv")),
            }
        }
    }

    /// Waits until a message may be there, at most `timeout`.
    pub(crate) fn wait_readable(&self, timeout: Duration) {
        let mut pfd = libc::pollfd {
            fd: self.recv_end.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = timeout.as_millis().clamp(1, i32::MAX as u128) as i32;
        // SAFETY: one valid pollfd for the duration of the call. EINTR or a timeout both just
        // send the caller round its loop again.
        unsafe { libc::poll(&mut pfd, 1, ms) };
    }
}

/// Asks for SEND_BUFFER and returns what was granted.
fn set_send_buffer(fd: &OwnedFd) -> Result<usize> {
    let want = SEND_BUFFER;
    let size = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: option value pointers point at a c_int of the given size.
    unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_SNDBUF,
            (&want as *const libc::c_int).cast(),
            size,
        );
    }
    let mut granted: libc::c_int = 0;
    let mut len = size;
    // SAFETY: as above.
    let read = unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_SNDBUF,
            (&mut granted as *mut libc::c_int).cast(),
            &mut len,
        )
    };
    if read != 0 || granted < 16 << 10 {
        return Err(errno_error("socket buffer size"));
    }
    Ok(granted as usize)
}
