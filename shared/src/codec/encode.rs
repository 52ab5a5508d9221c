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
pub(super) struct Encoder<'a> {
    buf: &'a mut Vec<u8>,
    limit: usize,
    /// The limit was reached: the error the value returned (its own `Serialize` may have
    /// replaced ours) means "too big".
    over: bool,
}

type Res = Result<(), CodecError>;

impl<'a> Encoder<'a> {
    pub(super) fn new(buf: &'a mut Vec<u8>, limit: usize) -> Self {
        Encoder {
            buf,
            limit,
            over: false,
        }
    }

    /// True once a write was refused for the limit.
    pub(super) fn over(&self) -> bool {
        self.over
    }

    #[inline]
    fn room(&mut self, n: usize) -> Res {
        if n > self.limit.saturating_sub(self.buf.len()) {
            self.over = true;
            return Err(CodecError::new("over the size limit"));
        }
        Ok(())
    }

    #[inline]
    fn byte(&mut self, b: u8) -> Res {
        self.room(1)?;
        self.buf.push(b);
        Ok(())
    }

    #[inline]
    fn bytes(&mut self, bytes: &[u8]) -> Res {
        self.room(bytes.len())?;
        self.buf.extend_from_slice(bytes);
        Ok(())
    }

    /// A marker, then `N` bytes.
    #[inline]
    fn marked<const N: usize>(&mut self, marker: u8, bytes: [u8; N]) -> Res {
        self.room(1 + N)?;
        self.buf.push(marker);
        self.buf.extend_from_slice(&bytes);
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
        if len < 32 {
            self.room(1 + len)?;
            self.buf.push(0xa0 | len as u8);
        } else {
            self.long_header(len, [0xd9, 0xda, 0xdb])?;
            self.room(len)?;
        }
        self.buf.extend_from_slice(v.as_bytes());
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
        let patch = self.buf.len() - 4;
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
            self.enc.buf[at..at + 4].copy_from_slice(&len.to_be_bytes());
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
