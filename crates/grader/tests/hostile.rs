//! The runner against real programs, hostile ones included: each ends in time, says what
//! happened, and leaves no process of its tree alive or unreaped. Cargo runs these tests in
//! parallel threads of one process, which also checks that concurrent runs keep apart.

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use grader::{Exit, RunOutcome};
use grader::{RunConfig, RunErrorKind, run_once};
use nix::sys::signal::kill;
use nix::unistd::Pid;
use procfs::process::Process;

/// A test that takes longer than this is hung, whatever it tests.
const WATCHDOG: Duration = Duration::from_secs(30);

fn fixture(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/hostile");
    dir.join(name)
        .canonicalize()
        .unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

/// A token unique to one test of one test process, passed as an argument so that every process
/// of that test (forked, so same command line) can be found in /proc.
fn tag(test: &str) -> String {
    format!("tag-{test}-{}", std::process::id())
}

fn config(program: impl Into<OsString>, args: &[&str], timeout_secs: u64) -> RunConfig {
    let mut cfg = RunConfig::new(program, args.iter().map(OsString::from).collect());
    cfg.timeout = Duration::from_secs(timeout_secs);
    cfg
}

/// Runs `f` on its own thread and fails the test if it does not finish within the watchdog.
fn with_watchdog<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)));
    });
    match rx.recv_timeout(WATCHDOG) {
        Ok(Ok(v)) => v,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => panic!("test hung for {WATCHDOG:?}"),
    }
}

/// Runs `cfg` once and checks it ended within its timeout plus 2 s.
fn run_timed(cfg: &RunConfig) -> RunOutcome {
    let t = Instant::now();
    let outcome = run_once(cfg, 1).unwrap_or_else(|e| panic!("run failed: {e}"));
    let took = t.elapsed();
    assert!(
        took <= cfg.timeout + Duration::from_secs(2),
        "the run took {took:?}, timeout {:?}",
        cfg.timeout
    );
    outcome
}

fn proc_cmdline(pid: i32) -> String {
    Process::new(pid)
        .and_then(|p| p.cmdline())
        .map(|args| args.join(" "))
        .unwrap_or_default()
}

fn proc_ppid(pid: i32) -> Option<i32> {
    Some(Process::new(pid).ok()?.stat().ok()?.ppid)
}

/// Every process on the machine whose command line contains `needle`.
fn processes_with(needle: &str) -> Vec<(i32, String)> {
    let me = std::process::id() as i32;
    procfs::process::all_processes()
        .expect("read /proc")
        .filter_map(|p| Some(p.ok()?.pid))
        .filter(|&pid| pid != me)
        .map(|pid| (pid, proc_cmdline(pid)))
        .filter(|(_, cmd)| cmd.contains(needle))
        .collect()
}

/// Nothing of the run may remain: no process carrying the test's tag, and every pid the outcome
/// reported is gone (not even a zombie of ours), or recycled by an unrelated process.
fn assert_nothing_left(outcome: &RunOutcome, needle: &str) {
    let alive = processes_with(needle);
    assert!(alive.is_empty(), "processes left alive: {alive:?}");
    let me = std::process::id() as i32;
    let reported = outcome
        .left_behind
        .iter()
        .map(|p| p.pid)
        .chain([outcome.main_pid]);
    for pid in reported {
        if kill(Pid::from_raw(pid), None).is_err() {
            continue;
        }
        assert_ne!(
            proc_ppid(pid),
            Some(me),
            "pid {pid} is still our child (alive or an unreaped zombie)"
        );
        assert!(
            !proc_cmdline(pid).contains(needle),
            "pid {pid} is still alive: {}",
            proc_cmdline(pid)
        );
    }
}

fn texts(outcome: &RunOutcome) -> Vec<&str> {
    outcome.lines.iter().map(|l| l.text.as_str()).collect()
}

