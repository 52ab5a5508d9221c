//! serde's `Deserializer` for the `Decoder`: what a type asks for, its usual MessagePack form
//! first, anything else through `deserialize_any`, which reads every form.

use serde::de::{self, Visitor};

use super::{CodecError, Decoder, Res, UnitVariant, Variant};

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

    /// A type that owns its string (`String`) gets one made here: see `Decoder::string`.
    #[inline]
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        match self.input.first() {
            Some(&m @ 0xa0..=0xbf) => {
                self.input = &self.input[1..];
                self.string((m & 0x1f) as usize, visitor)
            }
            _ => self.deserialize_any(visitor),
        }
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
