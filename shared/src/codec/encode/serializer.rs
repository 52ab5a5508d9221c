//! serde's `Serializer` for the `Encoder`, and its traits for arrays and maps (`Compound`):
//! each serde shape onto the MessagePack form `rmp-serde` writes for it (see the module above).

use serde::Serialize;
use serde::ser;

use super::{CodecError, Compound, Encoder, Res};

impl<'e, 'a> ser::Serializer for &'e mut Encoder<'a> {
    type Ok = ();
    type Error = CodecError;
    type SerializeSeq = Compound<'e, 'a>;
    type SerializeTuple = Compound<'e, 'a>;
    type SerializeTupleStruct = Compound<'e, 'a>;
    type SerializeTupleVariant = Compound<'e, 'a>;
    type SerializeMap = Compound<'e, 'a>;
    type SerializeStruct = Compound<'e, 'a>;
    type SerializeStructVariant = Compound<'e, 'a>;

    fn is_human_readable(&self) -> bool {
        false
    }

    #[inline]
    fn serialize_bool(self, v: bool) -> Res {
        self.byte(if v { 0xc3 } else { 0xc2 })
    }

    #[inline]
    fn serialize_i8(self, v: i8) -> Res {
        self.sint(v.into())
    }

    #[inline]
    fn serialize_i16(self, v: i16) -> Res {
        self.sint(v.into())
    }

    #[inline]
    fn serialize_i32(self, v: i32) -> Res {
        self.sint(v.into())
    }

    #[inline]
    fn serialize_i64(self, v: i64) -> Res {
        self.sint(v)
    }

    fn serialize_i128(self, v: i128) -> Res {
        self.serialize_bytes(&v.to_be_bytes())
    }

    #[inline]
    fn serialize_u8(self, v: u8) -> Res {
        self.uint(v.into())
    }

    #[inline]
    fn serialize_u16(self, v: u16) -> Res {
        self.uint(v.into())
    }

    #[inline]
    fn serialize_u32(self, v: u32) -> Res {
        self.uint(v.into())
    }

    #[inline]
    fn serialize_u64(self, v: u64) -> Res {
        self.uint(v)
    }

    fn serialize_u128(self, v: u128) -> Res {
        self.serialize_bytes(&v.to_be_bytes())
    }

    #[inline]
    fn serialize_f32(self, v: f32) -> Res {
        self.marked(0xca, v.to_be_bytes())
    }

    #[inline]
    fn serialize_f64(self, v: f64) -> Res {
        self.marked(0xcb, v.to_be_bytes())
    }

    fn serialize_char(self, v: char) -> Res {
        self.str(v.encode_utf8(&mut [0; 4]))
    }

    #[inline]
    fn serialize_str(self, v: &str) -> Res {
        self.str(v)
    }

    fn serialize_bytes(self, v: &[u8]) -> Res {
        self.long_header(v.len(), [0xc4, 0xc5, 0xc6])?;
        self.bytes(v)
    }

    #[inline]
    fn serialize_none(self) -> Res {
        self.byte(0xc0)
    }

    #[inline]
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Res {
        value.serialize(self)
    }

    #[inline]
    fn serialize_unit(self) -> Res {
        self.byte(0xc0)
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Res {
        self.array_len(0)
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Res {
        self.str(variant)
    }

    #[inline]
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Res {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Res {
        self.map_len(1)?;
        self.str(variant)?;
        value.serialize(self)
    }

    #[inline]
    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'e, 'a>, CodecError> {
        match len {
            Some(len) => self.compound(len, false),
            None => self.compound_unknown(false),
        }
    }

    #[inline]
    fn serialize_tuple(self, len: usize) -> Result<Compound<'e, 'a>, CodecError> {
        self.compound(len, false)
    }

    #[inline]
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'e, 'a>, CodecError> {
        self.compound(len, false)
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'e, 'a>, CodecError> {
        self.map_len(1)?;
        self.str(variant)?;
        self.compound(len, false)
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'e, 'a>, CodecError> {
        match len {
            Some(len) => self.compound(len, true),
            None => self.compound_unknown(true),
        }
    }

    #[inline]
    fn serialize_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'e, 'a>, CodecError> {
        self.compound(len, false)
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'e, 'a>, CodecError> {
        self.map_len(1)?;
        self.str(variant)?;
        self.compound(len, false)
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = CodecError;

    #[inline]
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
        self.element(value)
    }

    #[inline]
    fn end(self) -> Res {
        Compound::end(self)
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = CodecError;

    #[inline]
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
        self.element(value)
    }

    #[inline]
    fn end(self) -> Res {
        Compound::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = CodecError;

    #[inline]
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
        self.element(value)
    }

    #[inline]
    fn end(self) -> Res {
        Compound::end(self)
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = CodecError;

    #[inline]
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
        self.element(value)
    }

    #[inline]
    fn end(self) -> Res {
        Compound::end(self)
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = CodecError;

    #[inline]
    fn serialize_field<T: Serialize + ?Sized>(&mut self, _key: &'static str, value: &T) -> Res {
        self.element(value)
    }

    #[inline]
    fn end(self) -> Res {
        Compound::end(self)
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = CodecError;

    #[inline]
    fn serialize_field<T: Serialize + ?Sized>(&mut self, _key: &'static str, value: &T) -> Res {
        self.element(value)
    }

    #[inline]
    fn end(self) -> Res {
        Compound::end(self)
    }
}

/// A map's entries: a key then its value, counted once the value is written.
impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = CodecError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Res {
        key.serialize(&mut *self.enc)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
        self.element(value)
    }

    #[inline]
    fn end(self) -> Res {
        Compound::end(self)
    }
}
