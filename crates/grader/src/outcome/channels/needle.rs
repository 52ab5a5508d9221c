//! The byte strings a value is looked for as, in what went through a channel.

/// One encoding of a value, as a channel may carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Needle {
    bytes: Vec<u8>,
    /// Text that begins (ends) with a digit: the byte before (after) must be no digit, so that
    /// 12 is not found in 3124.
    digit_edges: (bool, bool),
}

impl Needle {
    /// The end offset of its first match in `hay`.
    pub(super) fn find(&self, hay: &[u8]) -> Option<usize> {
        let n = self.bytes.len();
        if n == 0 {
            return None;
        }
        memchr::memmem::find_iter(hay, &self.bytes).find_map(|i| {
            let digit_before = self.digit_edges.0 && i > 0 && hay[i - 1].is_ascii_digit();
            let digit_after = self.digit_edges.1 && hay.get(i + n).is_some_and(u8::is_ascii_digit);
            (!digit_before && !digit_after).then_some(i + n)
        })
    }
}

/// The encodings a value is looked for in: its text (UTF-8), and, for an integer, its bytes as
/// a little- or big-endian integer of 1, 2, 4 or 8 bytes wherever it fits (Python's pickle
/// writes small integers little-endian, MessagePack big-endian).
pub(crate) fn needles(value: &str) -> Vec<Needle> {
    let text = value.as_bytes();
    let mut out = vec![Needle {
        bytes: text.to_vec(),
        digit_edges: (
            text.first().is_some_and(u8::is_ascii_digit),
            text.last().is_some_and(u8::is_ascii_digit),
        ),
    }];
    let Ok(v) = value.parse::<i64>() else {
        return out;
    };
    for width in [1usize, 2, 4, 8] {
        let bits = 8 * width as u32;
        let fits = bits == 64 || (v >= -(1i64 << (bits - 1)) && v < (1i64 << bits));
        if !fits {
            continue;
        }
        let le = v.to_le_bytes()[..width].to_vec();
        let be = v.to_be_bytes()[8 - width..].to_vec();
        for bytes in [le, be] {
            if !out.iter().any(|n| n.bytes == bytes) {
                out.push(Needle {
                    bytes,
                    digit_edges: (false, false),
                });
            }
        }
    }
    out
}
