//! What went through the run's pipes and sockets, from the trace: each process's reads from and
//! writes into each channel end, in order ([`Flow`]); which socket ends are the two ends of one
//! connection; which processes share memory. The `came_through` check reads it.
//!
//! A pipe's two ends are one object. A socket's are two: the tracer pairs TCP ends from the TCP
//! table; other sockets (a socketpair, a connected Unix socket) are paired here, by their bytes:
//! what one end read, in order, is what the other end wrote, in order.

use std::collections::HashMap;
use std::time::Duration;

use tracer::{Channel, ChannelKind, Direction, Trace};

mod flow;
mod needle;
mod pairing;
mod shared;

pub use flow::{Flow, Piece};
pub(crate) use needle::{Needle, needles};
pub use shared::SharedWith;

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
                entered: t.entered,
                at: t.at,
                len: t.len,
                bytes: t.bytes.clone(),
            });
        }
        Channels {
            flows,
            peers: pairing::peers(trace),
            shared: shared::shared(trace),
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

#[cfg(test)]
mod tests {
    use super::*;
    use tracer::Transfer;

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
            entered: Duration::from_millis(ms),
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
