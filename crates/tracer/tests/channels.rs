//! Channel traffic: which task wrote which bytes into a pipe, a socketpair or a TCP connection,
//! and which task read them; a peek is no read, a file read is no channel, and shared memory
//! two processes map is named in both.

mod support;

use support::{assert_nothing_left, opts, python, run};
use tracer::{ChannelKind, Direction, Trace, Transfer};

/// The transfers of `direction` whose bytes are `bytes`.
fn moved<'t>(trace: &'t Trace, direction: Direction, bytes: &[u8]) -> Vec<&'t Transfer> {
    trace
        .transfers
        .iter()
        .filter(|t| t.direction == direction && t.bytes == bytes)
        .collect()
}

#[test]
fn reads_and_writes_on_pipes_and_sockets_are_recorded_with_their_ends() {
    let mut o = opts();
    o.channels = true;
    let got = run(python("channels.py", &[]), &o);
    let trace = &got.trace;
    assert!(got.stdout.ends_with("ok\n"), "{}{}", got.stdout, got.stderr);
    assert_nothing_left(trace);
    let parent = trace.main_pid;
    let child = trace
        .tasks
        .iter()
        .find(|t| t.tgid != parent)
        .expect("the forked child")
        .tgid;

    // The pipe: one object, written by the child, read by the parent.
    let text = format!("pipe-{child}");
    let (w, r) = (
        moved(trace, Direction::Write, text.as_bytes()),
        moved(trace, Direction::Read, text.as_bytes()),
    );
    assert_eq!((w.len(), r.len()), (1, 1), "{:#?}", trace.transfers);
    assert_eq!((w[0].tgid, r[0].tgid), (child, parent));
    assert_eq!(w[0].channel, r[0].channel);
    assert_eq!(w[0].channel.kind, ChannelKind::Pipe);

    // The socketpair: sendmsg of two pieces, read once after a peek (the peek is no read).
    let text = format!("pair-{child}");
    let (w, r) = (
        moved(trace, Direction::Write, text.as_bytes()),
        moved(trace, Direction::Read, text.as_bytes()),
    );
    assert_eq!((w.len(), r.len()), (1, 1), "{:#?}", trace.transfers);
    assert_eq!((w[0].syscall, r[0].syscall), ("sendmsg", "recvmsg"));
    assert_eq!(w[0].channel.kind, ChannelKind::Socket);
    assert_ne!(w[0].channel.ino, r[0].channel.ino, "two ends, two sockets");

    // TCP on loopback: the two ends are paired from the TCP table.
    let text = format!("tcp-{child}");
    let w = moved(trace, Direction::Write, text.as_bytes());
    assert_eq!(w.len(), 1, "{:#?}", trace.transfers);
    let read: Vec<u8> = trace
        .transfers
        .iter()
        .filter(|t| t.direction == Direction::Read && t.tgid == parent)
        .filter(|t| t.channel.kind == ChannelKind::Socket && t.bytes.starts_with(b"tcp-"))
        .flat_map(|t| t.bytes.clone())
        .collect();
    assert!(read.starts_with(b"tcp-"), "{:#?}", trace.transfers);
    let reader_end = trace
        .transfers
        .iter()
        .find(|t| t.direction == Direction::Read && t.bytes.starts_with(b"tcp-"))
        .expect("the read")
        .channel
        .ino;
    let pair = [w[0].channel.ino, reader_end];
    assert!(
        trace
            .socket_peers
            .iter()
            .any(|p| *p == pair || *p == [pair[1], pair[0]]),
        "{pair:?} not in {:?}",
        trace.socket_peers
    );

    // The run's stdout and the script file read are no channel traffic.
    assert!(
        trace
            .transfers
            .iter()
            .all(|t| !t.bytes.starts_with(b"pid ") && !t.bytes.starts_with(b"\"\"\"Moves")),
        "{:#?}",
        trace.transfers
    );

    // The anonymous shared mapping, in both processes.
    let shared = |pid: i32| {
        trace
            .tasks
            .iter()
            .find(|t| t.tid == pid)
            .map(|t| t.shared_memory.clone())
            .unwrap_or_default()
    };
    let (p, c) = (shared(parent), shared(child));
    assert!(
        p.iter().any(|m| c.contains(m)),
        "no mapping in common: {p:?} / {c:?}"
    );
}

#[test]
fn without_channels_nothing_is_recorded() {
    let got = run(python("channels.py", &[]), &opts());
    assert!(got.stdout.ends_with("ok\n"), "{}{}", got.stdout, got.stderr);
    assert!(got.trace.transfers.is_empty());
    assert!(got.trace.socket_peers.is_empty());
    assert!(got.trace.tasks.iter().all(|t| t.shared_memory.is_empty()));
}

#[test]
fn past_the_cap_transfers_are_counted_not_kept() {
    let mut o = opts();
    o.channels = true;
    o.max_transfers = 3;
    let got = run(python("channels.py", &[]), &o);
    assert!(got.stdout.ends_with("ok\n"), "{}{}", got.stdout, got.stderr);
    let trace = &got.trace;
    assert_eq!(trace.transfers.len(), 3);
    assert!(trace.transfers_dropped > 0, "{trace:#?}");
    let from = trace
        .transfers_dropped_from
        .expect("when the cap was passed");
    assert!(trace.transfers.iter().all(|t| t.at <= from));
}
