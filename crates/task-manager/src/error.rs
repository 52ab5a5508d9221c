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
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: io::Error,
    },
    #[error("the connection was closed by the other side")]
    Closed,
    #[error("authentication failed: {0}")]
    Authentication(String),
    #[error("protocol error: {0}")]
    Protocol(String),
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
