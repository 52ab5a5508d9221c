//! A flow: what one process read from, or wrote into, one channel end, and where in it a value
//! first shows.

use std::time::Duration;

use tracer::{Channel, Direction};

use super::needle::Needle;

/// One read or write of a flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// When its system call entered, from the start of the run.
    pub entered: Duration,
    /// When its system call returned, from the start of the run.
    pub at: Duration,
    /// How many bytes it moved.
    pub len: usize,
    /// The first of them, as many as the trace kept.
    pub bytes: Vec<u8>,
}

/// What one process read from, or wrote into, one channel end, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    /// The process.
    pub pid: i32,
    /// The end (a pipe: the pipe itself).
    pub channel: Channel,
    /// Read or written.
    pub direction: Direction,
    /// Each call, in order.
    pub pieces: Vec<Piece>,
}

/// A run of bytes the trace kept whole, from some offset of a flow.
struct Kept<'f> {
    /// Offset of its first byte in the flow.
    start: usize,
    bytes: Vec<u8>,
    /// Each piece's end offset and time, to tell when a byte was moved.
    ends: &'f [(usize, Duration)],
}

impl Flow {
    /// The bytes it moved.
    pub fn len(&self) -> usize {
        self.pieces.iter().map(|p| p.len).sum()
    }

    /// It moved no byte.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes the trace kept of it: what a search reads.
    pub(crate) fn kept_len(&self) -> usize {
        self.pieces.iter().map(|p| p.bytes.len()).sum()
    }

    /// The trace kept every byte.
    fn whole(&self) -> bool {
        self.pieces.iter().all(|p| p.bytes.len() == p.len)
    }

    /// Each piece's end offset and time.
    fn ends(&self) -> Vec<(usize, Duration)> {
        let mut off = 0;
        self.pieces
            .iter()
            .map(|p| {
                off += p.len;
                (off, p.at)
            })
            .collect()
    }

    /// Its kept bytes in runs without a gap.
    fn kept<'f>(&self, ends: &'f [(usize, Duration)]) -> Vec<Kept<'f>> {
        let mut runs: Vec<Kept<'f>> = Vec::new();
        let mut off = 0;
        let mut open = false;
        for p in &self.pieces {
            if !open || runs.is_empty() {
                runs.push(Kept {
                    start: off,
                    bytes: Vec::new(),
                    ends,
                });
            }
            if let Some(r) = runs.last_mut() {
                r.bytes.extend_from_slice(&p.bytes);
            }
            open = p.bytes.len() == p.len;
            off += p.len;
        }
        runs.retain(|r| !r.bytes.is_empty());
        runs
    }

    /// When the flow first holds `needle` whole: the time of the call that moved its last byte.
    pub(crate) fn first_holding(&self, needle: &Needle) -> Option<Duration> {
        let ends = self.ends();
        self.kept(&ends)
            .iter()
            .filter_map(|k| {
                let end = needle.find(&k.bytes)?;
                let last = k.start + end - 1;
                k.ends.iter().find(|(e, _)| *e > last).map(|(_, at)| *at)
            })
            .min()
    }

    /// It holds `needle`, or may: bytes the trace did not keep may.
    pub(crate) fn may_hold(&self, needle: &Needle) -> bool {
        !self.whole() || self.first_holding(needle).is_some()
    }

    /// Its bytes in order, those the trace did not keep `None`, up to `max` of them.
    pub(super) fn known(&self, max: usize) -> impl Iterator<Item = Option<u8>> + '_ {
        self.pieces
            .iter()
            .flat_map(|p| (0..p.len).map(move |i| p.bytes.get(i).copied()))
            .take(max)
    }
}
