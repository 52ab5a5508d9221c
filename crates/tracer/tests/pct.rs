//! PCT scheduling: a sleep (and a spin, and a timed wait) orders nothing (an even seed and the odd one above it put a sleeping
//! parent's line and its child's in both orders), waits and futexes never deadlock, and a seed
//! replays its order.

mod support;

use std::time::{Duration, Instant};

use support::{assert_nothing_left, opts, python, run};
use tracer::{Pct, Shake};

fn pct(seed: u64) -> (String, tracer::Trace, Duration) {
    pct_of("sleeper.py", &[], seed)
}

fn pct_of(program: &str, args: &[&str], seed: u64) -> (String, tracer::Trace, Duration) {
    let mut o = opts();
    o.shake = Some(Shake::pct(
        seed,
        Pct {
            depth: 1,
            points: 10,
            max_park: Duration::from_secs(5),
            budget: Duration::from_secs(20),
            lead: None,
            last: None,
        },
    ));
    let t0 = Instant::now();
    let got = run(python(program, args), &o);
    assert_nothing_left(&got.trace);
    (got.stdout, got.trace, t0.elapsed())
}

#[test]
fn a_sleep_orders_nothing_and_locks_do_not_deadlock() {
    let (a, ta, wall_a) = pct(40);
    let (b, tb, wall_b) = pct(41);
    for (out, t, wall) in [(&a, &ta, wall_a), (&b, &tb, wall_b)] {
        assert!(out.ends_with("count 600\n"), "{out}");
        assert_eq!(
            t.schedule.valves, 0,
            "no park needed the valve: {:?}",
            t.schedule
        );
        assert!(!t.schedule.gave_up);
        assert!(wall < Duration::from_secs(4), "{wall:?}");
        assert_eq!(t.schedule.depth, 1);
        assert!(t.schedule.points >= 4, "{:?}", t.schedule);
    }
    let first = |out: &str| out.lines().next().unwrap_or_default().to_string();
    let mut firsts = [first(&a), first(&b)];
    firsts.sort();
    assert_eq!(
        firsts,
        ["child", "parent"],
        "the two runs of a pair put the lines in both orders:\n{a}\n{b}"
    );
    // The same seed: the same order.
    for _ in 0..2 {
        assert_eq!(first(&pct(40).0), first(&a));
    }
}

/// A thread's spin or timed wait in place of a join: in one run of a pair the main thread
/// outranks the other, goes on while it spins or waits (the other stays parked), and prints
/// first; in the other the thread prints first.
#[test]
fn a_spin_or_a_timed_wait_orders_nothing_either() {
    for how in ["spin", "event", "select"] {
        let mut firsts = Vec::new();
        for seed in [40, 41] {
            let (out, t, wall) = pct_of("waiter.py", &[how], seed);
            assert!(out.starts_with("main starts\n"), "{how}: {out}");
            assert!(wall < Duration::from_secs(4), "{how}: {wall:?}");
            assert!(!t.schedule.gave_up, "{how}");
            firsts.push(out.lines().nth(1).unwrap_or_default().to_string());
        }
        firsts.sort();
        assert_eq!(firsts, ["main ends", "thread"], "{how}");
    }
}
