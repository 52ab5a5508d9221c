//! What went through the run's pipes and sockets, from the trace: each process's reads from and
//! writes into each channel end, in order ([`Flow`]); which socket ends are the two ends of one
//! connection; which processes share memory. The `came_through` check reads it.
//!
//! A pipe's two ends are one object. A socket's are two: the tracer pairs TCP ends from the TCP
//! table; other sockets (a socketpair, a connected Unix socket) are paired here, by their bytes:
//! what one end read, in order, is what the other end wrote, in order.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use tracer::{Channel, ChannelKind, Direction, Trace, Transfer};

/// Bytes of a socket's reads compared with a candidate other end's writes, at most.
const ALIGN_MAX: usize = 64 * 1024;
/// Bytes compared in pairing a run's sockets, at most (thousands of sockets stay cheap; past it,
/// the rest stay unpaired).
const ALIGN_BUDGET: usize = 64 << 20;

/// One read or write of a flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
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
    fn known(&self, max: usize) -> impl Iterator<Item = Option<u8>> + '_ {
        self.pieces
            .iter()
            .flat_map(|p| (0..p.len).map(move |i| p.bytes.get(i).copied()))
            .take(max)
    }
}

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
    fn find(&self, hay: &[u8]) -> Option<usize> {
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

/// A process that maps writable shared memory another process of the run maps too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedWith {
    /// The process.
    pub pid: i32,
    /// The other processes that map one of the same objects.
    pub with: Vec<i32>,
    /// The first such object's name in the maps (`/dev/zero (deleted)`: anonymous).
    pub name: String,
}

/// What went through the run's channels.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Channels {
    /// Every process's reads and writes, one flow per process, channel end and direction.
    pub flows: Vec<Flow>,
    /// Socket ends known to be the two ends of one connection (inodes).
    pub peers: Vec<[u64; 2]>,
    /// The processes that share writable memory with another process of the run.
    pub shared: Vec<SharedWith>,
    /// The trace stopped recording channel traffic (too many reads and writes) from this time.
    pub cut_at: Option<Duration>,
}

impl Channels {
    /// From a trace recorded with channels on.
    pub fn of(trace: &Trace) -> Channels {
        let mut flows: Vec<Flow> = Vec::new();
        let mut index: HashMap<(i32, Channel, Direction), usize> = HashMap::new();
        for t in &trace.transfers {
            let i = *index
                .entry((t.tgid, t.channel, t.direction))
                .or_insert_with(|| {
                    flows.push(Flow {
                        pid: t.tgid,
                        channel: t.channel,
                        direction: t.direction,
                        pieces: Vec::new(),
                    });
                    flows.len() - 1
                });
            flows[i].pieces.push(Piece {
                at: t.at,
                len: t.len,
                bytes: t.bytes.clone(),
            });
        }
        Channels {
            flows,
            peers: peers(trace),
            shared: shared(trace),
            cut_at: trace.transfers_dropped_from,
        }
    }

    /// The ends whose writes `channel`'s reads come from: a pipe itself, a socket's other
    /// end(s).
    pub(crate) fn sources(&self, channel: &Channel) -> Vec<u64> {
        match channel.kind {
            ChannelKind::Pipe => vec![channel.ino],
            ChannelKind::Socket => self
                .peers
                .iter()
                .filter_map(|p| match *p {
                    [a, b] if a == channel.ino => Some(b),
                    [a, b] if b == channel.ino => Some(a),
                    _ => None,
                })
                .collect(),
        }
    }

    /// The flows written into `ino` of `channel`'s device and kind.
    pub(crate) fn writes_into(&self, channel: &Channel, ino: u64) -> impl Iterator<Item = &Flow> {
        let (kind, dev) = (channel.kind, channel.dev);
        self.flows.iter().filter(move |f| {
            f.direction == Direction::Write
                && f.channel.kind == kind
                && f.channel.dev == dev
                && f.channel.ino == ino
        })
    }

    /// What process `pid` shares memory with, if anything.
    pub(crate) fn shared_by(&self, pid: i32) -> Option<&SharedWith> {
        self.shared.iter().find(|s| s.pid == pid)
    }
}

