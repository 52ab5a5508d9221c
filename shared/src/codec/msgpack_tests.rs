//! The codec's MessagePack against `rmp-serde`'s, both ways, over every shape serde has; and
//! bytes that are not one whole value, which must be an error and never a panic or a hang.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::{CodecError, decode, encode, encode_within};

/// Edge values (maxima, empty, non-ASCII, nested), against rmp-serde.
mod edges;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Unit;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Pair(u8, String);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Meters(f64);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Shape {
    Empty,
    Circle(f32),
    Rect(u32, u32),
    Named { name: String, sides: Option<u8> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
enum Loose {
    Number(i64),
    Text(String),
    List(Vec<Loose>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Inner {
    a: u16,
    b: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Flat {
    id: u32,
    #[serde(flatten)]
    inner: Inner,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind")]
enum Tagged {
    Start { at: u64 },
    Stop,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Everything {
    flags: (bool, bool),
    unsigned: Vec<u64>,
    signed: Vec<i64>,
    wide: (i128, u128),
    floats: (f32, f64),
    letter: char,
    texts: Vec<String>,
    #[serde(with = "super::bytes")]
    blob: Vec<u8>,
    nothing: (),
    maybe: (Option<u8>, Option<Option<String>>),
    unit: Unit,
    pair: Pair,
    meters: Meters,
    shapes: Vec<Shape>,
    loose: Vec<Loose>,
    map: BTreeMap<String, Vec<u8>>,
    tagged: Vec<Tagged>,
}

fn everything() -> Everything {
    let edges_u = [
        0,
        1,
        127,
        128,
        255,
        256,
        65_535,
        65_536,
        1 << 32,
        u32::MAX as u64,
        u64::MAX,
    ];
    let edges_i = [
        0,
        -1,
        -32,
        -33,
        -128,
        -129,
        -32_768,
        -32_769,
        i32::MIN as i64,
        i32::MIN as i64 - 1,
        i64::MIN,
        i64::MAX,
        200,
    ];
    Everything {
        flags: (true, false),
        unsigned: edges_u.to_vec(),
        signed: edges_i.to_vec(),
        wide: (i128::MIN + 7, u128::MAX - 3),
        floats: (1.5, -0.1),
        letter: 'é',
        texts: [0, 31, 32, 255, 256, 65_535, 65_536]
            .iter()
            .map(|&n| "x".repeat(n))
            .collect(),
        blob: vec![9; 300],
        nothing: (),
        maybe: (None, Some(Some("y".into()))),
        unit: Unit,
        pair: Pair(3, "three".into()),
        meters: Meters(2.25),
        shapes: vec![
            Shape::Empty,
            Shape::Circle(0.5),
            Shape::Rect(3, 70_000),
            Shape::Named {
                name: "tri".into(),
                sides: Some(3),
            },
        ],
        loose: vec![
            Loose::Number(-5),
            Loose::Text("t".into()),
            Loose::List(vec![Loose::Number(1), Loose::List(vec![])]),
        ],
        map: (0..20)
            .map(|i| (format!("k{i}"), vec![i; i as usize]))
            .collect(),
        tagged: vec![Tagged::Start { at: 1 << 40 }, Tagged::Stop],
    }
}

/// Ours and rmp-serde's write the same bytes, and each reads the other's.
fn same_as_rmp<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
    let ours = encode(value).unwrap();
    let theirs = rmp_serde::to_vec(value).unwrap();
    assert_eq!(ours, theirs, "{value:?}");
    assert_eq!(&decode::<T>(&theirs).unwrap(), value);
    assert_eq!(&rmp_serde::from_slice::<T>(&ours).unwrap(), value);
}

#[test]
fn every_shape_is_written_as_rmp_serde_writes_it_and_read_back() {
    same_as_rmp(&everything());
    for n in [0usize, 15, 16] {
        same_as_rmp(&vec![1u8; n]);
        let map: BTreeMap<u32, ()> = (0..n as u32).map(|k| (k, ())).collect();
        same_as_rmp(&map);
    }
    // The longer headers, by the MessagePack spec (rmp-serde is slow to compare in a debug
    // build at these lengths; a map's header is written by the same code with its markers).
    for (n, header) in [
        (65_535usize, &[0xdc, 0xff, 0xff][..]),
        (65_536, &[0xdd, 0, 1, 0, 0]),
    ] {
        let list = vec![1u8; n];
        let bytes = encode(&list).unwrap();
        assert!(bytes.starts_with(header));
        assert_eq!(decode::<Vec<u8>>(&bytes).unwrap(), list);
    }
    same_as_rmp(&(7u64, "x".to_string()));
    // `Some(())` is nil, as `None`, in both: MessagePack has one nil.
    assert_eq!(
        encode(&Some(())).unwrap(),
        rmp_serde::to_vec(&Some(())).unwrap()
    );
    same_as_rmp(&f64::NAN.to_bits());
}

#[test]
fn a_sequence_of_unknown_length_reads_back_both_ways() {
    // `flatten` serializes a map without telling its length first: ours patches it in.
    let flat = Flat {
        id: 4,
        inner: Inner {
            a: 300,
            b: Some("b".into()),
        },
    };
    let ours = encode(&flat).unwrap();
    assert_eq!(decode::<Flat>(&ours).unwrap(), flat);
    assert_eq!(rmp_serde::from_slice::<Flat>(&ours).unwrap(), flat);
    assert_eq!(
        decode::<Flat>(&rmp_serde::to_vec(&flat).unwrap()).unwrap(),
        flat
    );
}

#[test]
fn a_self_describing_value_crosses_whole() {
    let value = serde_json::json!({
        "n": -3, "big": u64::MAX, "f": 0.25, "s": "text", "list": [1, "two", null, true],
        "nested": {"a": [], "b": {}}
    });
    let bytes = encode(&value).unwrap();
    assert_eq!(decode::<serde_json::Value>(&bytes).unwrap(), value);
}

#[test]
fn borrowed_strings_and_bytes_are_lent_from_the_message() {
    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct View<'a> {
        text: &'a str,
        #[serde(with = "lent_bytes")]
        raw: &'a [u8],
    }
    mod lent_bytes {
        pub(super) fn serialize<S: serde::Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(v)
        }
        pub(super) fn deserialize<'de, D: serde::Deserializer<'de>>(
            d: D,
        ) -> Result<&'de [u8], D::Error> {
            <&[u8]>::deserialize(d)
        }
        use serde::Deserialize;
    }
    let view = View {
        text: "lent",
        raw: b"bytes",
    };
    let bytes = encode(&view).unwrap();
    let back: View<'_> = super::decode_seed(&bytes, std::marker::PhantomData, "View").unwrap();
    assert_eq!(back, view);
}

fn decode_error<T: DeserializeOwned>(bytes: &[u8]) -> String {
    match decode::<T>(bytes) {
        Ok(_) => panic!("{bytes:x?} decoded"),
        Err(e) => {
            assert_eq!(e.kind(), crate::ErrorKind::Deserialize);
            e.message().to_string()
        }
    }
}

#[test]
fn bytes_that_are_not_one_whole_value_are_an_error() {
    let mut small = everything();
    small.texts.truncate(3);
    small.map.clear();
    let bytes = encode(&small).unwrap();
    // Cut anywhere: an error, never a panic.
    for cut in 0..bytes.len() {
        decode_error::<Everything>(&bytes[..cut]);
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(decode_error::<Everything>(&longer).contains("1 bytes left over"));
    assert!(decode_error::<u8>(&[0xc1]).contains("0xc1"));
    assert!(decode_error::<u8>(&[0xd4, 1, 2]).contains("extension"));
    // Too many elements for the tuple that reads them.
    let three = encode(&(1u8, 2u8, 3u8)).unwrap();
    assert!(decode_error::<(u8, u8)>(&three).contains("left unread"));
    // Nested deeper than any value we write: refused without overflowing the stack.
    // (In a thread of its own: a debug build's frames are large, and 1024 of them are more
    // than a test thread's default stack.)
    let mut deep = vec![0x91; 100_000];
    deep.push(0xc0);
    let nested = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || decode_error::<serde_json::Value>(&deep))
        .unwrap()
        .join()
        .unwrap();
    assert!(nested.contains("nested"), "{nested}");
    // An enum written as a map of two entries.
    assert!(decode_error::<Shape>(&[0x82, 0xa1, b'a', 1, 0xa1, b'b', 2]).contains("2 entries"));
    // A unit variant where data was due, and an unknown one.
    let empty = encode(&Shape::Empty).unwrap();
    assert!(decode_error::<Option<Pair>>(&empty).contains("invalid type"));
    assert!(decode_error::<Shape>(&encode(&"Hexagon").unwrap()).contains("Hexagon"));
}

#[test]
fn random_bytes_never_panic() {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for len in 0..2000usize {
        let bytes: Vec<u8> = (0..len % 64)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        let _ = decode::<Everything>(&bytes);
        let _ = decode::<serde_json::Value>(&bytes);
        let _ = decode::<Vec<Shape>>(&bytes);
    }
}

/// Says it has 3 elements and gives 2.
struct Liar;

impl Serialize for Liar {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(3))?;
        seq.serialize_element(&1u8)?;
        seq.serialize_element(&2u8)?;
        seq.end()
    }
}

#[test]
fn a_serialize_that_miscounts_is_an_error_not_garbled_bytes() {
    let err = encode(&Liar).unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::Serialize);
    assert!(
        err.message().contains("said it had 3 elements and gave 2"),
        "{}",
        err.message()
    );
}

#[test]
fn the_limit_counts_what_the_buffer_held_before() {
    let mut buf = vec![0u8; 10];
    assert!(!encode_within(&"hello", &mut buf, "str", 15).unwrap());
    let mut buf = vec![0u8; 10];
    assert!(encode_within(&"hello", &mut buf, "str", 16).unwrap());
    assert_eq!(&buf[10..], b"\xa5hello");
    // The error a too-big value ends with is "over the limit", whatever the type reports.
    let err = CodecError::new("x");
    assert_eq!(err.to_string(), "x");
}
