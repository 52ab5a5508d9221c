//! Reading a stopped tracee's memory: a buffer, an iovec array, a C string.

use std::io::IoSliceMut;

use nix::errno::Errno;
use nix::sys::uio::{RemoteIoVec, process_vm_readv};
use nix::unistd::Pid;

/// Longest C string read (a path).
const STRING_MAX: usize = 4096;
/// Most iovecs read of one writev.
const IOV_MAX: usize = 1024;

/// Reads `len` bytes at `addr` of task `tid` (fewer if part of the range is unmapped).
pub(crate) fn read_bytes(tid: i32, addr: u64, len: usize) -> Vec<u8> {
    if len == 0 || addr == 0 {
        return Vec::new();
    }
    let mut buf = vec![0u8; len];
    let remote = [RemoteIoVec {
        base: addr as usize,
        len,
    }];
    let got = {
        let mut local = [IoSliceMut::new(&mut buf)];
        process_vm_readv(Pid::from_raw(tid), &mut local, &remote)
    };
    match got {
        Ok(n) => {
            buf.truncate(n);
            buf
        }
        // process_vm_readv may be missing or refused where ptrace itself is allowed.
        Err(Errno::ENOSYS) | Err(Errno::EPERM) => peek_bytes(tid, addr, len),
        Err(_) => Vec::new(),
    }
}

/// Word by word through `PTRACE_PEEKDATA`.
fn peek_bytes(tid: i32, addr: u64, len: usize) -> Vec<u8> {
    let word = std::mem::size_of::<libc::c_long>();
    let mut out = Vec::with_capacity(len);
    let mut at = addr;
    while out.len() < len {
        let Ok(value) =
            nix::sys::ptrace::read(Pid::from_raw(tid), at as nix::sys::ptrace::AddressType)
        else {
            break;
        };
        let bytes = value.to_ne_bytes();
        let take = word.min(len - out.len());
        out.extend_from_slice(&bytes[..take]);
        at += word as u64;
    }
    out
}

/// Reads an array of `count` `struct iovec` at `addr`: (base, len) pairs.
pub(crate) fn read_iovecs(tid: i32, addr: u64, count: u64) -> Vec<(u64, u64)> {
    let count = (count as usize).min(IOV_MAX);
    let raw = read_bytes(tid, addr, count * 16);
    raw.chunks_exact(16)
        .map(|c| {
            let mut base = [0u8; 8];
            let mut len = [0u8; 8];
            base.copy_from_slice(&c[..8]);
            len.copy_from_slice(&c[8..]);
            (u64::from_ne_bytes(base), u64::from_ne_bytes(len))
        })
        .collect()
}

/// Reads the bytes an iovec array points at, up to `max` bytes in all.
pub(crate) fn read_iov_bytes(tid: i32, iov: &[(u64, u64)], max: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for &(base, len) in iov {
        let room = max - out.len();
        if room == 0 {
            break;
        }
        let chunk = read_bytes(tid, base, (len as usize).min(room));
        let short = (chunk.len() as u64) < len;
        out.extend_from_slice(&chunk);
        if short {
            break;
        }
    }
    out
}

/// Reads a NUL-terminated string at `addr` (cut at 4096 bytes), lossily as UTF-8.
pub(crate) fn read_c_string(tid: i32, addr: u64) -> String {
    let mut out = Vec::new();
    let mut at = addr;
    while out.len() < STRING_MAX && at != 0 {
        // Read up to the page end: the next page may be unmapped.
        let to_page_end = 4096 - (at % 4096) as usize;
        let chunk = read_bytes(tid, at, to_page_end.min(STRING_MAX - out.len()));
        if chunk.is_empty() {
            break;
        }
        if let Some(nul) = chunk.iter().position(|&b| b == 0) {
            out.extend_from_slice(&chunk[..nul]);
            return String::from_utf8_lossy(&out).into_owned();
        }
        at += chunk.len() as u64;
        out.extend_from_slice(&chunk);
    }
    String::from_utf8_lossy(&out).into_owned()
}
