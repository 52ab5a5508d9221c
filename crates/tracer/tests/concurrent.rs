//! Two runs traced at once from two threads of one process: each trace holds its own run only.

mod support;

use support::{assert_nothing_left, opts, python, run};
use tracer::Stream;

#[test]
fn two_runs_at_once_keep_their_own_events() {
    let runs: Vec<_> = (0..2)
        .map(|_| std::thread::spawn(|| run(python("spawner.py", &["4"]), &opts())))
        .collect();
    let got: Vec<_> = runs
        .into_iter()
        .map(|h| h.join().expect("run thread"))
        .collect();
    for g in &got {
        let t = &g.trace;
        // 1 main + 4 children + 4 threads.
        assert_eq!(t.tasks.len(), 9, "{t:#?}");
        let lines = g.stdout.lines().count();
        assert_eq!(lines, 27);
        let written: usize = t
            .writes
            .iter()
            .filter(|w| w.stream == Stream::Stdout)
            .map(|w| w.len)
            .sum();
        assert_eq!(
            written,
            g.stdout.len(),
            "every byte of stdout is in the trace"
        );
        for w in &t.writes {
            let pid = std::str::from_utf8(&w.bytes)
                .ok()
                .and_then(|s| s.trim_end().rsplit("pid=").next())
                .and_then(|p| p.parse::<i32>().ok());
            assert_eq!(pid, Some(w.tgid), "{w:?}");
            assert!(t.task(w.tid).is_some(), "the writer is of this run: {w:?}");
        }
        assert_nothing_left(t);
    }
    let pids = |i: usize| -> Vec<i32> { got[i].trace.tasks.iter().map(|t| t.tid).collect() };
    assert!(
        pids(0).iter().all(|p| !pids(1).contains(p)),
        "no task in both traces"
    );
}
