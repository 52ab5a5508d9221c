//! `Pipe`: Python's `multiprocessing.Pipe()`, two connected ends that send and receive.

use std::any::type_name;
use std::cell::RefCell;
use std::fmt;
use std::time::Duration;

use ipc_channel::ipc::{self, IpcReceiver, IpcSender};
use ipc_channel::{IpcError, TryRecvError};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorKind, Result};

/// One end of a [`Pipe`]: what it sends the other end receives, and the other way round.
///
/// ```
/// let (a, b): (multitask::Connection<u8>, _) = multitask::Pipe::new()?;
/// b.send(5)?;
/// assert_eq!(a.recv()?, 5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Connection<T> {
    /// Both `None` once this process closed its copy of the end.
    tx: RefCell<Option<IpcSender<T>>>,
    rx: RefCell<Option<IpcReceiver<T>>>,
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
        let (a_tx, b_rx) = ipc::channel().map_err(|e| Error::channel("pipe create", e))?;
        let (b_tx, a_rx) = ipc::channel().map_err(|e| Error::channel("pipe create", e))?;
        Ok((Connection::from(a_tx, a_rx), Connection::from(b_tx, b_rx)))
    }
}

impl<T: Serialize + DeserializeOwned> Connection<T> {
    fn from(tx: IpcSender<T>, rx: IpcReceiver<T>) -> Self {
        Connection {
            tx: RefCell::new(Some(tx)),
            rx: RefCell::new(Some(rx)),
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
        self.tx.borrow_mut().take();
        self.rx.borrow_mut().take();
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
        let tx = self.tx.borrow();
        let tx = tx.as_ref().ok_or_else(closed)?;
        tx.send(value).map_err(|e| match e {
            IpcError::SerializationError(e) => {
                Error::caused(ErrorKind::Serialize, format!("a {}", type_name::<T>()), e)
            }
            other => Error::channel("pipe send", other),
        })
    }

    /// Receives the next value from the other end, waiting for it.
    ///
    /// ```
    /// let (a, b) = multitask::Pipe::new()?;
    /// a.send(vec![1, 2])?;
    /// assert_eq!(b.recv()?, vec![1, 2]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn recv(&self) -> Result<T> {
        let rx = self.rx.borrow();
        rx.as_ref()
            .ok_or_else(closed)?
            .recv()
            .map_err(recv_error::<T>)
    }

    /// Like `recv`, but fails with `Timeout` after `timeout`.
    ///
    /// ```
    /// use std::time::Duration;
    /// let (a, _b) = multitask::Pipe::new::<u8>()?;
    /// assert!(a.recv_timeout(Duration::from_millis(5)).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn recv_timeout(&self, timeout: Duration) -> Result<T> {
        let rx = self.rx.borrow();
        match rx.as_ref().ok_or_else(closed)?.try_recv_timeout(timeout) {
            Ok(value) => Ok(value),
            Err(TryRecvError::Empty) => Err(Error::new(ErrorKind::Timeout, "nothing arrived")),
            Err(TryRecvError::IpcError(e)) => Err(recv_error::<T>(e)),
        }
    }
}

fn recv_error<T>(e: IpcError) -> Error {
    match e {
        IpcError::SerializationError(e) => Error::caused(
            ErrorKind::Deserialize,
            format!("not a valid {}", type_name::<T>()),
            e,
        ),
        IpcError::Disconnected => Error::new(ErrorKind::Disconnected, "the other end is gone"),
        other => Error::channel("pipe recv", other),
    }
}

fn closed() -> Error {
    Error::new(ErrorKind::State, "this end of the pipe is closed")
}
