use super::*;
use crate::shake::Resume;

#[test]
fn labels_sort_as_the_tree() {
    let mut v = vec!["10", "2", "1.2", "0", "1", "?7", "1.10", "1.9"];
    v.sort_by(|a, b| label_order(a, b));
    assert_eq!(v, ["0", "1", "1.2", "1.9", "1.10", "2", "10", "?7"]);
}

fn park(label: &str, point: HoldPoint) -> Parked {
    Parked {
        label: label.into(),
        at: String::new(),
        how: Resume::Cont(0),
        since: Instant::now(),
        point,
    }
}

#[test]
fn a_task_passed_over_at_many_sleeps_goes_next() {
    let now = Instant::now();
    let long = Duration::from_secs(60);
    let mut o = Ordered::new(Policy::Script(ScriptState::new(&[])), long, long, now);
    // Task "1" (a tid no task has: gone, so never running) is parked at its start; "0"
    // polls with sleeps and is the default each time, until "1" starved.
    o.arrive(-7, park("1", HoldPoint::Start), None);
    let mut order = Vec::new();
    for _ in 0..=STARVE {
        o.arrive(-5, park("0", HoldPoint::Sleep), None);
        let got = o.due(now, &[]);
        assert!(!got.is_empty(), "{order:?}");
        order.push(got[0].1.label.clone());
        if got[0].0 == -7 {
            break;
        }
    }
    assert_eq!(order.len() as u32, STARVE + 1, "{order:?}");
    assert_eq!(order.last().map(String::as_str), Some("1"));
    assert!(o.decisions.iter().all(|d| !d.forced));
}
