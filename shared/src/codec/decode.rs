//! MessagePack into serde, from a slice: strings and binaries are lent from it, so a `&str` field
//! costs no copy and a `String` one copy.
//!
//! It reads what `encode` writes (`rmp-serde`'s conventions, see there), and is self-describing
//! as MessagePack is: `deserialize_any` works, so untagged enums, flattened structs and
//! `serde_json::Value` cross as they would through `rmp-serde`. Bytes that are not one whole
//! value are an error: cut short, left over after the value, an array with elements its type
//! did not read, nesting deeper than `MAX_DEPTH`, or a marker no serde value is written as.

mod deserializer;

use serde::de::{self, DeserializeSeed, Visitor};

use super::CodecError;

/// Arrays and maps nested deeper than this are refused (as `rmp-serde` does), so that a
/// malformed message cannot overflow the stack.
const MAX_DEPTH: u32 = 1024;

type Res<T> = Result<T, CodecError>;

/// Reads one value from `input`.
pub(super) struct Decoder<'de> {
    input: &'de [u8],
    depth: u32,
}

impl<'de> Decoder<'de> {
    pub(super) fn new(input: &'de [u8]) -> Self {
        Decoder { input, depth: 0 }
    }

    /// After the value: nothing may be left.
    pub(super) fn end(&self) -> Res<()> {
        match self.input.len() {
            0 => Ok(()),
            n => Err(CodecError::new(format!(
                "{n} bytes left over after the value"
            ))),
        }
    }

    #[inline]
    fn peek(&self) -> Res<u8> {
        self.input.first().copied().ok_or_else(cut_short)
    }

    #[inline]
    fn byte(&mut self) -> Res<u8> {
        let (&b, rest) = self.input.split_first().ok_or_else(cut_short)?;
        self.input = rest;
        Ok(b)
    }

    #[inline]
    fn take(&mut self, n: usize) -> Res<&'de [u8]> {
        if self.input.len() < n {
            return Err(cut_short());
        }
        let (taken, rest) = self.input.split_at(n);
        self.input = rest;
        Ok(taken)
    }

    #[inline]
    fn array<const N: usize>(&mut self) -> Res<[u8; N]> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    #[inline]
    fn u8(&mut self) -> Res<u8> {
        self.byte()
    }

    #[inline]
    fn u16(&mut self) -> Res<u16> {
        self.array().map(u16::from_be_bytes)
    }

    #[inline]
    fn u32(&mut self) -> Res<u32> {
        self.array().map(u32::from_be_bytes)
    }

    /// A string's bytes: lent as `str` when they are UTF-8, else as bytes (for the visitor to
    /// refuse, or take: `rmp-serde` does the same).
    #[inline]
    fn str<V: Visitor<'de>>(&mut self, len: usize, visitor: V) -> Res<V::Value> {
        let bytes = self.take(len)?;
        match utf8(bytes) {
            Some(s) => visitor.visit_borrowed_str(s),
            None => visitor.visit_borrowed_bytes(bytes),
        }
    }

    /// A string the type will own (`deserialize_string`): made here, a short one copied
    /// without a call to `memcpy`, and handed over (`visit_string`; a visitor that does not
    /// take it sees it as `visit_str`, serde's default). Bytes that are not UTF-8 are lent as
    /// in `str`.
    #[inline]
    fn string<V: Visitor<'de>>(&mut self, len: usize, visitor: V) -> Res<V::Value> {
        let bytes = self.take(len)?;
        match utf8(bytes) {
            Some(s) => visitor.visit_string(owned(s)),
            None => visitor.visit_borrowed_bytes(bytes),
        }
    }

    /// An integer: the one-byte forms and the unsigned ones up to 32 bits here, the rest
    /// through `deserialize_any`.
    #[inline]
    fn int<V: Visitor<'de>>(&mut self, visitor: V) -> Res<V::Value> {
        match *self.input {
            [m @ 0x00..=0x7f, ref rest @ ..] => {
                self.input = rest;
                visitor.visit_u8(m)
            }
            [m @ 0xe0..=0xff, ref rest @ ..] => {
                self.input = rest;
                visitor.visit_i8(m as i8)
            }
            [0xcc, a, ref rest @ ..] => {
                self.input = rest;
                visitor.visit_u8(a)
            }
            [0xcd, a, b, ref rest @ ..] => {
                self.input = rest;
                visitor.visit_u16(u16::from_be_bytes([a, b]))
            }
            [0xce, a, b, c, d, ref rest @ ..] => {
                self.input = rest;
                visitor.visit_u32(u32::from_be_bytes([a, b, c, d]))
            }
            _ => de::Deserializer::deserialize_any(self, visitor),
        }
    }

    #[inline]
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Res<T>) -> Res<T> {
        if self.depth >= MAX_DEPTH {
            return Err(too_deep());
        }
        self.depth += 1;
        let out = f(self);
        self.depth -= 1;
        out
    }

    #[inline]
    fn seq<V: Visitor<'de>>(&mut self, len: usize, visitor: V) -> Res<V::Value> {
        self.nested(|de| {
            let mut access = Elements { de, left: len };
            let value = visitor.visit_seq(&mut access)?;
            match access.left {
                0 => Ok(value),
                left => Err(unread(len, left, "an array", "elements")),
            }
        })
    }

    fn map<V: Visitor<'de>>(&mut self, len: usize, visitor: V) -> Res<V::Value> {
        self.nested(|de| {
            let mut access = Entries { de, left: len };
            let value = visitor.visit_map(&mut access)?;
            match access.left {
                0 => Ok(value),
                left => Err(unread(len, left, "a map", "entries")),
            }
        })
    }

    /// The length of a map whose marker is next, consumed; `None` (nothing consumed) when the
    /// next value is no map.
    fn map_header(&mut self) -> Res<Option<usize>> {
        let len = match self.peek()? {
            m @ 0x80..=0x8f => {
                self.byte()?;
                (m & 0x0f) as usize
            }
            0xde => {
                self.byte()?;
                self.u16()? as usize
            }
            0xdf => {
                self.byte()?;
                self.u32()? as usize
            }
            _ => return Ok(None),
        };
        Ok(Some(len))
    }
}

