//! Where the bytes of a channel call are in the tracee's memory, and reading them at its return.

use crate::memory::{read_bytes, read_iov_bytes, read_iovecs};

/// Where the bytes of a read or write on a channel are in the tracee's memory: read at the call's
/// return, when a read's buffers hold them and its count says how many.
#[derive(Debug)]
pub(crate) enum Buffers {
    /// One buffer (read, write, recvfrom, sendto).
    Flat(u64),
    /// An iovec array and its count (readv, writev, ...).
    Iov(u64, u64),
    /// A `struct msghdr` (recvmsg, sendmsg).
    Msg(u64),
    /// An array of `struct mmsghdr` (recvmmsg, sendmmsg): the return value counts messages.
    Mmsg(u64),
    /// Bytes the caller never held (sendfile, splice, tee).
    Unread,
}

/// `struct msghdr`: `msg_iov` and `msg_iovlen` at these offsets, 56 bytes in all (LP64).
const MSG_IOV: usize = 16;
const MSG_IOVLEN: usize = 24;
const MSGHDR_SIZE: usize = 56;
/// `struct mmsghdr`: a msghdr, then `msg_len` (u32), padded to 64 bytes.
const MMSGHDR_SIZE: u64 = 64;
/// Messages of one recvmmsg or sendmmsg read at most.
const MMSG_MAX: u64 = 64;

fn u64_at(raw: &[u8], at: usize) -> Option<u64> {
    let b: [u8; 8] = raw.get(at..at + 8)?.try_into().ok()?;
    Some(u64::from_ne_bytes(b))
}

/// The iovec array of the msghdr at `addr`.
fn msg_iov(tid: i32, addr: u64) -> Vec<(u64, u64)> {
    let hdr = read_bytes(tid, addr, MSGHDR_SIZE);
    match (u64_at(&hdr, MSG_IOV), u64_at(&hdr, MSG_IOVLEN)) {
        (Some(iov), Some(n)) => read_iovecs(tid, iov, n),
        _ => Vec::new(),
    }
}

impl Buffers {
    /// The call moved `ret` (bytes, or messages for the mmsg calls): how many bytes, and the
    /// first `room` of them.
    pub(super) fn take(&self, tid: i32, ret: usize, room: usize) -> (usize, Vec<u8>) {
        match *self {
            Buffers::Flat(addr) => (ret, read_bytes(tid, addr, ret.min(room))),
            Buffers::Iov(addr, n) => (
                ret,
                read_iov_bytes(tid, &read_iovecs(tid, addr, n), ret.min(room)),
            ),
            Buffers::Msg(addr) => (ret, read_iov_bytes(tid, &msg_iov(tid, addr), ret.min(room))),
            Buffers::Mmsg(addr) => {
                let (mut len, mut bytes) = (0usize, Vec::new());
                for i in 0..(ret as u64).min(MMSG_MAX) {
                    let at = addr.wrapping_add(i * MMSGHDR_SIZE);
                    let raw = read_bytes(tid, at.wrapping_add(MSGHDR_SIZE as u64), 4);
                    let Ok(n) = <[u8; 4]>::try_from(raw.as_slice()) else {
                        break;
                    };
                    let n = u32::from_ne_bytes(n) as usize;
                    len += n;
                    let left = room.saturating_sub(bytes.len()).min(n);
                    if left > 0 {
                        bytes.extend(read_iov_bytes(tid, &msg_iov(tid, at), left));
                    }
                }
                (len, bytes)
            }
            Buffers::Unread => (ret, Vec::new()),
        }
    }
}
