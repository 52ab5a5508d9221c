//! `Process` on real forked children: exit codes, panics, terminate, reaping.

mod common;

use std::time::{Duration, Instant};

use common::{has_ended, is_reaped, within};
use multitask::{ErrorKind, Process, Queue};

#[test]
fn child_runs_in_another_process() {
    within(Duration::from_secs(10), || {
        let q = Queue::new().unwrap();
        let mut p = Process::new(|| q.put(multitask::current_pid()));
        p.start().unwrap();
        let child_pid = q.get().unwrap();
        p.join().unwrap();
        assert_eq!(Some(child_pid), p.pid());
        assert_ne!(child_pid, multitask::current_pid());
        assert_eq!(p.exitcode(), Some(0));
    });
}

#[test]
fn panicking_child_gives_nonzero_exitcode_and_its_message() {
    within(Duration::from_secs(10), || {
        fn broken() {
            panic!("the child broke: {}", 42)
        }
        let mut p = Process::new(broken);
        p.start().unwrap();
        let err = p.join().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ChildPanicked);
        assert_eq!(err.message(), "the child broke: 42");
        assert_eq!(err.pid(), p.pid());
        assert_eq!(p.exitcode(), Some(1));
        assert!(is_reaped(p.pid().unwrap()), "no zombie after join");
    });
}

#[test]
fn failing_target_is_reported_by_join() {
    within(Duration::from_secs(10), || {
        let mut p = Process::new(|| Err::<(), _>("cannot open input"));
        p.start().unwrap();
        let err = p.join().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ChildFailed);
        assert_eq!(err.message(), "cannot open input");
    });
}

#[test]
fn terminate_stops_a_child_blocked_in_get_and_reaps_it() {
    within(Duration::from_secs(10), || {
        let q: Queue<String> = Queue::new().unwrap();
        let started: Queue<u8> = Queue::new().unwrap();
        let mut reader = Process::new(|| -> multitask::Result<()> {
            started.put(1)?;
            loop {
                q.get()?;
            }
        });
        reader.start().unwrap();
        started.get().unwrap();
        let pid = reader.pid().unwrap();
        assert!(reader.is_alive());
        let t0 = Instant::now();
        reader.terminate().unwrap();
        assert!(t0.elapsed() < Duration::from_secs(2));
        assert_eq!(reader.exitcode(), Some(-15));
        assert!(!reader.is_alive());
        assert!(is_reaped(pid), "no zombie after terminate");
        reader.join().unwrap();
    });
}

#[test]
fn join_timeout_returns_and_can_be_called_again() {
    within(Duration::from_secs(10), || {
        let go: Queue<u8> = Queue::new().unwrap();
        let mut p = Process::new(|| go.get().map(|_| ()));
        p.start().unwrap();
        let t0 = Instant::now();
        let err = p.join_timeout(Duration::from_millis(100)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Timeout);
        assert!(t0.elapsed() >= Duration::from_millis(100));
        assert!(p.is_alive());
        go.put(1).unwrap();
        p.join_timeout(Duration::from_secs(5)).unwrap();
        assert_eq!(p.exitcode(), Some(0));
    });
}

#[test]
fn start_twice_and_join_before_start_are_errors() {
    let mut p = Process::new(|| ());
    assert_eq!(p.join().unwrap_err().kind(), ErrorKind::State);
    p.start().unwrap();
    assert_eq!(p.start().unwrap_err().kind(), ErrorKind::State);
    p.join().unwrap();
}

#[test]
fn each_child_draws_its_own_random_numbers() {
    within(Duration::from_secs(10), || {
        let q: Queue<u64> = Queue::new().unwrap();
        let mut children: Vec<Process> = (0..4)
            .map(|_| Process::new(|| q.put(multitask::random().to_bits())))
            .collect();
        for c in &mut children {
            c.start().unwrap();
        }
        let mut draws: Vec<u64> = (0..4).map(|_| q.get().unwrap()).collect();
        for c in &children {
            c.join().unwrap();
        }
        draws.sort();
        draws.dedup();
        assert_eq!(
            draws.len(),
            4,
            "forked children must not share a random stream"
        );
    });
}

#[test]
fn the_sentinel_of_a_child_that_ended_unjoined_is_readable_until_the_join() {
    within(Duration::from_secs(20), || {
        let mut p = Process::new(|| ());
        p.start().unwrap();
        let pid = p.pid().unwrap();
        // Ended and not yet reaped: a zombie of ours, whose pidfd is opened at the first ask.
        let deadline = Instant::now() + Duration::from_secs(10);
        while !has_ended(pid) {
            assert!(Instant::now() < deadline, "the child did not end");
            std::thread::yield_now();
        }
        let mut fd = libc::pollfd {
            fd: p.sentinel().unwrap(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd; no wait.
        assert_eq!(unsafe { libc::poll(&mut fd, 1, 0) }, 1);
        p.join().unwrap();
        assert_eq!(p.sentinel().unwrap_err().kind(), ErrorKind::State);
        assert!(is_reaped(pid));
    });
}

/// A child learns who it is at its first look, from its parent's identity and what it was told
/// at the fork: its name, its parent's name and pid, as Python's; a child of a bare `fork` keeps
/// its parent's name.
#[test]
fn a_grandchild_names_itself_and_its_parent_as_python_does() {
    common::isolated(Duration::from_secs(30), || {
        let seen: Queue<String> = Queue::new().unwrap();
        let mut child = Process::new(|| -> multitask::Result<()> {
            let child_pid = multitask::current_pid();
            let mut grandchild = Process::new(|| -> Result<(), String> {
                let me = multitask::current_process();
                let parent = multitask::parent_process().expect("a grandchild has a parent");
                let same_pid = parent.pid() == child_pid;
                let said = format!("{} {} {same_pid}", me.name(), parent.name());
                seen.put(said).map_err(|e| e.to_string())?;
                match multitask::fork().map_err(|e| e.to_string())? {
                    0 => {
                        let _ = seen.put(multitask::current_process().name().to_string());
                        // SAFETY: the forked copy leaves at once.
                        unsafe { libc::_exit(0) }
                    }
                    pid => nix::sys::wait::waitpid(nix::unistd::Pid::from_raw(pid), None)
                        .map(|_| ())
                        .map_err(|e| e.to_string()),
                }
            });
            grandchild.start()?;
            grandchild.join()
        });
        child.start().unwrap();
        let name = child.name().to_string();
        assert_eq!(seen.get().unwrap(), format!("{name}:1 {name} true"));
        assert_eq!(seen.get().unwrap(), format!("{name}:1"));
        child.join().unwrap();
    });
}