/// Socket ends paired: the tracer's TCP pairs, then every other socket end whose reads agree
/// with another end's writes (in order, on every byte both kept, no more read than written).
fn peers(trace: &Trace) -> Vec<[u64; 2]> {
    let mut pairs: BTreeSet<[u64; 2]> = trace
        .socket_peers
        .iter()
        .map(|&[a, b]| [a.min(b), a.max(b)])
        .collect();
    let paired: BTreeSet<u64> = pairs.iter().flatten().copied().collect();
    // Every socket end's reads and writes, all processes together, in order.
    let mut streams: HashMap<(Channel, Direction), Vec<&Transfer>> = HashMap::new();
    for t in trace
        .transfers
        .iter()
        .filter(|t| t.channel.kind == ChannelKind::Socket && !paired.contains(&t.channel.ino))
    {
        streams.entry((t.channel, t.direction)).or_default().push(t);
    }
    let flow = |ts: &[&Transfer]| Flow {
        pid: 0,
        channel: ts[0].channel,
        direction: ts[0].direction,
        pieces: ts
            .iter()
            .map(|t| Piece {
                at: t.at,
                len: t.len,
                bytes: t.bytes.clone(),
            })
            .collect(),
    };
    let reads: Vec<Flow> = streams
        .iter()
        .filter(|((_, d), _)| *d == Direction::Read)
        .map(|(_, ts)| flow(ts))
        .collect();
    let writes: Vec<Flow> = streams
        .iter()
        .filter(|((_, d), _)| *d == Direction::Write)
        .map(|(_, ts)| flow(ts))
        .collect();
    // Each end's writes indexed by their first byte: a read stream can only come from a write
    // stream that starts as it does.
    let mut by_first: HashMap<Option<u8>, Vec<&Flow>> = HashMap::new();
    for w in &writes {
        by_first
            .entry(w.known(1).next().flatten())
            .or_default()
            .push(w);
    }
    let mut budget = ALIGN_BUDGET;
    for r in &reads {
        let first = r.known(1).next().flatten();
        let candidates: Vec<&Flow> = match first {
            Some(_) => [None, first]
                .iter()
                .filter_map(|k| by_first.get(k))
                .flatten()
                .copied()
                .collect(),
            None => writes.iter().collect(),
        };
        for w in candidates {
            if w.channel.ino == r.channel.ino || w.channel.dev != r.channel.dev || r.len() > w.len()
            {
                continue;
            }
            let cost = r.len().min(ALIGN_MAX);
            if budget < cost {
                return pairs.into_iter().collect();
            }
            budget -= cost;
            let mut compared = 0usize;
            let agree = r
                .known(ALIGN_MAX)
                .zip(w.known(ALIGN_MAX))
                .all(|(a, b)| match (a, b) {
                    (Some(a), Some(b)) => {
                        compared += 1;
                        a == b
                    }
                    _ => true,
                });
            if agree && compared > 0 {
                let (a, b) = (r.channel.ino, w.channel.ino);
                pairs.insert([a.min(b), a.max(b)]);
            }
        }
    }
    pairs.into_iter().collect()
}

/// Each process that maps an object of writable shared memory another process maps too.
fn shared(trace: &Trace) -> Vec<SharedWith> {
    let procs: Vec<_> = trace
        .tasks
        .iter()
        .filter(|t| t.tid == t.tgid && !t.shared_memory.is_empty())
        .collect();
    let mut out: Vec<SharedWith> = Vec::new();
    for p in &procs {
        let mut with = Vec::new();
        let mut name = None;
        for q in procs.iter().filter(|q| q.tgid != p.tgid) {
            if let Some(m) = p.shared_memory.iter().find(|m| {
                q.shared_memory
                    .iter()
                    .any(|n| n.dev == m.dev && n.ino == m.ino)
            }) {
                with.push(q.tgid);
                name.get_or_insert_with(|| m.name.clone());
            }
        }
        if let Some(name) = name {
            match out.iter_mut().find(|s| s.pid == p.tgid) {
                Some(s) => s.with.extend(with),
                None => out.push(SharedWith {
                    pid: p.tgid,
                    with,
                    name,
                }),
            }
        }
    }
    for s in &mut out {
        s.with.sort_unstable();
        s.with.dedup();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channel(kind: ChannelKind, ino: u64) -> Channel {
        Channel { kind, dev: 9, ino }
    }

    fn transfer(pid: i32, ch: Channel, d: Direction, ms: u64, bytes: &[u8]) -> Transfer {
        Transfer {
            tid: pid,
            tgid: pid,
            channel: ch,
            direction: d,
            syscall: "x",
            at: Duration::from_millis(ms),
            len: bytes.len(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn a_value_is_found_as_text_or_as_an_integer_of_its_width() {
        let hay = b"\x80\x04K\x07M\xd2\x04\x8c\x06ping 3\x94";
        let found = |v: &str| needles(v).iter().any(|n| n.find(hay).is_some());
        // pickle: BININT1 7, BININT2 1234 (little-endian), a string holding "ping 3".
        assert!(found("7") && found("1234") && found("ping 3") && found("3"));
        assert!(!found("1235") && !found("ping 4"));
        // Digits inside a longer number are not the number.
        let text = needles("12");
        assert!(text[0].find(b"x=3124").is_none() && text[0].find(b"x=12,").is_some());
        // MessagePack: uint16 big-endian.
        assert!(
            needles("1234")
                .iter()
                .any(|n| n.find(b"\xcd\x04\xd2").is_some())
        );
    }

    #[test]
    fn a_value_split_over_two_reads_is_found_at_the_second() {
        let ch = channel(ChannelKind::Pipe, 1);
        let trace = Trace {
            transfers: vec![
                transfer(5, ch, Direction::Read, 10, b"run 12"),
                transfer(5, ch, Direction::Read, 20, b"34 ok"),
            ],
            ..Trace::default()
        };
        let c = Channels::of(&trace);
        let at = c.flows[0].first_holding(&needles("1234")[0]);
        assert_eq!(at, Some(Duration::from_millis(20)));
    }

    #[test]
    fn socket_ends_are_paired_by_their_bytes() {
        let (a, b, other) = (
            channel(ChannelKind::Socket, 1),
            channel(ChannelKind::Socket, 2),
            channel(ChannelKind::Socket, 3),
        );
        let trace = Trace {
            transfers: vec![
                transfer(5, a, Direction::Write, 1, b"\x06\0\0\0ping 1"),
                transfer(6, other, Direction::Write, 2, b"\x06\0\0\0pong 9"),
                transfer(7, b, Direction::Read, 3, b"\x06\0\0\0"),
                transfer(7, b, Direction::Read, 4, b"ping 1"),
            ],
            ..Trace::default()
        };
        let c = Channels::of(&trace);
        assert_eq!(c.peers, vec![[1, 2]]);
        assert_eq!(c.sources(&b), vec![1]);
        assert_eq!(c.sources(&channel(ChannelKind::Pipe, 8)), vec![8]);
    }
}
