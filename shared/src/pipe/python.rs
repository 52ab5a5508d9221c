//! The rest of Python's `Connection`: `poll`, `send_bytes`, `recv_bytes`, `readable`,
//! `writable`.

use std::os::fd::AsFd;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Connection, closed};
use crate::error::{Error, ErrorKind, Result};
use crate::frames;

impl<T: Serialize + DeserializeOwned> Connection<T> {
    /// Python's `poll(timeout)`: whether there is anything to receive, waiting at most
    /// `timeout` for it (`Duration::ZERO`, Python's default, does not wait). True also when the
    /// other end is gone, as Python's: the next `recv` then fails with `Disconnected`.
    ///
    /// ```
    /// use std::time::Duration;
    /// let (a, b) = multitask::Pipe::new()?;
    /// assert!(!a.poll(Duration::ZERO)?);
    /// b.send(1u8)?;
    /// assert!(a.poll(Duration::from_secs(5))?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn poll(&self, timeout: Duration) -> Result<bool> {
        if !self.readable {
            return Err(Error::new(ErrorKind::State, "this end only sends"));
        }
        if self.inbox.borrow_mut().has_partial() {
            return Ok(true);
        }
        let end = self.end.borrow();
        let end = end.as_ref().ok_or_else(closed)?;
        Ok(frames::wait_readable(end.as_fd(), timeout))
    }

    /// Python's `send_bytes(buf)`: sends raw bytes as one message, with no serde (the other
    /// end takes it with [`recv_bytes`](Connection::recv_bytes)).
    ///
    /// ```
    /// let (a, b) = multitask::Pipe::new::<()>()?;
    /// a.send_bytes(b"raw")?;
    /// assert_eq!(b.recv_bytes()?, b"raw");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn send_bytes(&self, bytes: &[u8]) -> Result<()> {
        if !self.writable {
            return Err(Error::new(ErrorKind::State, "this end only receives"));
        }
        let end = self.end.borrow();
        let end = end.as_ref().ok_or_else(closed)?;
        frames::send_frame(end.as_fd(), bytes)
    }

    /// Python's `recv_bytes()`: the next message as raw bytes, waiting for it; `Disconnected`
    /// once every copy of the other end is closed (Python's `EOFError`).
    ///
    /// ```
    /// let (a, b) = multitask::Pipe::new::<()>()?;
    /// b.send_bytes(&[1, 2, 3])?;
    /// assert_eq!(a.recv_bytes()?, vec![1, 2, 3]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn recv_bytes(&self) -> Result<Vec<u8>> {
        self.recv_with(None, |frame| Ok(frame.to_vec()))
    }

    /// Python's `readable`: whether this end receives (false for the sending end of
    /// `Pipe::with_duplex(false)`).
    ///
    /// ```
    /// let (a, _b) = multitask::Pipe::new::<u8>()?;
    /// assert!(a.readable());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn readable(&self) -> bool {
        self.readable
    }

    /// Python's `writable`: whether this end sends (false for the receiving end of
    /// `Pipe::with_duplex(false)`).
    ///
    /// ```
    /// let (a, _b) = multitask::Pipe::new::<u8>()?;
    /// assert!(a.writable());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn writable(&self) -> bool {
        self.writable
    }
}