#[test]
fn a_normal_program_gives_its_lines_exactly() {
    with_watchdog(|| {
        let cfg = config("/bin/sh", &["-c", "echo one; echo two; echo three"], 10);
        let o = run_timed(&cfg);
        assert_eq!(texts(&o), ["one", "two", "three"]);
        assert!(o.lines.iter().all(|l| l.utf8));
        assert!(o.lines.windows(2).all(|w| w[0].at <= w[1].at));
        assert!(o.lines.iter().all(|l| l.at <= o.elapsed));
        assert_eq!(o.exit, Some(Exit::Code(0)));
        assert!(o.left_behind.is_empty());
        assert!(!o.timed_out && !o.output_limit_hit);
        assert_eq!(o.adopter_pid, std::process::id() as i32);
        assert_ne!(o.main_pid, o.adopter_pid);
        assert_eq!(o.run, 1);
        assert_eq!(o.stderr_tail, "");
        assert_nothing_left(&o, "echo one; echo two");
    });
}

#[test]
fn the_run_number_and_environment_reach_the_outcome_and_the_program() {
    with_watchdog(|| {
        let mut cfg = config("/bin/sh", &["-c", "echo \"$GRADER_TEST_VALUE\""], 10);
        cfg.env
            .push(("GRADER_TEST_VALUE".into(), "from the config".into()));
        let o = run_once(&cfg, 7).expect("run");
        assert_eq!(o.run, 7);
        assert_eq!(texts(&o), ["from the config"]);
    });
}

#[test]
fn a_last_line_without_newline_is_a_line() {
    with_watchdog(|| {
        let o = run_timed(&config("/usr/bin/printf", &["a\\nb"], 10));
        assert_eq!(texts(&o), ["a", "b"]);
        assert_eq!(o.exit, Some(Exit::Code(0)));
    });
}

#[test]
fn exit_codes_signals_and_stderr_are_reported() {
    with_watchdog(|| {
        let o = run_timed(&config("/bin/sh", &["-c", "echo oops >&2; exit 3"], 10));
        assert_eq!(o.exit, Some(Exit::Code(3)));
        assert_eq!(o.stderr_tail, "oops\n");
        assert!(o.lines.is_empty());

        let o = run_timed(&config("/bin/sh", &["-c", "kill -TERM $$"], 10));
        assert_eq!(o.exit, Some(Exit::Signal(libc::SIGTERM)));
        assert!(!o.timed_out);
    });
}

#[test]
fn a_chatty_stderr_does_not_block_stdout() {
    with_watchdog(|| {
        // 400 KB on stderr first: more than a pipe holds, so a runner reading stdout only would hang.
        let script = "head -c 400000 /dev/zero | tr '\\0' e >&2; echo done";
        let o = run_timed(&config("/bin/sh", &["-c", script], 10));
        assert_eq!(texts(&o), ["done"]);
        assert_eq!(o.exit, Some(Exit::Code(0)));
        assert!(!o.output_limit_hit);
        assert!(o.stderr_tail.len() <= 8192 && o.stderr_tail.ends_with("eee"));
    });
}

#[test]
fn a_missing_or_unrunnable_command_is_a_clear_error() {
    with_watchdog(|| {
        let e = run_once(&config("./no-such-program-here", &[], 5), 1).unwrap_err();
        assert_eq!(e.kind(), RunErrorKind::NotFound);
        assert_eq!(e.to_string(), "command not found: ./no-such-program-here");

        let not_exec = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
        let e = run_once(&config(not_exec.as_os_str(), &[], 5), 1).unwrap_err();
        assert_eq!(e.kind(), RunErrorKind::Spawn);
        assert!(e.to_string().starts_with("command not executable: "), "{e}");
        assert!(!e.to_string().contains('\n'));
    });
}

#[test]
fn a_program_that_never_ends_is_killed_at_the_timeout() {
    with_watchdog(|| {
        let t = tag("never");
        let cfg = config(fixture("never_ends.py"), &[&t], 3);
        let o = run_timed(&cfg);
        assert!(o.timed_out);
        assert_eq!(o.exit, None, "the grader killed it");
        assert!(o.elapsed >= cfg.timeout);
        // Python prints at once, but a loaded machine might not even start it within the timeout.
        assert!(
            texts(&o) == ["started"] || o.lines.is_empty(),
            "{:?}",
            texts(&o)
        );
        assert!(o.left_behind.is_empty(), "the main process never exited");
        assert_nothing_left(&o, &t);
    });
}

