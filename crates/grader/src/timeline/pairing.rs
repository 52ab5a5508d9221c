//! A spec's view of a run's lines for the picture: each stdout line's kind, the spans while an
//! `open` check's kind is open, and the hand-offs an `order ... per` check pairs.

use std::collections::{HashMap, VecDeque};

use tracer::Stream;

use super::{Link, OpenSpan, TimelineLine};
use crate::outcome::Line;
use crate::spec::Spec;
use crate::spec::pairs::{Pair, PairKind};
use crate::spec::rule::classify;

/// A stdout line the spec classified: its index into the picture's lines, its kind (index
/// into the spec's lines) and its captures.
type Found = (usize, usize, HashMap<String, String>);

/// Sets the kind of each of `lines` (stdout lines only: the checks judge stdout) and returns
/// the open spans and the hand-offs `spec` pairs, reading the lines in order of time.
pub(super) fn pair_up(spec: &Spec, lines: &mut [TimelineLine]) -> (Vec<OpenSpan>, Vec<Link>) {
    let found = classified(spec, lines);
    for (i, kind, _) in &found {
        lines[*i].kind = Some(spec.lines[*kind].name.clone());
    }
    let mut spans = Vec::new();
    let mut links = Vec::new();
    // Two checks on the same pair (a bound and a peak) draw it once.
    let mut pairs: Vec<&Pair> = Vec::new();
    for p in &spec.pairs {
        if !pairs.contains(&p) {
            pairs.push(p);
        }
    }
    for pair in pairs {
        match pair.kind {
            PairKind::Open => spans.extend(open_spans(spec, pair, &found, lines)),
            PairKind::Order => links.extend(hand_offs(pair, &found)),
        }
    }
    spans.sort_by_key(|s| (s.from, s.tid));
    (spans, links)
}

/// The stdout lines the spec classifies, in order of time.
fn classified(spec: &Spec, lines: &[TimelineLine]) -> Vec<Found> {
    let mut order: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].stream == Stream::Stdout)
        .collect();
    order.sort_by_key(|&i| lines[i].at);
    let as_run: Vec<Line> = order
        .iter()
        .map(|&i| Line {
            text: lines[i].text.clone(),
            utf8: true,
            at: lines[i].at,
            ..Line::default()
        })
        .collect();
    classify(&spec.lines, &as_run)
        .iter()
        .map(|c| {
            let i = order[c.number - 1];
            let caps = spec.lines[c.kind]
                .captures
                .iter()
                .map(|k| (k.clone(), c.cap(k).trim().to_string()))
                .collect();
            (i, c.kind, caps)
        })
        .collect()
}

/// An `open` pair's spans: each first line of a value to the next second line of that value
/// (or to the end, never closed).
fn open_spans(spec: &Spec, pair: &Pair, found: &[Found], lines: &[TimelineLine]) -> Vec<OpenSpan> {
    let first_name = &spec.lines[pair.first].name;
    let mut spans = Vec::new();
    let mut open: HashMap<String, VecDeque<usize>> = HashMap::new();
    for (i, kind, caps) in found {
        let Some(v) = caps.get(&pair.key).cloned() else {
            continue;
        };
        if *kind == pair.second
            && let Some(o) = open.get_mut(&v).and_then(VecDeque::pop_front)
        {
            spans.push(span(lines, o, Some(*i), first_name, &pair.key, &v));
        }
        if *kind == pair.first {
            open.entry(v).or_default().push_back(*i);
        }
    }
    for (v, left) in open {
        for o in left {
            spans.push(span(lines, o, None, first_name, &pair.key, &v));
        }
    }
    spans
}

/// An `order ... per` pair's hand-offs: each `after` line joined to the latest `before` line
/// of its value.
fn hand_offs(pair: &Pair, found: &[Found]) -> Vec<Link> {
    let mut links = Vec::new();
    let mut last: HashMap<String, usize> = HashMap::new();
    for (i, kind, caps) in found {
        let Some(v) = caps.get(&pair.key).cloned() else {
            continue;
        };
        if *kind == pair.second
            && let Some(&b) = last.get(&v)
        {
            links.push(Link {
                from: b,
                to: *i,
                label: format!("{}={v}", pair.key),
            });
        }
        if *kind == pair.first {
            last.insert(v, *i);
        }
    }
    links
}

fn span(
    lines: &[TimelineLine],
    open: usize,
    close: Option<usize>,
    kind: &str,
    key: &str,
    value: &str,
) -> OpenSpan {
    OpenSpan {
        tid: lines[open].tid,
        from: lines[open].at,
        to: close.map(|c| lines[c].at),
        label: format!("{kind} {key}={value}"),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn line(text: &str, ms: u64, tid: i32) -> TimelineLine {
        TimelineLine {
            text: text.into(),
            at: Duration::from_millis(ms),
            tid,
            stream: Stream::Stdout,
            kind: None,
            highlighted: false,
        }
    }

    #[test]
    fn pool_tasks_are_spans_on_their_workers_lanes() {
        let spec = Spec::builtin("pool").expect("pool spec");
        // Given out of order: pairing reads them by time.
        let mut lines = vec![
            line("Task 0 runs 0.20 seconds.", 30, 11),
            line("Parent process 10.", 1, 10),
            line("Run task 0 (11)...", 10, 11),
            line("Run task 1 (12)...", 11, 12),
        ];
        let (spans, links) = pair_up(&spec, &mut lines);
        assert_eq!(lines[0].kind.as_deref(), Some("task"));
        assert_eq!(lines[1].kind.as_deref(), Some("parent"));
        let got: Vec<(i32, u64, Option<u64>, &str)> = spans
            .iter()
            .map(|s| {
                (
                    s.tid,
                    s.from.as_millis() as u64,
                    s.to.map(|t| t.as_millis() as u64),
                    s.label.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![(11, 10, Some(30), "run i=0"), (12, 11, None, "run i=1")]
        );
        // Run 0 -> Task 0 is the `order ... per i` pair.
        assert_eq!(
            links,
            vec![Link {
                from: 2,
                to: 0,
                label: "i=0".into()
            }]
        );
    }

    #[test]
    fn stderr_lines_get_no_kind() {
        let spec = Spec::builtin("pool").expect("pool spec");
        let mut lines = vec![line("Parent process 10.", 1, 10)];
        lines[0].stream = Stream::Stderr;
        pair_up(&spec, &mut lines);
        assert_eq!(lines[0].kind, None);
    }
}
