//! How values cross between processes: serde into MessagePack bytes (where Python pickles). The
//! one place that turns a value into bytes and back, so every transport reports a value that does
//! not encode or decode the same way: its kind, the type's name, the serde message (the user's
//! own, from a `Serialize` or `Deserialize` impl, kept word for word), and the codec's error as
//! the source.
//!
//! The MessagePack is our own (`encode`, `decode`), byte for byte what `rmp-serde` writes with
//! its defaults (a test checks both ways), at a fraction of its cost: a push onto a `Vec` a
//! value, where `rmp-serde` goes through `io::Write`, and a decode from a slice that lends
//! strings, where it reads through `io::Read`.
//!
//! Why our own, when a well-kept crate beats our own code even a slower one: this crate exists
//! to be faster than Python's `multiprocessing`, and issue 20 asks the batched Queue for at least
//! the speed of a batched raw pipe (a `BufWriter` of postcard frames). With `rmp-serde` behind
//! this same API it does not get there. The two side by side, six alternating runs of each of
//! the bench binary (`ipc --json queue`, 2 cores, load average 8 to 10; a figure is the Queue's
//! over the raw pipe measured in the same run, median of the six, with the range):
//!
//! | bench                            | rmp-serde          | ours               |
//! |----------------------------------|--------------------|--------------------|
//! | batched Queue / batched raw pipe | 0.59 (0.55 - 0.70) | 0.88 (0.47 - 1.34) |
//! | one-item Queue / raw pipe        | 0.76 (0.43 - 1.02) | 0.95 (0.66 - 1.18) |
//!
//! `rmp-serde` never got above 0.70 of the batched pipe in these runs; ours reaches the pipe
//! in most runs (1.07, 1.13 and 1.23 in three of four runs of `scripts/bench.sh` at load 4 to
//! 9, 0.93 in the fourth; 1.05 to 1.37 in earlier runs at load 1.4 to 4.8). So the codec stays
//! ours, and `rmp-serde` stays as the tests' reference: every shape serde has and the edge
//! values (`msgpack_tests`, `msgpack_tests/edges.rs`) are checked byte for byte against it,
//! both ways.

mod decode;
mod encode;

use std::any::type_name;
use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorKind, Result};
use decode::Decoder;
use encode::Encoder;

/// What went wrong encoding or decoding a value: a `Serialize` or `Deserialize`'s own message,
/// serde's (`invalid type: ...`), or the codec's. Two words wide, so that a `Result` of the
/// codec's comes back in registers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CodecError(Box<str>);

