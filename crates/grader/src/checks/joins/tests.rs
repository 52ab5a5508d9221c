use std::time::Duration;

use tracer::{Channel, ChannelKind, Direction, Eof, PidfdOpen, Ready, Reap, Trace, Transfer};

use super::{Knowledge, Saw, Timeline};
use crate::outcome::RunOutcome;
use crate::outcome::channels::Channels;
use crate::outcome::ends::Ends;
use crate::outcome::writer::{Role, RunTask};

const MAIN: i32 = 100;
const CHILD: i32 = 7;
const SERVER: i32 = 8;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn process(pid: i32, ppid: Option<i32>, ended: u64) -> RunTask {
    RunTask {
        pid,
        tid: pid,
        ppid,
        role: if ppid.is_none() {
            Role::Main
        } else {
            Role::Process
        },
        created_at: Duration::ZERO,
        ended_at: Some(ms(ended)),
        exit_code: Some(0),
        cpu_time: None,
        execs: Vec::new(),
        exec_paths: Vec::new(),
        system_execs: Vec::new(),
        last_exec_at: None,
    }
}

fn reap(by: i32, pid: Option<i32>, at: u64) -> Reap {
    Reap {
        tid: by,
        tgid: by,
        pid,
        kept: false,
        syscall: "wait4",
        at: ms(at),
    }
}

/// The main process and its child, which ends at 10 ms (its exit stop at 9 ms).
fn run(reaps: Vec<Reap>) -> RunOutcome {
    let mut ends = Ends {
        recorded: true,
        reaps,
        ..Ends::default()
    };
    ends.exits.insert(CHILD, ms(9));
    ends.exit_stops.insert(CHILD, vec![Some(ms(9))]);
    RunOutcome {
        main_pid: MAIN,
        tasks: vec![process(MAIN, None, 100), process(CHILD, Some(MAIN), 10)],
        ends,
        ..RunOutcome::default()
    }
}

fn learned(r: &RunOutcome, w: i32) -> std::collections::BTreeMap<i32, Duration> {
    Timeline::of(r).learned(r, w)
}

#[test]
fn a_reap_is_seeing_the_end_and_a_reap_after_the_line_is_too_late() {
    let r = run(vec![reap(MAIN, Some(CHILD), 20)]);
    assert_eq!(learned(&r, CHILD).get(&MAIN), Some(&ms(20)));
    let mut k = Knowledge::default();
    assert_eq!(k.saw(&r, MAIN, CHILD, ms(30)), Saw::Yes);
    let Saw::No(how) = k.saw(&r, MAIN, CHILD, ms(15)) else {
        panic!("a line before the reap")
    };
    assert!(how.to_string().contains("only at 0.020 s"), "{how}");
    let Saw::No(how) = Knowledge::default().saw(&run(Vec::new()), MAIN, CHILD, ms(15)) else {
        panic!("no reap at all")
    };
    assert!(how.to_string().contains("had not waited"), "{how}");
    let Saw::No(how) = Knowledge::default().saw(&run(Vec::new()), MAIN, CHILD, ms(5)) else {
        panic!("a child still running")
    };
    assert!(how.to_string().contains("still running"), "{how}");
}

#[test]
fn no_child_left_after_its_end_is_seeing_it_and_before_is_not() {
    // SIGCHLD ignored: the kernel reaped the child; the parent's wait finds none left.
    let after = run(vec![reap(MAIN, None, 12)]);
    assert_eq!(learned(&after, CHILD).get(&MAIN), Some(&ms(12)));
    let before = run(vec![reap(MAIN, None, 5)]);
    assert_eq!(learned(&before, CHILD).get(&MAIN), None);
}

#[test]
fn a_fork_servers_child_is_seen_through_the_pipe_the_server_writes_after_reaping_it() {
    let pipe = Channel {
        kind: ChannelKind::Pipe,
        dev: 9,
        ino: 55,
    };
    let moved = |pid: i32, d: Direction, entered: u64, at: u64| Transfer {
        tid: pid,
        tgid: pid,
        channel: pipe,
        direction: d,
        syscall: "x",
        entered: ms(entered),
        at: ms(at),
        len: 8,
        bytes: vec![0; 8],
    };
    let mut r = run(vec![reap(SERVER, Some(CHILD), 12)]);
    r.tasks[1].ppid = Some(SERVER);
    r.tasks.push(process(SERVER, Some(MAIN), 90));
    // The server wrote the child's pid at its start (before the reap), its exit code after
    // (the parent's read returned before the server's write was seen to).
    r.channels = Channels::of(&Trace {
        transfers: vec![
            moved(SERVER, Direction::Write, 2, 2),
            moved(MAIN, Direction::Read, 1, 3),
            moved(SERVER, Direction::Write, 13, 16),
            moved(MAIN, Direction::Read, 5, 14),
        ],
        ..Trace::default()
    });
    let knew = learned(&r, CHILD);
    assert_eq!(
        (knew.get(&SERVER), knew.get(&MAIN)),
        (Some(&ms(12)), Some(&ms(14)))
    );
    let mut k = Knowledge::default();
    assert_eq!(k.saw(&r, MAIN, CHILD, ms(20)), Saw::Yes);
    // Before the server told it, the parent cannot have waited for another's child: unknown.
    assert!(
        matches!(k.saw(&r, MAIN, CHILD, ms(13)), Saw::Unknown(w) if w.to_string().contains("made by pid 8"))
    );
    // ... unless the child was still running.
    assert!(
        matches!(k.saw(&r, MAIN, CHILD, ms(8)), Saw::No(w) if w.to_string().contains("still running"))
    );
}

