//! A small anonymous shared mapping that every later fork sees: counters and pids that a
//! parent and its children read and write as atomics, with no messages.

use std::ptr::NonNull;

use crate::error::{Error, ErrorKind, Result};

/// A type made only of atomics (or of memory it reaches only under a process-shared lock of its
/// own), valid when all its bytes are zero.
///
/// # Safety
/// The all-zero bit pattern must be a valid value, and the type must be safe to share between
/// threads and processes (no pointers, no heap, no access without an atomic or its lock).
pub(crate) unsafe trait ZeroedAtomics {}

/// One `T` in a shared anonymous mapping, zero-filled.
pub(crate) struct Shared<T: ZeroedAtomics> {
    ptr: NonNull<T>,
}

// SAFETY: T is made only of atomics or lock-guarded memory (ZeroedAtomics), so shared access
// from threads is fine.
unsafe impl<T: ZeroedAtomics> Send for Shared<T> {}
// SAFETY: as above.
unsafe impl<T: ZeroedAtomics> Sync for Shared<T> {}

impl<T: ZeroedAtomics> Shared<T> {
    pub(crate) fn new() -> Result<Self> {
        // SAFETY: a fresh anonymous shared mapping, zero-filled by the kernel, which is a valid T.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                std::mem::size_of::<T>(),
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(Error::last_os("mmap"));
        }
        let ptr = NonNull::new(ptr.cast::<T>())
            .ok_or_else(|| Error::new(ErrorKind::Os, "mmap returned null"))?;
        Ok(Shared { ptr })
    }
}

impl<T: ZeroedAtomics> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the mapping lives as long as self and holds a valid T.
        unsafe { self.ptr.as_ref() }
    }
}

impl<T: ZeroedAtomics + std::fmt::Debug> std::fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: ZeroedAtomics> Drop for Shared<T> {
    fn drop(&mut self) {
        // SAFETY: unmapping our own mapping once; other processes keep theirs.
        unsafe { libc::munmap(self.ptr.as_ptr().cast(), std::mem::size_of::<T>()) };
    }
}

/// `len` values of `T` in one shared anonymous mapping, zero-filled: an `Array`'s items.
pub(crate) struct SharedSlice<T: ZeroedAtomics> {
    ptr: NonNull<T>,
    len: usize,
}

// SAFETY: as for Shared: T is only reached atomically or under a lock of its own.
unsafe impl<T: ZeroedAtomics> Send for SharedSlice<T> {}
// SAFETY: as above.
unsafe impl<T: ZeroedAtomics> Sync for SharedSlice<T> {}

impl<T: ZeroedAtomics> SharedSlice<T> {
    pub(crate) fn new(len: usize) -> Result<Self> {
        let bytes = std::mem::size_of::<T>()
            .checked_mul(len)
            .ok_or_else(|| Error::new(ErrorKind::Os, "shared array too large"))?;
        // SAFETY: a fresh anonymous shared mapping (at least one byte: mmap refuses 0),
        // zero-filled by the kernel, which is a valid T each.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                bytes.max(1),
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(Error::last_os("mmap"));
        }
        let ptr = NonNull::new(ptr.cast::<T>())
            .ok_or_else(|| Error::new(ErrorKind::Os, "mmap returned null"))?;
        Ok(SharedSlice { ptr, len })
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The first item; `len` follow it.
    pub(crate) fn as_ptr(&self) -> *mut T {
        self.ptr.as_ptr()
    }
}

impl<T: ZeroedAtomics> Drop for SharedSlice<T> {
    fn drop(&mut self) {
        let bytes = (std::mem::size_of::<T>() * self.len).max(1);
        // SAFETY: unmapping our own mapping once; other processes keep theirs.
        unsafe { libc::munmap(self.ptr.as_ptr().cast(), bytes) };
    }
}