impl CodecError {
    #[cold]
    fn new(message: impl Into<Box<str>>) -> Self {
        CodecError(message.into())
    }
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CodecError {}

impl serde::ser::Error for CodecError {
    #[cold]
    fn custom<T: fmt::Display>(message: T) -> Self {
        CodecError(message.to_string().into())
    }
}

impl serde::de::Error for CodecError {
    #[cold]
    fn custom<T: fmt::Display>(message: T) -> Self {
        CodecError(message.to_string().into())
    }
}

/// Copies `src` to `dst` with a few moves of fixed size (two overlapping ones of 16, 8, 4 or
/// 2 bytes, or one byte) when it is 32 bytes or fewer: a call to `memcpy` costs more than that
/// on the one-to-few-byte strings most items carry.
///
/// # Safety
/// `dst` is valid for `src.len()` bytes of writes, and they do not overlap `src`.
#[inline]
pub(crate) unsafe fn copy_short(src: &[u8], dst: *mut u8) {
    use std::ptr::copy_nonoverlapping as copy;
    let (s, len) = (src.as_ptr(), src.len());
    // SAFETY: every move reads inside `src` (each pair covers it, overlapping in the middle)
    // and writes the same offsets of `dst`, valid for `len` bytes (the caller's contract).
    unsafe {
        match len {
            0 => {}
            1 => *dst = *s,
            2..4 => {
                copy(s, dst, 2);
                copy(s.add(len - 2), dst.add(len - 2), 2);
            }
            4..8 => {
                copy(s, dst, 4);
                copy(s.add(len - 4), dst.add(len - 4), 4);
            }
            8..16 => {
                copy(s, dst, 8);
                copy(s.add(len - 8), dst.add(len - 8), 8);
            }
            16..=32 => {
                copy(s, dst, 16);
                copy(s.add(len - 16), dst.add(len - 16), 16);
            }
            _ => copy(s, dst, len),
        }
    }
}

/// The most bytes one encoded value may take: what a frame's 4-byte length prefix carries.
pub(crate) const MAX_VALUE: usize = u32::MAX as usize;

/// Appends `value`'s bytes to `buf` (reusing its allocation) and gives the buffer back. An
/// error names `item`, the type the caller sends (which `value` may wrap). A value over
/// [`MAX_VALUE`] bytes (besides what `buf` held) is refused as soon as the encoder gets there, not once it is whole.
pub(crate) fn encode_into<T: Serialize + ?Sized>(
    value: &T,
    mut buf: Vec<u8>,
    item: &str,
) -> Result<Vec<u8>> {
    let limit = buf.len().saturating_add(MAX_VALUE);
    if encode_within(value, &mut buf, item, limit)? {
        return Ok(buf);
    }
    Err(Error::new(
        ErrorKind::Serialize,
        format!("a {item} is over the {MAX_VALUE} bytes one value may take"),
    ))
}

/// Appends `value`'s bytes to `buf`; false (and `buf` left half-written) as soon as they
/// would pass `limit` bytes in all, so an oversized value costs at most `limit` bytes of
/// memory and the time to encode that much.
pub(crate) fn encode_within<T: Serialize + ?Sized>(
    value: &T,
    buf: &mut Vec<u8>,
    item: &str,
    limit: usize,
) -> Result<bool> {
    let mut encoder = Encoder::new(buf, limit);
    match value.serialize(&mut encoder) {
        Ok(()) => Ok(true),
        Err(_) if encoder.over() => Ok(false),
        Err(e) => Err(Error::caused(ErrorKind::Serialize, format!("a {item}"), e)),
    }
}

/// `value`'s bytes.
pub(crate) fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>> {
    encode_into(value, Vec::new(), type_name::<T>())
}

/// The `T` that `bytes` hold; an error names `item`, the type the caller expects.
pub(crate) fn decode_as<T: DeserializeOwned>(bytes: &[u8], item: &str) -> Result<T> {
    decode_seed(bytes, std::marker::PhantomData::<T>, item)
}

/// What `seed` makes of `bytes` (a decode into memory the caller already has); an error names
/// `item`, the type the caller expects. The bytes must be one value, whole.
pub(crate) fn decode_seed<'de, S: serde::de::DeserializeSeed<'de>>(
    bytes: &'de [u8],
    seed: S,
    item: &str,
) -> Result<S::Value> {
    let mut decoder = Decoder::new(bytes);
    seed.deserialize(&mut decoder)
        .and_then(|value| decoder.end().map(|()| value))
        .map_err(|e| Error::caused(ErrorKind::Deserialize, format!("not a valid {item}"), e))
}

/// The `T` that `bytes` hold.
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    decode_as(bytes, type_name::<T>())
}

/// `#[serde(with = "crate::codec::bytes")]`: a `Vec<u8>` as one MessagePack binary, not as a
/// sequence of numbers (a task's encoded argument can be megabytes).
pub(crate) mod bytes {
    use serde::{Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(bytes)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        serde_bytes_buf(d)
    }

    /// A binary, or (from an encoder that wrote numbers) a sequence of bytes.
    fn serde_bytes_buf<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Vec<u8>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
                Ok(v.to_vec())
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
                Ok(v)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Vec<u8>, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(byte) = seq.next_element::<u8>()? {
                    out.push(byte);
                }
                Ok(out)
            }
        }
        d.deserialize_byte_buf(Visitor)
    }
}