/// `bytes` as a `str` if they are UTF-8. A short string is looked at as ASCII first: most are,
/// and `from_utf8` costs several times more than the string's own copy on a few bytes.
#[inline]
fn utf8(bytes: &[u8]) -> Option<&str> {
    if bytes.len() <= 32 && bytes.is_ascii() {
        // SAFETY: ASCII bytes are UTF-8.
        return Some(unsafe { std::str::from_utf8_unchecked(bytes) });
    }
    std::str::from_utf8(bytes).ok()
}

/// `s` in a `String` of its own.
#[inline]
fn owned(s: &str) -> String {
    let mut v = Vec::with_capacity(s.len());
    // SAFETY: the new buffer has room for `s.len()` bytes and is not `s`; `copy_short`
    // initializes all of them, and they are `s`'s, so UTF-8.
    unsafe {
        super::copy_short(s.as_bytes(), v.as_mut_ptr());
        v.set_len(s.len());
        String::from_utf8_unchecked(v)
    }
}

#[cold]
fn cut_short() -> CodecError {
    CodecError::new("the bytes end in the middle of a value")
}

#[cold]
fn too_deep() -> CodecError {
    CodecError::new(format!("arrays or maps nested more than {MAX_DEPTH} deep"))
}

#[cold]
fn unread(len: usize, left: usize, what: &str, parts: &str) -> CodecError {
    CodecError::new(format!(
        "{what} of {len} {parts}, {left} of them left unread"
    ))
}

/// An array's elements, counted down.
struct Elements<'a, 'de> {
    de: &'a mut Decoder<'de>,
    left: usize,
}

impl<'de> de::SeqAccess<'de> for Elements<'_, 'de> {
    type Error = CodecError;

    #[inline]
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Res<Option<T::Value>> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.de).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

/// A map's entries, counted down at each key.
struct Entries<'a, 'de> {
    de: &'a mut Decoder<'de>,
    left: usize,
}

impl<'de> de::MapAccess<'de> for Entries<'_, 'de> {
    type Error = CodecError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Res<Option<K::Value>> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.de).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Res<V::Value> {
        seed.deserialize(&mut *self.de)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

/// A variant written as a map of one entry: its name, then its data.
struct Variant<'a, 'de> {
    de: &'a mut Decoder<'de>,
}

impl<'de> de::EnumAccess<'de> for Variant<'_, 'de> {
    type Error = CodecError;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Res<(S::Value, Self)> {
        let name = seed.deserialize(&mut *self.de)?;
        Ok((name, self))
    }
}

impl<'de> de::VariantAccess<'de> for Variant<'_, 'de> {
    type Error = CodecError;

    fn unit_variant(self) -> Res<()> {
        de::Deserialize::deserialize(self.de)
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Res<S::Value> {
        seed.deserialize(self.de)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Res<V::Value> {
        de::Deserializer::deserialize_any(self.de, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Res<V::Value> {
        de::Deserializer::deserialize_any(self.de, visitor)
    }
}

/// A variant written as its name alone: a unit variant.
struct UnitVariant<'a, 'de> {
    de: &'a mut Decoder<'de>,
}

impl<'de> de::EnumAccess<'de> for UnitVariant<'_, 'de> {
    type Error = CodecError;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Res<(S::Value, Self)> {
        let name = seed.deserialize(&mut *self.de)?;
        Ok((name, self))
    }
}

impl<'de> de::VariantAccess<'de> for UnitVariant<'_, 'de> {
    type Error = CodecError;

    fn unit_variant(self) -> Res<()> {
        Ok(())
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, _seed: S) -> Res<S::Value> {
        Err(de::Error::invalid_type(
            de::Unexpected::UnitVariant,
            &"a newtype variant",
        ))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Res<V::Value> {
        Err(de::Error::invalid_type(
            de::Unexpected::UnitVariant,
            &"a tuple variant",
        ))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Res<V::Value> {
        Err(de::Error::invalid_type(
            de::Unexpected::UnitVariant,
            &"a struct variant",
        ))
    }
}
