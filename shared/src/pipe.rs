//! `Pipe`: Python's `multiprocessing.Pipe()`, two connected ends that send and receive: a
//! stream socket pair carrying one length-prefixed frame a value, as Python's `Connection`
//! does.

mod python;

use std::any::type_name;
use std::cell::RefCell;
use std::fmt;
use std::marker::PhantomData;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorKind, Result};
use crate::frames::{self, Filled, Inbox};
use crate::per_process::PerProcess;
use crate::{codec, deadline};

/// One end of a [`Pipe`]: what it sends the other end receives, and the other way round.
///
/// ```
/// let (a, b): (multitask::Connection<u8>, _) = multitask::Pipe::new()?;
/// b.send(5)?;
/// assert_eq!(a.recv()?, 5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Connection<T> {
    /// `None` once this process closed its copy of the end.
    end: RefCell<Option<OwnedFd>>,
    /// Bytes this process received and has not yet taken as values (a forked child starts
    /// with none: they were its parent's).
    inbox: PerProcess<Inbox>,
    /// Python's `readable` and `writable` (one of them false for an end of `Pipe(false)`).
    readable: bool,
    writable: bool,
    _values: PhantomData<fn(T) -> T>,
}

impl<T> fmt::Debug for Connection<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("item", &type_name::<T>())
            .finish()
    }
}

/// Python's `Pipe()`: makes the two ends of a duplex connection.
///
/// Make it before forking; then each process keeps using its own end. Values travel serialized.
///
/// ```
/// use multitask::{Pipe, Process};
/// let (parent_conn, child_conn) = Pipe::new()?;
/// let mut p = Process::new(|| {
///     let n: u32 = child_conn.recv()?;
///     child_conn.send(n + 1)
/// });
/// p.start()?;
/// parent_conn.send(41)?;
/// assert_eq!(parent_conn.recv()?, 42);
/// p.join()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Pipe;

impl Pipe {
    /// The two ends, `(parent_conn, child_conn)` by the usual naming.
    ///
    /// ```
    /// let (a, b) = multitask::Pipe::new()?;
    /// a.send("ping".to_string())?;
    /// assert_eq!(b.recv()?, "ping");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[allow(clippy::new_ret_no_self)]
    pub fn new<T: Serialize + DeserializeOwned>() -> Result<(Connection<T>, Connection<T>)> {
        Pipe::with_duplex(true)
    }

    /// Python's `Pipe(duplex)`: with `false`, `(receiver, sender)`: the first end only
    /// receives and the second only sends (the other way is a `State` error, as Python's
    /// `OSError`).
    ///
    /// ```
    /// let (r, w) = multitask::Pipe::with_duplex(false)?;
    /// w.send(1u8)?;
    /// assert_eq!(r.recv()?, 1);
    /// assert!(r.send(2).is_err());
    /// assert!(!r.writable() && !w.readable());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_duplex<T: Serialize + DeserializeOwned>(
        duplex: bool,
    ) -> Result<(Connection<T>, Connection<T>)> {
        let (a, b) = frames::socket_pair()?;
        if duplex {
            return Ok((
                Connection::from(a, true, true),
                Connection::from(b, true, true),
            ));
        }
        // The kernel refuses the wrong way too, in every process that holds a copy.
        // SAFETY: shutdown on two fds this function owns.
        unsafe {
            libc::shutdown(a.as_raw_fd(), libc::SHUT_WR);
            libc::shutdown(b.as_raw_fd(), libc::SHUT_RD);
        }
        Ok((
            Connection::from(a, true, false),
            Connection::from(b, false, true),
        ))
    }
}

impl<T: Serialize + DeserializeOwned> Connection<T> {
    fn from(end: OwnedFd, readable: bool, writable: bool) -> Self {
        Connection {
            end: RefCell::new(Some(end)),
            inbox: PerProcess::default(),
            readable,
            writable,
            _values: PhantomData,
        }
    }

    /// Closes this process's copy of the end (Python's `close()`). Once every process has closed
    /// its copy, `recv` at the other end fails with `Disconnected` (Python's `EOFError`): so each
    /// process closes the end it does not use, right after the fork.
    ///
    /// ```
    /// let (a, b) = multitask::Pipe::new::<u8>()?;
    /// a.close();
    /// assert_eq!(b.recv().unwrap_err().kind(), multitask::ErrorKind::Disconnected);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn close(&self) {
        self.end.borrow_mut().take();
    }

    /// Sends a value to the other end.
    ///
    /// ```
    /// let (a, b) = multitask::Pipe::new()?;
    /// b.send(1u8)?;
    /// assert_eq!(a.recv()?, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn send(&self, value: T) -> Result<()> {
        if !self.writable {
            return Err(Error::new(ErrorKind::State, "this end only receives"));
        }
        let end = self.end.borrow();
        let end = end.as_ref().ok_or_else(closed)?;
        // Encoded after room for the frame's prefix: sent as it is, with no copy.
        let mut frame = codec::encode_into(&value, frames::PREFIX.to_vec(), type_name::<T>())?;
        frames::send_prefixed(end.as_fd(), &mut frame)
    }

    /// Receives the next value from the other end, waiting for it. Fails with
    /// `Disconnected` once every copy of the other end is closed (Python's `EOFError`), and
    /// with `Deserialize` on a value that does not decode (it is consumed; the next one is
    /// read as usual).
    ///
    /// ```
    /// let (a, b) = multitask::Pipe::new()?;
    /// a.send(vec![1, 2])?;
    /// assert_eq!(b.recv()?, vec![1, 2]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn recv(&self) -> Result<T> {
        self.recv_with(None, |frame| codec::decode_as(frame, type_name::<T>()))
    }

    /// Like `recv`, but fails with `Timeout` after `timeout` (`Duration::MAX`: never).
    ///
    /// ```
    /// use std::time::Duration;
    /// let (a, _b) = multitask::Pipe::new::<u8>()?;
    /// assert!(a.recv_timeout(Duration::from_millis(5)).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn recv_timeout(&self, timeout: Duration) -> Result<T> {
        self.recv_with(deadline::after(timeout), |frame| {
            codec::decode_as(frame, type_name::<T>())
        })
    }

    /// Receives the next frame, waiting until `deadline`, and gives it to `take`.
    fn recv_with<R>(
        &self,
        deadline: Option<Instant>,
        take: impl FnOnce(&[u8]) -> Result<R>,
    ) -> Result<R> {
        if !self.readable {
            return Err(Error::new(ErrorKind::State, "this end only sends"));
        }
        let end = self.end.borrow();
        let end = end.as_ref().ok_or_else(closed)?;
        let mut inbox = self.inbox.borrow_mut();
        loop {
            if let Some(frame) = inbox.next_frame() {
                return take(frame);
            }
            if deadline.is_some() {
                let left = deadline::left(deadline);
                if !frames::wait_readable(end.as_fd(), left) {
                    return Err(Error::new(ErrorKind::Timeout, "nothing arrived"));
                }
            }
            if inbox.fill(end.as_fd(), deadline.is_none())? == Filled::Closed {
                let what = if inbox.has_partial() {
                    "the other end is gone in the middle of a value"
                } else {
                    "the other end is gone"
                };
                return Err(Error::new(ErrorKind::Disconnected, what));
            }
        }
    }
}

fn closed() -> Error {
    Error::new(ErrorKind::State, "this end of the pipe is closed")
}
