//! The one error type of the crate, with a kind a caller can match on.

use std::io;

/// What went wrong, coarsely, so that callers can react (e.g. a closed connection is the normal
/// end of a master, a failed authentication is not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The operating system refused something (connect, bind, read, write).
    Io,
    /// The peer closed the connection at a message boundary.
    Closed,
    /// The authkey handshake failed: the peers do not share the same authkey.
    Authentication,
    /// The peer sent something that does not follow the protocol.
    Protocol,
    /// The name asked for was never registered on the server.
    NoSuchQueue,
}

/// Errors of the queue manager, its server and its clients.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The operating system refused an operation (connect, bind, read, write).
    #[error("{context}: {source}")]
    Io {
        /// What was being done, e.g. "cannot connect to 127.0.0.1:5000".
        context: String,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// The peer closed the connection at a message boundary.
    #[error("the connection was closed by the other side")]
    Closed,
    /// The authkey handshake failed; the text says which side refused.
    #[error("authentication failed: {0}")]
    Authentication(String),
    /// The peer broke the protocol; the text says how.
    #[error("protocol error: {0}")]
    Protocol(String),
    /// No queue of this name is registered on the server.
    #[error("no queue named {0:?} is registered on the server")]
    NoSuchQueue(String),
}

impl Error {
    /// The coarse kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Io { .. } => ErrorKind::Io,
            Error::Closed => ErrorKind::Closed,
            Error::Authentication(_) => ErrorKind::Authentication,
            Error::Protocol(_) => ErrorKind::Protocol,
            Error::NoSuchQueue(_) => ErrorKind::NoSuchQueue,
        }
    }

    pub(crate) fn io(context: impl Into<String>, source: io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
