//! Edge values through the codec and through rmp-serde, both ways: each integer width's maxima
//! and minima, floats and chars, non-ASCII strings about each header's length limit, empty
//! values of every kind, deep nesting, and bytes that are not UTF-8.

use std::collections::BTreeMap;

use super::{Loose, Shape, Unit, decode_error, same_as_rmp};

#[test]
fn edges_are_written_as_rmp_serde_writes_them_and_read_back() {
    // Each integer width's maxima and minima, typed as such (MessagePack writes the shortest
    // form whatever the width, in both).
    same_as_rmp(&(u8::MAX, u16::MAX, u32::MAX, u64::MAX, u128::MAX));
    same_as_rmp(&(i8::MIN, i16::MIN, i32::MIN, i64::MIN, i128::MIN));
    same_as_rmp(&(i8::MAX, i16::MAX, i32::MAX, i64::MAX, i128::MAX));
    same_as_rmp(&(
        f32::MAX,
        f32::MIN,
        f32::MIN_POSITIVE,
        f32::INFINITY,
        -0.0f32,
    ));
    same_as_rmp(&(
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        f64::NEG_INFINITY,
        -0.0f64,
    ));
    same_as_rmp(&(char::MAX, '\0', '进', '🦀'));
    // Non-ASCII strings, at and about each header's length limit in bytes (31, 255, 65 535),
    // the short ones where the decoder looks for ASCII first.
    for unit in ["é", "进", "🦀", "aé"] {
        for bytes in [
            30usize, 31, 32, 33, 254, 255, 256, 257, 65_534, 65_535, 65_536,
        ] {
            let text: String = unit.repeat(bytes.div_ceil(unit.len()));
            same_as_rmp(&text);
        }
    }
    same_as_rmp(&"进程和线程 — processes and threads, ç'est ça 🦀".to_string());
    // Empty: of every kind that can be.
    same_as_rmp(&String::new());
    same_as_rmp(&Vec::<u8>::new());
    same_as_rmp(&Vec::<String>::new());
    same_as_rmp(&BTreeMap::<String, u8>::new());
    same_as_rmp(&());
    same_as_rmp(&Unit);
    same_as_rmp(&(
        Vec::<Vec<u8>>::new(),
        vec![String::new()],
        Some(String::new()),
    ));
    // Nested: sequences in maps in sequences, options in options, enums in enums. (Not
    // `Some(None)`: MessagePack has one nil, which both read back as `None`.)
    type Entries = Vec<Option<Option<Vec<i64>>>>;
    let nested: Vec<BTreeMap<String, Entries>> = (0..4)
        .map(|i| {
            (0..i)
                .map(|j| {
                    let inner = vec![
                        None,
                        Some(Some(vec![])),
                        Some(Some(vec![i64::MIN, j, i64::MAX])),
                    ];
                    (format!("キー{j}"), inner)
                })
                .collect()
        })
        .collect();
    same_as_rmp(&nested);
    let mut loose = Loose::Number(0);
    for depth in 0..100 {
        loose = Loose::List(vec![loose, Loose::Text(format!("{depth}é"))]);
    }
    same_as_rmp(&loose);
    same_as_rmp(&vec![
        Some(Shape::Named {
            name: "六边形".into(),
            sides: Some(6),
        }),
        None,
    ]);
}

#[test]
fn a_string_that_is_not_utf8_is_refused_by_both() {
    // A short one (where the decoder looks for ASCII first) and a long one.
    for bytes in [
        vec![0xa2, 0xc3, 0x28],
        [vec![0xd9, 40], vec![b'a'; 39], vec![0xff]].concat(),
    ] {
        assert!(rmp_serde::from_slice::<String>(&bytes).is_err());
        decode_error::<String>(&bytes);
    }
}