#[test]
fn a_grandchild_holding_stdout_is_left_behind_and_killed() {
    with_watchdog(|| {
        let t = tag("grandchild");
        let cfg = config(fixture("grandchild_holds_stdout.py"), &[&t], 10);
        let o = run_timed(&cfg);
        assert_eq!(o.exit, Some(Exit::Code(0)));
        assert!(!o.timed_out, "the grace period ends it, not the timeout");
        assert_eq!(o.left_behind.len(), 1, "{:?}", o.left_behind);
        let grandchild = &o.left_behind[0];
        assert!(grandchild.cmdline.contains(&t), "{}", grandchild.cmdline);
        // The grandchild said its own pid: the one reported must be that one.
        let said = format!("grandchild {} holds stdout", grandchild.pid);
        assert!(texts(&o).contains(&said.as_str()), "{:?}", texts(&o));
        assert!(texts(&o).contains(&"parent done"));
        assert_nothing_left(&o, &t);
    });
}

#[test]
fn a_200_mb_flood_hits_the_output_limit_in_bounded_memory() {
    with_watchdog(|| {
        let t = tag("flood");
        let cfg = config(fixture("flood.py"), &[&t], 10);
        let o = run_timed(&cfg);
        assert!(o.output_limit_hit);
        assert!(!o.timed_out);
        let stored: usize = o.lines.iter().map(|l| l.text.len() + 1).sum();
        assert!(stored <= cfg.output_limit, "{stored} bytes kept");
        assert!(!o.lines.is_empty());
        assert_nothing_left(&o, &t);
        let hwm_kb: u64 = Process::myself()
            .and_then(|p| p.status())
            .expect("/proc/self/status")
            .vmhwm
            .expect("VmHWM");
        assert!(hwm_kb < 100 * 1024, "peak memory {hwm_kb} kB");
    });
}

#[test]
fn invalid_utf8_is_shown_lossily_not_an_error() {
    with_watchdog(|| {
        let t = tag("utf8");
        let o = run_timed(&config(fixture("invalid_utf8.py"), &[&t], 10));
        assert_eq!(o.exit, Some(Exit::Code(0)));
        let flags: Vec<bool> = o.lines.iter().map(|l| l.utf8).collect();
        assert_eq!(flags, [true, false, true, false]);
        assert_eq!(o.lines[0].text, "plain line");
        assert_eq!(o.lines[1].text, "bad \u{fffd}\u{fffd} bytes");
        assert_eq!(o.lines[2].text, "café is fine");
        assert_eq!(o.lines[3].text, "cut \u{fffd}");
        assert_nothing_left(&o, &t);
    });
}

#[test]
fn two_hundred_sleeping_children_are_all_reported_and_killed() {
    with_watchdog(|| {
        let t = tag("fork200");
        let o = run_timed(&config(fixture("fork_children.py"), &["200", &t], 10));
        assert_eq!(o.exit, Some(Exit::Code(0)));
        assert_eq!(texts(&o), ["forked 200"]);
        assert_eq!(o.left_behind.len(), 200);
        let mut pids: Vec<i32> = o.left_behind.iter().map(|p| p.pid).collect();
        pids.sort_unstable();
        pids.dedup();
        assert_eq!(pids.len(), 200);
        assert!(o.left_behind.iter().all(|p| p.cmdline.contains(&t)));
        assert_nothing_left(&o, &t);
    });
}

#[test]
fn children_of_a_main_process_that_never_ends_die_with_it() {
    with_watchdog(|| {
        let t = tag("stay");
        let o = run_timed(&config(
            fixture("fork_children.py"),
            &["20", "--stay", &t],
            3,
        ));
        assert!(o.timed_out);
        assert_eq!(o.exit, None);
        assert!(
            texts(&o) == ["forked 20"] || o.lines.is_empty(),
            "{:?}",
            texts(&o)
        );
        assert_nothing_left(&o, &t);
    });
}

