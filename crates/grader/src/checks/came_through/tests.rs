//! The came_through check on made-up traces.

use std::time::Duration;

use tracer::{Channel, ChannelKind, Direction, SharedMemory, TaskKind, Trace, Transfer};

use super::super::duration::traced_run;
use super::super::testing::{MAIN_PID, judge_run, spec};
use crate::outcome::channels::Channels;
use crate::outcome::RunOutcome;
use crate::spec::params::Params;
use crate::spec::rule::{Ctx, classify};

const SPEC: &str = r#"
name = "t"
[[line]]
name = "run"
pattern = 'run task (?<N>\d+)'
[[check]]
name = "c"
type = "came_through"
line = "run"
capture = "N"
"#;

const WORKER: i32 = 200;
const MASTER: i32 = MAIN_PID;

fn transfer(pid: i32, ino: u64, d: Direction, ms: u64, bytes: &[u8]) -> Transfer {
    Transfer {
        tid: pid,
        tgid: pid,
        channel: Channel {
            kind: ChannelKind::Socket,
            dev: 8,
            ino,
        },
        direction: d,
        syscall: "x",
        entered: Duration::from_millis(ms),
        at: Duration::from_millis(ms),
        len: bytes.len(),
        bytes: bytes.to_vec(),
    }
}

/// A worker's `run task 1234` line at 1 s, after the transfers.
fn run(transfers: Vec<Transfer>, shared: bool) -> RunOutcome {
    let mut r = traced_run(&[("run task 1234", 1.0, WORKER)]);
    let mut trace = Trace {
        transfers,
        ..Trace::default()
    };
    if shared {
        for pid in [MASTER, WORKER] {
            trace.tasks.push(tracer::Task {
                tid: pid,
                tgid: pid,
                creator: None,
                kind: TaskKind::Process,
                created_at: Duration::ZERO,
                execs: Vec::new(),
                exiting_at: None,
                ended_at: None,
                end: None,
                comm: None,
                cpu_time: None,
                shared_memory: vec![SharedMemory {
                    dev: 1,
                    ino: 77,
                    name: "/dev/zero (deleted)".into(),
                }],
            });
        }
    }
    r.channels = Channels::of(&trace);
    r
}

fn not_judged(r: &RunOutcome) -> Option<String> {
    let s = spec(SPEC).expect("spec");
    let params = Params::resolve(&s, &[], 1.0).expect("params");
    let lines = classify(&s.lines, &r.lines);
    let ctx = Ctx {
        kinds: &s.lines,
        params: &params,
        run: r,
        lines: &lines,
    };
    s.checks[0].rule.not_judged(&ctx).map(|n| n.why.to_string())
}

#[test]
fn a_value_read_from_another_processs_socket_came_through() {
    // The master sends {"n": 1234}; the worker reads it in two pieces.
    let honest = run(
        vec![
            transfer(MASTER, 1, Direction::Write, 100, b"{\"n\":1234}"),
            transfer(WORKER, 2, Direction::Read, 200, b"{\"n\":12"),
            transfer(WORKER, 2, Direction::Read, 300, b"34}"),
        ],
        false,
    );
    assert_eq!(judge_run(SPEC, &honest), Ok(()));
    // Pickled little-endian: BININT2.
    let pickled = run(
        vec![
            transfer(MASTER, 1, Direction::Write, 100, b"\x80\x04M\xd2\x04."),
            transfer(WORKER, 2, Direction::Read, 200, b"\x80\x04M\xd2\x04."),
        ],
        false,
    );
    assert_eq!(judge_run(SPEC, &pickled), Ok(()));
}

#[test]
fn a_value_from_nowhere_or_from_itself_or_too_late_fails() {
    // It talks to the master, but the master never sent 1234.
    let other = run(
        vec![
            transfer(MASTER, 1, Direction::Write, 100, b"{\"ok\":true}"),
            transfer(WORKER, 2, Direction::Read, 200, b"{\"ok\":true}"),
        ],
        false,
    );
    let e = judge_run(SPEC, &other).unwrap_err();
    assert!(e.contains("line 1") && e.contains("none of the 11 bytes"), "{e}");
    let nothing = run(Vec::new(), false);
    let e = judge_run(SPEC, &nothing).unwrap_err();
    assert!(e.contains("read nothing"), "{e}");
    // Read after the line was printed.
    let late = run(
        vec![
            transfer(MASTER, 1, Direction::Write, 100, b"1234"),
            transfer(WORKER, 2, Direction::Read, 1500, b"1234"),
        ],
        false,
    );
    assert!(judge_run(SPEC, &late).is_err());
    // A socketpair of its own: it wrote 1234 into one end and read it from the other.
    let own = run(
        vec![
            transfer(WORKER, 1, Direction::Write, 100, b"1234"),
            transfer(WORKER, 2, Direction::Read, 200, b"1234"),
        ],
        false,
    );
    let e = judge_run(SPEC, &own).unwrap_err();
    assert!(e.contains("no other process wrote it"), "{e}");
}

#[test]
fn a_line_after_the_trace_stopped_recording_channels_is_not_judged() {
    let mut flood = run(Vec::new(), false);
    flood.channels.cut_at = Some(Duration::from_millis(500));
    let why = not_judged(&flood).expect("not judged");
    assert!(why.contains("stopped recording"), "{why}");
    // Cut after the line: the line is judged.
    flood.channels.cut_at = Some(Duration::from_secs(2));
    assert_eq!(not_judged(&flood), None);
    assert!(judge_run(SPEC, &flood).is_err());
}

#[test]
fn a_check_no_run_judged_is_not_checked_and_says_why() {
    let s = spec(SPEC).expect("spec");
    let params = Params::resolve(&s, &[], 1.0).expect("params");
    // One run through shared memory, one without a line to judge.
    let mut shared = run(Vec::new(), true);
    let mut quiet = traced_run(&[]);
    for r in [&mut shared, &mut quiet] {
        r.tracing = crate::outcome::writer::Tracing::On;
    }
    let report = crate::verdict::judge::judge(&s, &params, &[shared, quiet]);
    let c = report.checks.last().expect("the check");
    assert_eq!(c.status, crate::verdict::report::CheckStatus::NotChecked);
    assert_eq!(c.not_judged.as_deref(), Some(super::SHARED_MEMORY));
    assert!(
        report.text(false).contains("not checked: the channel is shared memory"),
        "{}",
        report.text(false)
    );
}

#[test]
fn shared_memory_is_not_judged_and_a_channel_still_counts() {
    let quiet = run(Vec::new(), true);
    let why = not_judged(&quiet).expect("not judged");
    assert!(why.contains("shared memory") && why.contains("with pid 100"), "{why}");
    let through = run(
        vec![
            transfer(MASTER, 1, Direction::Write, 100, b"1234"),
            transfer(WORKER, 2, Direction::Read, 200, b"1234"),
        ],
        true,
    );
    assert_eq!(not_judged(&through), None);
    assert_eq!(judge_run(SPEC, &through), Ok(()));
}
