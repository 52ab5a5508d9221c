//! PCT scheduling: a sleep orders nothing (an even seed and the odd one above it put a sleeping
//! parent's line and its child's in both orders), waits and futexes never deadlock, and a seed
//! replays its order.

mod support;

use std::time::{Duration, Instant};

use support::{assert_nothing_left, opts, python, run};
use tracer::{Pct, Shake};

fn pct(seed: u64) -> (String, tracer::Trace, Duration) {
    let mut o = opts();
    o.shake = Some(Shake::pct(
        seed,
        Pct {
            depth: 1,
            points: 10,
            max_park: Duration::from_secs(5),
            budget: Duration::from_secs(20),
        },
    ));
    let t0 = Instant::now();
    let got = run(python("sleeper.py", &[]), &o);
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