#[test]
fn a_process_escaping_with_setsid_is_still_caught() {
    with_watchdog(|| {
        let t = tag("setsid");
        let o = run_timed(&config(fixture("setsid_escape.py"), &[&t], 10));
        assert_eq!(o.exit, Some(Exit::Code(0)));
        assert_eq!(texts(&o), ["escaped"]);
        assert!(!o.timed_out);
        assert_eq!(o.left_behind.len(), 1, "{:?}", o.left_behind);
        assert!(o.left_behind[0].cmdline.contains(&t));
        assert_nothing_left(&o, &t);
    });
}

#[test]
fn a_daemon_that_closed_the_pipes_but_stayed_in_the_group_is_caught() {
    with_watchdog(|| {
        let t = tag("daemon");
        let o = run_timed(&config(
            fixture("setsid_escape.py"),
            &["--stay-in-group", &t],
            10,
        ));
        assert_eq!(o.exit, Some(Exit::Code(0)));
        assert_eq!(o.left_behind.len(), 1, "{:?}", o.left_behind);
        assert!(o.left_behind[0].cmdline.contains(&t));
        assert_nothing_left(&o, &t);
    });
}

#[test]
fn an_orphan_that_ends_in_time_is_adopted_not_left_behind() {
    with_watchdog(|| {
        let t = tag("orphan");
        let mut cfg = config(fixture("orphan_reports_adopter.py"), &[&t], 10);
        // Ample grace: the run ends when the orphan does, and a loaded machine may be slow.
        cfg.grace = Duration::from_secs(5);
        let o = run_timed(&cfg);
        assert_eq!(o.exit, Some(Exit::Code(0)));
        assert!(o.left_behind.is_empty(), "{:?}", o.left_behind);
        let adopted = format!("adopted by {}", o.adopter_pid);
        assert!(texts(&o).contains(&adopted.as_str()), "{:?}", texts(&o));
        assert_nothing_left(&o, &t);
    });
}

#[test]
fn parallel_runs_keep_their_processes_apart() {
    with_watchdog(|| {
        let t = tag("parallel");
        let forker = {
            let t = t.clone();
            std::thread::spawn(move || {
                (0..2)
                    .map(|_| run_timed(&config(fixture("fork_children.py"), &["5", &t], 10)))
                    .collect::<Vec<_>>()
            })
        };
        let orphans = {
            let t = t.clone();
            std::thread::spawn(move || {
                let mut cfg = config(fixture("orphan_reports_adopter.py"), &[&t], 10);
                cfg.grace = Duration::from_secs(5);
                (0..3).map(|_| run_timed(&cfg)).collect::<Vec<_>>()
            })
        };
        let plain: Vec<RunOutcome> = (0..10)
            .map(|_| run_timed(&config("/bin/sh", &["-c", "echo x; echo y"], 10)))
            .collect();
        let forker = forker.join().expect("forker thread");
        let orphans = orphans.join().expect("orphan thread");

        for o in &plain {
            assert_eq!(texts(o), ["x", "y"]);
            assert!(o.left_behind.is_empty(), "{:?}", o.left_behind);
            assert_eq!(o.exit, Some(Exit::Code(0)));
        }
        for o in &orphans {
            assert!(o.left_behind.is_empty(), "{:?}", o.left_behind);
            assert_eq!(o.exit, Some(Exit::Code(0)));
        }
        let mut all = Vec::new();
        for o in &forker {
            assert_eq!(o.left_behind.len(), 5, "{:?}", o.left_behind);
            assert!(o.left_behind.iter().all(|p| p.cmdline.contains(&t)));
            all.extend(o.left_behind.iter().map(|p| p.pid));
        }
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), 10, "each run reports only its own processes");
        for o in forker.iter().chain(&orphans).chain(&plain) {
            assert_nothing_left(o, &t);
        }
    });
}

#[test]
fn a_timeout_too_long_for_an_instant_is_no_timeout() {
    with_watchdog(|| {
        let t = tag("long-timeout");
        let mut cfg = config("/bin/sh", &["-c", "echo one", &t], 1);
        cfg.timeout = Duration::MAX;
        cfg.grace = Duration::MAX;
        let o = run_once(&cfg, 1).unwrap_or_else(|e| panic!("run failed: {e}"));
        assert_eq!(o.exit, Some(Exit::Code(0)));
        assert_eq!(texts(&o), ["one"]);
        assert_nothing_left(&o, &t);
    });
}
