//! serde into MessagePack, straight into a `Vec` that may take at most a given number of bytes.
//!
//! The conventions are `rmp-serde`'s defaults, so the bytes are what it would write: integers in
//! their shortest form (big-endian), structs and tuples as arrays, an enum's unit variant as its
//! name and any other variant as a map of one entry (its name to its data), `None` and `()` as
//! nil, `Some(v)` as `v`, a unit struct as an empty array, 128-bit integers as 16 bytes of binary.
//! Every write is a push onto the `Vec` after one comparison with the limit: no `io::Write` in
//! between (that cost more than the value's own work for small items).

mod serializer;

use serde::Serialize;

use super::CodecError;

/// Writes values into `buf`, refusing any byte past `limit` in all.
///
/// It writes through a pointer into `buf`'s capacity and counts the bytes in a field of its own,
/// setting `buf`'s length when it grows the buffer and when it is dropped: a write is then one
/// comparison and its stores, and the count stays in a register across a value's writes (a
/// `Vec`'s own length, reached through a second reference, is stored and loaded again around
/// every byte written, since the byte might be that length).
pub(super) struct Encoder<'a> {
    buf: &'a mut Vec<u8>,
    /// `buf`'s data pointer.
    ptr: *mut u8,
    /// Bytes written in all, `buf`'s length once dropped.
    len: usize,
    /// Where writing may go without a look at the limit or the capacity: the smaller of the
    /// two (never below `len`).
    end: usize,
    limit: usize,
    /// The limit was reached: the error the value returned (its own `Serialize` may have
    /// replaced ours) means "too big".
    over: bool,
}

type Res = Result<(), CodecError>;

impl Drop for Encoder<'_> {
    fn drop(&mut self) {
        // SAFETY: the first `len` bytes of the buffer are initialized (what it held, then
        // what was written) and `len` is at most its capacity (`end`'s invariant).
        unsafe { self.buf.set_len(self.len) };
    }
}

impl<'a> Encoder<'a> {
    pub(super) fn new(buf: &'a mut Vec<u8>, limit: usize) -> Self {
        let len = buf.len();
        let end = limit.min(buf.capacity()).max(len);
        Encoder {
            ptr: buf.as_mut_ptr(),
            buf,
            len,
            end,
            limit,
            over: false,
        }
    }

    /// True once a write was refused for the limit.
    pub(super) fn over(&self) -> bool {
        self.over
    }

    /// Room for `n` more bytes: a pointer to the first of them, in `buf`'s capacity; the
    /// caller writes all `n` and then calls `wrote(n)`. An error (and `over`) past the limit.
    #[inline]
    fn room(&mut self, n: usize) -> Result<*mut u8, CodecError> {
        if n > self.end - self.len {
            self.grow(n)?;
        }
        // SAFETY: `len` is at most the capacity of the buffer `ptr` points to.
        Ok(unsafe { self.ptr.add(self.len) })
    }

    /// Past `end`: refused if over the limit, else more capacity (and a new `ptr` and `end`).
    #[cold]
    #[inline(never)]
    fn grow(&mut self, n: usize) -> Res {
        if n > self.limit.saturating_sub(self.len) {
            self.over = true;
            return Err(CodecError::new("over the size limit"));
        }
        // SAFETY: as in `drop`: `len` bytes are initialized, within the capacity.
        unsafe { self.buf.set_len(self.len) };
        self.buf.reserve(n);
        self.ptr = self.buf.as_mut_ptr();
        self.end = self.limit.min(self.buf.capacity()).max(self.len);
        Ok(())
    }

    /// The `n` bytes asked of `room` are written.
    #[inline]
    fn wrote(&mut self, n: usize) {
        self.len += n;
    }

    #[inline]
    fn byte(&mut self, b: u8) -> Res {
        let at = self.room(1)?;
        // SAFETY: `room(1)` gave one byte of capacity.
        unsafe { at.write(b) };
        self.wrote(1);
        Ok(())
    }

    #[inline]
    fn bytes(&mut self, bytes: &[u8]) -> Res {
        let at = self.room(bytes.len())?;
        // SAFETY: `room` gave `bytes.len()` bytes of capacity, which `bytes` (borrowed from
        // elsewhere: the encoder holds the only reference to `buf`) does not overlap.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), at, bytes.len()) };
        self.wrote(bytes.len());
        Ok(())
    }

    /// A marker, then `N` bytes.
    #[inline]
    fn marked<const N: usize>(&mut self, marker: u8, bytes: [u8; N]) -> Res {
        let at = self.room(1 + N)?;
        // SAFETY: `room` gave `1 + N` bytes of capacity.
        unsafe {
            at.write(marker);
            at.add(1).cast::<[u8; N]>().write_unaligned(bytes);
        }
        self.wrote(1 + N);
        Ok(())
    }

    #[inline]
    fn uint(&mut self, v: u64) -> Res {
        if v < 0x80 {
            self.byte(v as u8)
        } else if let Ok(v) = u8::try_from(v) {
            self.marked(0xcc, [v])
        } else if let Ok(v) = u16::try_from(v) {
            self.marked(0xcd, v.to_be_bytes())
        } else if let Ok(v) = u32::try_from(v) {
            self.marked(0xce, v.to_be_bytes())
        } else {
            self.marked(0xcf, v.to_be_bytes())
        }
    }

