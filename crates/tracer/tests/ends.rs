//! How processes learn of each other's ends and end each other: waits for a child, a pidfd, a
//! read that found a pipe closed, signals sent.

mod support;

use support::{assert_nothing_left, opts, python, run};

#[test]
fn waits_pidfds_eofs_and_signals_are_recorded() {
    let mut o = opts();
    o.waits = true;
    o.channels = true;
    let got = run(python("ends.py", &[]), &o);
    let trace = &got.trace;
    assert_nothing_left(trace);
    let pids: Vec<i32> = got
        .stdout
        .split_whitespace()
        .map(|p| p.parse().expect("a pid"))
        .collect();
    let [a, b, c, d] = pids[..] else {
        panic!("{}{}", got.stdout, got.stderr)
    };
    let main = trace.main_pid;
    let reaped: Vec<(Option<i32>, bool, &str)> = trace
        .reaps
        .iter()
        .map(|r| {
            assert_eq!(r.tgid, main, "{r:?}");
            (r.pid, r.kept, r.syscall)
        })
        .collect();
    assert_eq!(
        reaped,
        [
            (Some(a), false, "wait4"),
            (Some(b), true, "waitid"),
            (Some(b), false, "waitid"),
            (Some(c), false, "waitid"),
            (Some(d), false, "wait4"),
            (None, false, "wait4"),
        ],
        "{:#?}",
        trace.reaps
    );
    assert_eq!(
        trace
            .pidfd_opens
            .iter()
            .map(|p| (p.tgid, p.pid))
            .collect::<Vec<_>>(),
        [(main, c)]
    );
    let sent: Vec<(i32, i32, i32)> = trace
        .signals
        .iter()
        .map(|s| (s.tgid, s.target, s.signal))
        .collect();
    assert_eq!(sent, [(main, d, libc::SIGTERM)], "{:#?}", trace.signals);
    // The pipe's EOF, read after c's end.
    let c_end = trace.task(c).and_then(|t| t.exiting_at).expect("c ended");
    assert!(
        trace.eofs.iter().any(|e| e.tgid == main && e.at >= c_end),
        "{:#?}",
        trace.eofs
    );
}

#[test]
fn without_waits_none_is_recorded() {
    let got = run(python("ends.py", &[]), &opts());
    let t = &got.trace;
    assert!(t.reaps.is_empty() && t.signals.is_empty() && t.pidfd_opens.is_empty());
    assert!(t.eofs.is_empty(), "EOFs need channels");
}