#[cfg(test)]
mod msgpack_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};
    use std::error::Error as _;

    /// Refuses odd numbers both ways, with a message of its own.
    #[derive(Debug, PartialEq)]
    struct Even(u32);

    impl Serialize for Even {
        fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
            if self.0 % 2 == 1 {
                return Err(serde::ser::Error::custom(format!("{} is odd", self.0)));
            }
            s.serialize_u32(self.0)
        }
    }

    impl<'de> Deserialize<'de> for Even {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
            let v = u32::deserialize(d)?;
            if v % 2 == 1 {
                return Err(serde::de::Error::custom(format!("{v} is odd, not Even")));
            }
            Ok(Even(v))
        }
    }

    #[test]
    fn the_users_own_serde_message_is_kept_both_ways() {
        let err = encode(&Even(3)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Serialize);
        assert!(err.message().ends_with(": 3 is odd"), "{}", err.message());
        let err = decode::<Even>(&encode(&5u32).unwrap()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Deserialize);
        assert!(err.message().contains("Even"), "{}", err.message());
        assert!(
            err.message().ends_with(": 5 is odd, not Even"),
            "{}",
            err.message()
        );
        assert_eq!(decode::<Even>(&encode(&Even(4)).unwrap()).unwrap(), Even(4));
    }

    #[test]
    fn bytes_that_do_not_decode_name_the_type_and_keep_the_serde_error() {
        let bytes = encode(&u32::MAX).unwrap();
        let err = decode::<bool>(&bytes).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Deserialize);
        assert!(
            err.message().starts_with("not a valid bool: "),
            "{}",
            err.message()
        );
        assert!(err.source().is_some_and(|s| s.is::<CodecError>()));
        assert_eq!(decode::<u32>(&bytes).unwrap(), u32::MAX);
    }

    /// A sequence as long as asked, made up as it is encoded: it holds no memory of its own,
    /// and counts how many items the encoder asked for.
    struct Endless {
        len: usize,
        asked: std::cell::Cell<usize>,
    }

    impl Serialize for Endless {
        fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
            use serde::ser::SerializeSeq;
            let mut seq = s.serialize_seq(Some(self.len))?;
            for _ in 0..self.len {
                self.asked.set(self.asked.get() + 1);
                seq.serialize_element(&[7u8; 1000][..])?;
            }
            seq.end()
        }
    }

    #[test]
    fn a_value_over_the_limit_is_refused_while_it_is_encoded() {
        let endless = Endless {
            len: 1_000_000,
            asked: std::cell::Cell::new(0),
        };
        let mut buf = Vec::new();
        assert!(!encode_within(&endless, &mut buf, "Endless", 100_000).unwrap());
        // About 100 items of 1 KB reach the limit: the encoder stopped there, not at a million.
        assert!(
            endless.asked.get() <= 101,
            "{} items encoded",
            endless.asked.get()
        );
        assert!(buf.len() <= 100_000);
        let small = Endless {
            len: 10,
            asked: std::cell::Cell::new(0),
        };
        assert!(encode_within(&small, &mut Vec::new(), "Endless", 100_000).unwrap());
    }

    #[test]
    fn short_copies_and_strings_of_every_length_up_to_40_cross_whole() {
        let text: String = ('a'..='z').chain('A'..='Z').collect();
        for len in 0..=40 {
            let src = &text.as_bytes()[..len];
            let mut dst = vec![0u8; len + 1];
            // SAFETY: `dst` has room for `len` bytes and is not `src`.
            unsafe { copy_short(src, dst.as_mut_ptr()) };
            assert_eq!(&dst[..len], src);
            assert_eq!(dst[len], 0, "wrote past {len} bytes");
            let s = text[..len].to_string();
            assert_eq!(decode::<String>(&encode(&s).unwrap()).unwrap(), s);
            let pair = (len as u64, s.clone(), "é".repeat(len));
            assert_eq!(
                decode::<(u64, String, String)>(&encode(&pair).unwrap()).unwrap(),
                pair
            );
        }
    }

    #[test]
    fn a_byte_vector_travels_as_one_binary() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct Blob(#[serde(with = "super::bytes")] Vec<u8>);
        let blob = Blob(vec![255; 1000]);
        let bytes = encode(&blob).unwrap();
        assert!(bytes.len() < 1010, "{} bytes", bytes.len());
        assert_eq!(decode::<Blob>(&bytes).unwrap(), blob);
    }
}
