//! The field names a serde struct takes, read from its `Deserialize` impl: a check type's
//! fields are declared once, as its struct, and every list of them (the error message naming a
//! type's fields, the test that refuses each field where it does not apply, the test against
//! SPEC.md) is derived from it.

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// The names of the fields of struct `T`, in declaration order.
pub(crate) fn field_names<T: Deserialize<'static>>() -> &'static [&'static str] {
    let mut names: &'static [&'static str] = &[];
    // The struct's impl hands its field list to `deserialize_struct` and stops at our error.
    let _ = T::deserialize(Names(&mut names));
    names
}

/// A deserializer that only records the fields it is asked for.
struct Names<'a>(&'a mut &'static [&'static str]);

/// The error [`Names`] stops every deserialization with.
#[derive(Debug)]
struct Stop;

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("field names read")
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Stop
    }
}

impl<'de> Deserializer<'de> for Names<'_> {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
        Err(Stop)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Stop> {
        *self.0 = fields;
        Err(Stop)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::field_names;

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Two {
        first: Option<String>,
        #[serde(rename = "made_by")]
        second: Option<i64>,
    }

    #[test]
    fn a_structs_fields_are_its_names_in_the_toml() {
        assert_eq!(field_names::<Two>(), ["first", "made_by"]);
    }
}
