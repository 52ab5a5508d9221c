//! MessagePack into serde, from a slice: strings and binaries are lent from it, so a `&str` field
//! costs no copy and a `String` one copy.
//!
//! It reads what `encode` writes (`rmp-serde`'s conventions, see there), and is self-describing
//! as MessagePack is: `deserialize_any` works, so untagged enums, flattened structs and
//! `serde_json::Value` cross as they would through `rmp-serde`. Bytes that are not one whole
//! value are an error: cut short, left over after the value, an array with elements its type
//! did not read, nesting deeper than `MAX_DEPTH`, or a marker no serde value is written as.

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

impl<'de> de::Deserializer<'de> for &mut Decoder<'de> {
    type Error = CodecError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        let marker = self.byte()?;
        match marker {
            0x00..=0x7f => visitor.visit_u8(marker),
            0x80..=0x8f => self.map((marker & 0x0f) as usize, visitor),
            0x90..=0x9f => self.seq((marker & 0x0f) as usize, visitor),
            0xa0..=0xbf => self.str((marker & 0x1f) as usize, visitor),
            0xc0 => visitor.visit_unit(),
            0xc2 => visitor.visit_bool(false),
            0xc3 => visitor.visit_bool(true),
            0xc4 => {
                let len = self.u8()? as usize;
                visitor.visit_borrowed_bytes(self.take(len)?)
            }
            0xc5 => {
                let len = self.u16()? as usize;
                visitor.visit_borrowed_bytes(self.take(len)?)
            }
            0xc6 => {
                let len = self.u32()? as usize;
                visitor.visit_borrowed_bytes(self.take(len)?)
            }
            0xca => visitor.visit_f32(f32::from_be_bytes(self.array()?)),
            0xcb => visitor.visit_f64(f64::from_be_bytes(self.array()?)),
            0xcc => visitor.visit_u8(self.u8()?),
            0xcd => visitor.visit_u16(self.u16()?),
            0xce => visitor.visit_u32(self.u32()?),
            0xcf => visitor.visit_u64(u64::from_be_bytes(self.array()?)),
            0xd0 => visitor.visit_i8(i8::from_be_bytes(self.array()?)),
            0xd1 => visitor.visit_i16(i16::from_be_bytes(self.array()?)),
            0xd2 => visitor.visit_i32(i32::from_be_bytes(self.array()?)),
            0xd3 => visitor.visit_i64(i64::from_be_bytes(self.array()?)),
            0xd9 => {
                let len = self.u8()? as usize;
                self.str(len, visitor)
            }
            0xda => {
                let len = self.u16()? as usize;
                self.str(len, visitor)
            }
            0xdb => {
                let len = self.u32()? as usize;
                self.str(len, visitor)
            }
            0xdc => {
                let len = self.u16()? as usize;
                self.seq(len, visitor)
            }
            0xdd => {
                let len = self.u32()? as usize;
                self.seq(len, visitor)
            }
            0xde => {
                let len = self.u16()? as usize;
                self.map(len, visitor)
            }
            0xdf => {
                let len = self.u32()? as usize;
                self.map(len, visitor)
            }
            0xe0..=0xff => visitor.visit_i8(marker as i8),
            0xc7..=0xc9 | 0xd4..=0xd8 => Err(CodecError::new(
                "a MessagePack extension type, which no serde value is written as",
            )),
            0xc1 => Err(CodecError::new("byte 0xc1, which MessagePack never uses")),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        if self.peek()? == 0xc0 {
            self.byte()?;
            return visitor.visit_none();
        }
        visitor.visit_some(self)
    }

    /// A unit struct is written as an empty array; nil is taken too.
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Res<V::Value> {
        match self.peek()? {
            0x90 | 0xc0 => {
                self.byte()?;
                visitor.visit_unit()
            }
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Res<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    /// A unit variant is its name; any other, a map of one entry from its name to its data.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Res<V::Value> {
        match self.map_header()? {
            Some(1) => self.nested(|de| visitor.visit_enum(Variant { de })),
            Some(n) => Err(CodecError::new(format!(
                "an enum written as a map of {n} entries instead of 1"
            ))),
            None => visitor.visit_enum(UnitVariant { de: self }),
        }
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        if self.input.starts_with(&[0xc4, 16]) {
            self.take(2)?;
            return visitor.visit_i128(i128::from_be_bytes(self.array()?));
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        if self.input.starts_with(&[0xc4, 16]) {
            self.take(2)?;
            return visitor.visit_u128(u128::from_be_bytes(self.array()?));
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        self.deserialize_any(de::IgnoredAny)?;
        visitor.visit_unit()
    }

    fn is_human_readable(&self) -> bool {
        false
    }

    // What a type asks for, its usual form first (a match on one or two markers, inlined into
    // the type's own code), anything else through `deserialize_any`.

    #[inline]
    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        self.int(visitor)
    }

    #[inline]
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        self.int(visitor)
    }

    #[inline]
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        self.int(visitor)
    }

    #[inline]
    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        self.int(visitor)
    }

    #[inline]
    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        self.int(visitor)
    }

    #[inline]
    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        self.int(visitor)
    }

    #[inline]
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        self.int(visitor)
    }

    #[inline]
    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        self.int(visitor)
    }

    #[inline]
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        match self.input.first() {
            Some(&m @ 0xa0..=0xbf) => {
                self.input = &self.input[1..];
                self.str((m & 0x1f) as usize, visitor)
            }
            _ => self.deserialize_any(visitor),
        }
    }

    #[inline]
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        self.deserialize_str(visitor)
    }

    #[inline]
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        match self.input.first() {
            Some(&m @ 0x90..=0x9f) => {
                self.input = &self.input[1..];
                self.seq((m & 0x0f) as usize, visitor)
            }
            _ => self.deserialize_any(visitor),
        }
    }

    #[inline]
    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Res<V::Value> {
        self.deserialize_seq(visitor)
    }

    #[inline]
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Res<V::Value> {
        self.deserialize_seq(visitor)
    }

    #[inline]
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Res<V::Value> {
        self.deserialize_seq(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool f32 f64 char bytes byte_buf unit map identifier
    }
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
