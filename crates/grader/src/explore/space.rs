//! The space an exploration searches: the steps of a schedule, which of them commute, the
//! states already reached, and the schedules a run opens (each other option of each of its
//! decisions past the choices it was given, within the preemption bound).

use std::collections::HashMap;

use tracer::{Choice, Decision};

/// One step of a schedule: a task released at a stop point (`w` a write to stdout, `e` to
/// stderr, `c` a creation, `s` a start, `z` a sleep, with its number).
pub(super) type Step = (Choice, String);

/// Whether two steps commute: two tasks' writes to different streams.
fn independent(a: &Step, b: &Step) -> bool {
    let stream = |s: &Step| s.1.chars().next().filter(|c| *c == 'w' || *c == 'e');
    a.0 != b.0 && matches!((stream(a), stream(b)), (Some(x), Some(y)) if x != y)
}

/// The same steps in the one order every equivalent sequence has: at each place, of the steps
/// no dependent earlier step still precedes, the smallest.
fn canonical(steps: &[Step]) -> Vec<Step> {
    let mut left: Vec<Step> = steps.to_vec();
    let mut out = Vec::with_capacity(left.len());
    while !left.is_empty() {
        let pick = (0..left.len())
            .filter(|&i| left[..i].iter().all(|e| independent(e, &left[i])))
            .min_by(|&i, &j| left[i].cmp(&left[j]))
            .unwrap_or(0);
        out.push(left.remove(pick));
    }
    out
}

/// Marks the state after `steps`, reached with `preemptions`, as explored; false when an
/// equivalent state was reached before with as few preemptions or fewer.
fn first_visit(seen: &mut HashMap<Vec<Step>, u32>, steps: &[Step], preemptions: u32) -> bool {
    let key = canonical(steps);
    match seen.get(&key) {
        Some(&p) if p <= preemptions => false,
        _ => {
            seen.insert(key, preemptions);
            true
        }
    }
}

/// The states an exploration has reached, each with the fewest preemptions it was reached with.
pub(super) type Seen = HashMap<Vec<Step>, u32>;

/// The schedules the run with these choice `points` (given the choices of `prefix`) opens:
/// its states marked reached, then for each decision past the prefix each other option within
/// `bound` preemptions that reaches a new state; `skipped` counts those that reach an old one.
pub(super) fn children(
    points: &[&Decision],
    prefix: &[Choice],
    seen: &mut Seen,
    bound: u32,
    skipped: &mut usize,
) -> Vec<Vec<Choice>> {
    // The steps this run took, to tell a new schedule from an equivalent one.
    let steps: Vec<Step> = points
        .iter()
        .map(|d| (d.chosen.clone(), d.at.clone()))
        .collect();
    let mut preemptions = 0;
    for (j, d) in points.iter().enumerate() {
        first_visit(seen, &steps[..j], preemptions);
        preemptions += u32::from(d.preempts);
    }
    first_visit(seen, &steps, preemptions);
    let mut children = Vec::new();
    let mut preemptions = 0;
    for (j, d) in points.iter().enumerate() {
        if j >= prefix.len() {
            for (k, alt) in d.options.iter().enumerate() {
                if *alt == d.chosen {
                    continue;
                }
                let cost = preemptions + u32::from(d.current.as_ref().is_some_and(|c| c != alt));
                if cost > bound {
                    continue;
                }
                let mut taken: Vec<Step> = steps[..j].to_vec();
                taken.push((alt.clone(), d.stops.get(k).cloned().unwrap_or_default()));
                if !first_visit(seen, &taken, cost) {
                    *skipped += 1;
                    continue;
                }
                let mut child: Vec<Choice> = points[..j].iter().map(|d| d.chosen.clone()).collect();
                child.push(alt.clone());
                children.push(child);
            }
        }
        preemptions += u32::from(d.preempts);
    }
    children
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(t: &str, at: &str) -> Step {
        (t.to_string(), at.to_string())
    }

    #[test]
    fn writes_to_different_streams_commute_and_nothing_else() {
        let a = [step("1", "w1"), step("2", "e1")];
        let b = [step("2", "e1"), step("1", "w1")];
        assert_eq!(canonical(&a), canonical(&b));
        let c = [step("1", "w1"), step("2", "w1")];
        let d = [step("2", "w1"), step("1", "w1")];
        assert_ne!(canonical(&c), canonical(&d), "one stream: the order shows");
        let e = [step("1", "s1"), step("2", "e1")];
        let f = [step("2", "e1"), step("1", "s1")];
        assert_ne!(canonical(&e), canonical(&f), "a start may do anything");
    }
}
