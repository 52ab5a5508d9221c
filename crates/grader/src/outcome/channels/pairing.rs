//! Which socket ends are the two ends of one connection: the tracer's TCP pairs, and the rest
//! paired by their bytes.

use std::collections::{BTreeSet, HashMap};

use tracer::{Channel, ChannelKind, Direction, Trace, Transfer};

use super::flow::{Flow, Piece};

/// Bytes of a socket's reads compared with a candidate other end's writes, at most.
const ALIGN_MAX: usize = 64 * 1024;
/// Bytes compared in pairing a run's sockets, at most (thousands of sockets stay cheap; past it,
/// the rest stay unpaired).
const ALIGN_BUDGET: usize = 64 << 20;

/// Socket ends paired: the tracer's TCP pairs, then every other socket end whose reads agree
/// with another end's writes (in order, on every byte both kept, no more read than written).
pub(super) fn peers(trace: &Trace) -> Vec<[u64; 2]> {
    let mut pairs: BTreeSet<[u64; 2]> = trace
        .socket_peers
        .iter()
        .map(|&[a, b]| [a.min(b), a.max(b)])
        .collect();
    let paired: BTreeSet<u64> = pairs.iter().flatten().copied().collect();
    let (reads, writes) = streams(trace, &paired);
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
            if agree(r, w) {
                let (a, b) = (r.channel.ino, w.channel.ino);
                pairs.insert([a.min(b), a.max(b)]);
            }
        }
    }
    pairs.into_iter().collect()
}

/// Every socket end not yet paired, its reads and its writes, all processes together, in order:
/// (read streams, write streams).
fn streams(trace: &Trace, paired: &BTreeSet<u64>) -> (Vec<Flow>, Vec<Flow>) {
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
                entered: t.entered,
                at: t.at,
                len: t.len,
                bytes: t.bytes.clone(),
            })
            .collect(),
    };
    let of = |d: Direction| -> Vec<Flow> {
        streams
            .iter()
            .filter(|((_, sd), _)| *sd == d)
            .map(|(_, ts)| flow(ts))
            .collect()
    };
    (of(Direction::Read), of(Direction::Write))
}

/// `r`'s reads are `w`'s writes: every byte both kept agrees, and at least one was compared.
fn agree(r: &Flow, w: &Flow) -> bool {
    let mut compared = 0usize;
    let same = r
        .known(ALIGN_MAX)
        .zip(w.known(ALIGN_MAX))
        .all(|(a, b)| match (a, b) {
            (Some(a), Some(b)) => {
                compared += 1;
                a == b
            }
            _ => true,
        });
    same && compared > 0
}
