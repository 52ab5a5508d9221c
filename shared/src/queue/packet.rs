//! What a queue's message carries, and how a reader takes it: one item, or a batch from
//! `put_many` (borrowed: the writer's items are encoded where they are), decoded straight onto
//! the end of a list that is already there: the reader's items waiting to be taken, or the one
//! `get_many` gathers into. A batch decoded as a `Vec` of its own would allocate a buffer a
//! batch wide before its items: with glibc's malloc, such a large request first merges every
//! small chunk freed since (the items of the batch before), and then each item's allocation is
//! carved slowly out of the merged space; decoded onto a buffer that is there already, each
//! item reuses a chunk just freed.

use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Deserializer, EnumAccess, SeqAccess, VariantAccess, Visitor};
use serde::{Deserialize, Serialize};

/// A message: one item, or a batch.
#[derive(Serialize)]
pub(super) enum Packet<'a, T> {
    One(&'a T),
    Many(&'a [T]),
}

/// A list items are decoded onto the back of.
pub(super) trait Items<T> {
    fn push(&mut self, item: T);
    fn reserve(&mut self, n: usize);
    fn len(&self) -> usize;
    fn truncate(&mut self, len: usize);
}

impl<T> Items<T> for VecDeque<T> {
    #[inline]
    fn push(&mut self, item: T) {
        self.push_back(item);
    }

    fn reserve(&mut self, n: usize) {
        VecDeque::reserve(self, n);
    }

    fn len(&self) -> usize {
        VecDeque::len(self)
    }

    fn truncate(&mut self, len: usize) {
        VecDeque::truncate(self, len);
    }
}

impl<T> Items<T> for Vec<T> {
    #[inline]
    fn push(&mut self, item: T) {
        Vec::push(self, item);
    }

    fn reserve(&mut self, n: usize) {
        Vec::reserve(self, n);
    }

    fn len(&self) -> usize {
        Vec::len(self)
    }

    fn truncate(&mut self, len: usize) {
        Vec::truncate(self, len);
    }
}

/// Decodes a packet, pushing its items onto the back of the list it holds.
pub(super) struct PacketInto<'a, L, T>(pub(super) &'a mut L, pub(super) PhantomData<T>);

/// The variants' names, as `Packet` is encoded.
#[derive(Deserialize)]
#[serde(variant_identifier)]
enum Variant {
    One,
    Many,
}

impl<'de, L: Items<T>, T: Deserialize<'de>> DeserializeSeed<'de> for PacketInto<'_, L, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_enum("Packet", &["One", "Many"], self)
    }
}

impl<'de, L: Items<T>, T: Deserialize<'de>> Visitor<'de> for PacketInto<'_, L, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a queue message")
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        let (variant, access) = data.variant::<Variant>()?;
        match variant {
            Variant::One => self.0.push(access.newtype_variant::<T>()?),
            Variant::Many => access.newtype_variant_seed(ItemsInto(self.0, PhantomData))?,
        }
        Ok(())
    }
}

/// A batch's items, pushed onto the back of the list.
struct ItemsInto<'a, L, T>(&'a mut L, PhantomData<T>);

impl<'de, L: Items<T>, T: Deserialize<'de>> DeserializeSeed<'de> for ItemsInto<'_, L, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, L: Items<T>, T: Deserialize<'de>> Visitor<'de> for ItemsInto<'_, L, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a batch of items")
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        // The hint comes from the sender: reserve no more than a message can hold items.
        self.0.reserve(seq.size_hint().unwrap_or(0).min(1 << 16));
        while let Some(item) = seq.next_element::<T>()? {
            self.0.push(item);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_item_and_a_batch_land_at_the_back_in_order() {
        let mut list = VecDeque::from([0u32]);
        let mut vec = vec![0u32];
        for packet in [Packet::One(&1u32), Packet::Many(&[2, 3]), Packet::Many(&[])] {
            let bytes = crate::codec::encode(&packet).unwrap();
            crate::codec::decode_seed(&bytes, PacketInto(&mut list, PhantomData), "u32").unwrap();
            crate::codec::decode_seed(&bytes, PacketInto(&mut vec, PhantomData), "u32").unwrap();
        }
        assert_eq!(list, [0, 1, 2, 3]);
        assert_eq!(vec, [0, 1, 2, 3]);
        let bytes = crate::codec::encode(&Packet::Many(&["a".to_string()])).unwrap();
        let err = crate::codec::decode_seed(&bytes, PacketInto(&mut list, PhantomData), "u32")
            .unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Deserialize);
    }
}