#[test]
fn an_eof_counts_on_a_pipe_the_child_wrote_into_after_its_exit() {
    let pipe = |ino| Channel {
        kind: ChannelKind::Pipe,
        dev: 9,
        ino,
    };
    let mut r = run(Vec::new());
    r.channels = Channels::of(&Trace {
        transfers: vec![Transfer {
            tid: CHILD,
            tgid: CHILD,
            channel: pipe(1),
            direction: Direction::Write,
            syscall: "write",
            entered: ms(3),
            at: ms(3),
            len: 1,
            bytes: b"x".to_vec(),
        }],
        ..Trace::default()
    });
    let eof = |ino, at| Eof {
        tid: MAIN,
        tgid: MAIN,
        channel: pipe(ino),
        syscall: "read",
        at: ms(at),
    };
    r.ends.eofs = vec![eof(2, 9), eof(1, 8), eof(1, 9)];
    assert_eq!(learned(&r, CHILD).get(&MAIN), Some(&ms(9)));
}

#[test]
fn a_pidfd_polled_or_one_process_is_not_judged() {
    let mut r = run(Vec::new());
    r.ends.pidfd_opens.push(PidfdOpen {
        tid: MAIN,
        tgid: MAIN,
        pid: CHILD,
        at: ms(1),
    });
    // Opened and never polled: no news of the end.
    assert!(matches!(
        Knowledge::default().saw(&r, MAIN, CHILD, ms(50)),
        Saw::No(_)
    ));
    r.ends.readies.push(Ready {
        tid: MAIN,
        tgid: MAIN,
        syscall: "poll",
        at: ms(20),
    });
    let mut k = Knowledge::default();
    assert!(
        matches!(k.saw(&r, MAIN, CHILD, ms(50)), Saw::Unknown(w) if w.to_string().contains("pidfd"))
    );
    // A pidfd cannot show the end of a child still running at the line.
    assert!(
        matches!(k.saw(&r, MAIN, CHILD, ms(8)), Saw::No(w) if w.to_string().contains("still running"))
    );
    assert!(matches!(k.saw(&r, MAIN, MAIN, ms(50)), Saw::Unknown(_)));
    r.ends.recorded = false;
    assert!(matches!(
        Knowledge::default().saw(&r, MAIN, CHILD, ms(50)),
        Saw::Unknown(_)
    ));
}

#[test]
fn a_descriptor_ready_after_the_childs_end_is_not_judged_and_before_it_is_no_excuse() {
    let mut r = run(Vec::new());
    let ready = |at| Ready {
        tid: MAIN,
        tgid: MAIN,
        syscall: "poll",
        at: ms(at),
    };
    // Ready before the child's end (10 ms): no sign of it; the line fails.
    r.ends.readies.push(ready(5));
    assert!(matches!(
        Knowledge::default().saw(&r, MAIN, CHILD, ms(50)),
        Saw::No(_)
    ));
    // Ready after it (a sentinel may close then): not judged.
    r.ends.readies.push(ready(20));
    assert!(
        matches!(Knowledge::default().saw(&r, MAIN, CHILD, ms(50)), Saw::Unknown(w) if w.to_string().contains("poll"))
    );
    // Another process's readiness says nothing of the parent's.
    r.ends.readies = vec![Ready {
        tgid: CHILD + 1,
        ..ready(20)
    }];
    assert!(matches!(
        Knowledge::default().saw(&r, MAIN, CHILD, ms(50)),
        Saw::No(_)
    ));
}

#[test]
fn a_reap_of_a_process_that_knew_passes_the_news_on() {
    // sh reaped uname (its child), then the port reaped sh.
    const SH: i32 = 9;
    let mut r = run(vec![reap(SH, Some(CHILD), 12), reap(MAIN, Some(SH), 15)]);
    r.tasks[1].ppid = Some(SH);
    r.tasks.push(process(SH, Some(MAIN), 14));
    assert_eq!(learned(&r, CHILD).get(&MAIN), Some(&ms(15)));
}
