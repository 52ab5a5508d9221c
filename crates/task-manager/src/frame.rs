//! Length-prefixed frames, as Python's `multiprocessing.connection` sends them: a 4-byte
//! big-endian length, then that many bytes.

use std::io::{self, Read, Write};

use crate::error::{Error, Result};

/// The largest frame accepted during the handshake: a challenge or a digest is under 100 bytes,
/// and an unauthenticated peer must not make us allocate more.
pub const HANDSHAKE_LIMIT: usize = 256;

/// The largest frame accepted once the peer is authenticated.
pub const MESSAGE_LIMIT: usize = 16 * 1024 * 1024;

/// Writes `payload` as one frame. A peer that has gone away gives [`Error::Closed`].
pub fn write_frame(w: &mut impl Write, payload: &[u8]) -> Result<()> {
    let len = u32::try_from(payload.len())
        .map_err(|_| Error::Protocol(format!("a frame of {} bytes is too long", payload.len())))?;
    let mut buf = Vec::with_capacity(4 + payload.len());
    buf.extend_from_slice(&len.to_be_bytes());
    buf.extend_from_slice(payload);
    // One write for the whole frame: it is never split between two writers' frames.
    w.write_all(&buf).and_then(|()| w.flush()).map_err(|err| {
        if is_reset(&err) || err.kind() == io::ErrorKind::BrokenPipe {
            Error::Closed
        } else {
            Error::io("cannot send", err)
        }
    })
}

/// Reads one frame of at most `limit` bytes. A peer that closes the connection before the first
/// byte of a frame gives [`Error::Closed`]; one that closes in the middle is a protocol error.
pub fn read_frame(r: &mut impl Read, limit: usize) -> Result<Vec<u8>> {
    let mut header = [0u8; 4];
    let mut got = 0;
    while got < header.len() {
        match r.read(&mut header[got..]) {
            Ok(0) if got == 0 => return Err(Error::Closed),
            Ok(0) => {
                return Err(Error::Protocol(
                    "the connection closed inside a frame".into(),
                ));
            }
            Ok(n) => got += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) if is_reset(&err) && got == 0 => return Err(Error::Closed),
            Err(err) => return Err(Error::io("cannot receive", err)),
        }
    }
    let len = u32::from_be_bytes(header) as usize;
    if len > limit {
        return Err(Error::Protocol(format!(
            "a frame of {len} bytes exceeds the limit of {limit}"
        )));
    }
    let mut payload = vec![0u8; len];
    r.read_exact(&mut payload).map_err(|err| {
        if err.kind() == io::ErrorKind::UnexpectedEof {
            Error::Protocol("the connection closed inside a frame".into())
        } else {
            Error::io("cannot receive", err)
        }
    })?;
    Ok(payload)
}

/// A peer that died (killed, crashed) resets the connection instead of closing it: between two
/// frames that is the same end of the conversation as a close.
fn is_reset(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted
    )
}