    #[inline]
    fn sint(&mut self, v: i64) -> Res {
        if v >= 0 {
            self.uint(v as u64)
        } else if v >= -32 {
            // Negative fixint: the value's own byte, 0xe0 to 0xff.
            self.byte(v as i8 as u8)
        } else if let Ok(v) = i8::try_from(v) {
            self.marked(0xd0, v.to_be_bytes())
        } else if let Ok(v) = i16::try_from(v) {
            self.marked(0xd1, v.to_be_bytes())
        } else if let Ok(v) = i32::try_from(v) {
            self.marked(0xd2, v.to_be_bytes())
        } else {
            self.marked(0xd3, v.to_be_bytes())
        }
    }

    /// A length MessagePack can carry (32 bits); a longer one is over any limit we have.
    #[cold]
    fn len32(&mut self, len: usize) -> Result<u32, CodecError> {
        u32::try_from(len).map_err(|_| {
            self.over = true;
            CodecError::new("over the size limit")
        })
    }

    /// The header of a string, binary, array or map of `len` that is no fix-length one:
    /// `m8`, `m16`, `m32` are the markers of 8-, 16- and 32-bit lengths (`m8` 0 for none).
    #[cold]
    fn long_header(&mut self, len: usize, [m8, m16, m32]: [u8; 3]) -> Res {
        let len = self.len32(len)?;
        if m8 != 0 && len < 0x100 {
            self.marked(m8, [len as u8])
        } else if len < 0x1_0000 {
            self.marked(m16, (len as u16).to_be_bytes())
        } else {
            self.marked(m32, len.to_be_bytes())
        }
    }

    #[inline]
    fn str(&mut self, v: &str) -> Res {
        let len = v.len();
        if len >= 32 {
            self.long_header(len, [0xd9, 0xda, 0xdb])?;
            return self.bytes(v.as_bytes());
        }
        let at = self.room(1 + len)?;
        // SAFETY: `room` gave `1 + len` bytes of capacity, which `v` does not overlap.
        unsafe {
            at.write(0xa0 | len as u8);
            crate::codec::copy_short(v.as_bytes(), at.add(1));
        }
        self.wrote(1 + len);
        Ok(())
    }

    #[inline]
    fn array_len(&mut self, len: usize) -> Res {
        match len {
            0..16 => self.byte(0x90 | len as u8),
            _ => self.long_header(len, [0, 0xdc, 0xdd]),
        }
    }

    #[inline]
    fn map_len(&mut self, len: usize) -> Res {
        match len {
            0..16 => self.byte(0x80 | len as u8),
            _ => self.long_header(len, [0, 0xde, 0xdf]),
        }
    }

    /// An array or map whose length is written now.
    #[inline]
    fn compound(&mut self, len: usize, map: bool) -> Result<Compound<'_, 'a>, CodecError> {
        if map {
            self.map_len(len)?;
        } else {
            self.array_len(len)?;
        }
        Ok(Compound {
            enc: self,
            said: len,
            patch: 0,
            count: 0,
        })
    }

    /// An array or map whose length is not known yet: a 32-bit header, its length patched in
    /// at the end.
    fn compound_unknown(&mut self, map: bool) -> Result<Compound<'_, 'a>, CodecError> {
        self.marked(if map { 0xdf } else { 0xdd }, [0; 4])?;
        let patch = self.len - 4;
        Ok(Compound {
            enc: self,
            said: 0,
            patch,
            count: 0,
        })
    }
}

/// The elements (or entries) of an array (map) being written; counted, so that a `Serialize`
/// that gives another number than it said is an error here rather than garbled bytes there.
pub(super) struct Compound<'e, 'a> {
    enc: &'e mut Encoder<'a>,
    /// The length written in the header (when `patch` is 0).
    said: usize,
    /// Where the 32-bit length goes when it was not known at the start (after a marker, so
    /// never 0); 0 when it was.
    patch: usize,
    count: usize,
}

impl Compound<'_, '_> {
    #[inline]
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
        value.serialize(&mut *self.enc)?;
        self.count += 1;
        Ok(())
    }

    #[inline]
    fn end(self) -> Res {
        if self.patch != 0 {
            let len = self.enc.len32(self.count)?;
            let at = self.patch;
            // SAFETY: the four bytes at `patch` were written (by `compound_unknown`), so they
            // are inside the buffer, before `len`.
            unsafe {
                self.enc
                    .ptr
                    .add(at)
                    .cast::<[u8; 4]>()
                    .write_unaligned(len.to_be_bytes());
            }
            return Ok(());
        }
        if self.said != self.count {
            return Err(miscounted(self.said, self.count));
        }
        Ok(())
    }
}

#[cold]
fn miscounted(said: usize, gave: usize) -> CodecError {
    CodecError::new(format!(
        "a sequence said it had {said} elements and gave {gave}"
    ))
}
