//! What each demo's output guarantees, one function per program (design.md's table), and the
//! "likely" properties that may only be judged over many runs. Each check returns why a run
//! breaks a guarantee, so a failure says what went wrong.

use std::collections::{HashMap, HashSet};

use regex::Regex;

use crate::Run;

type Verdict = Result<(), String>;

fn caps<'a>(re: &str, line: &'a str) -> Option<regex::Captures<'a>> {
    Regex::new(&format!("^{re}$")).ok()?.captures(line)
}

fn num(c: &regex::Captures<'_>, name: &str) -> i64 {
    c[name].parse().unwrap_or(-1)
}

/// Every run: exit status 0 and no process left behind.
pub fn clean_exit(run: &Run) -> Verdict {
    if run.code != Some(0) {
        return Err(format!(
            "exit status {:?}; stderr: {}",
            run.code, run.stderr
        ));
    }
    if !run.left_behind.is_empty() {
        return Err(format!("processes left behind: {:?}", run.left_behind));
    }
    Ok(())
}

/// fork: first line first and once; the child's and the parent's line once each; C != P; the
/// same C in both lines; Q is P, or whoever adopted the child after the parent exited.
pub fn fork(run: &Run) -> Verdict {
    clean_exit(run)?;
    let l = &run.lines;
    if l.len() != 3 {
        return Err(format!("expected 3 lines, got {l:?}"));
    }
    let first = caps(r"Process \((?P<p>\d+)\) start\.\.\.", &l[0])
        .ok_or_else(|| format!("first line: {:?}", l[0]))?;
    let p = num(&first, "p");
    let (mut child, mut parent) = (None, None);
    for line in &l[1..] {
        if let Some(c) = caps(
            r"I am child process \((?P<c>\d+)\) and my parent is (?P<q>\d+)\.",
            line,
        ) {
            if child.replace((num(&c, "c"), num(&c, "q"))).is_some() {
                return Err("child line twice".into());
            }
        } else if let Some(c) = caps(
            r"I \((?P<p>\d+)\) just created a child process \((?P<c>\d+)\)\.",
            line,
        ) {
            if parent.replace((num(&c, "p"), num(&c, "c"))).is_some() {
                return Err("parent line twice".into());
            }
        } else {
            return Err(format!("unexpected line {line:?}"));
        }
    }
    let (c, q) = child.ok_or("no child line")?;
    let (p2, c2) = parent.ok_or("no parent line")?;
    if p2 != p || p != run.main_pid as i64 {
        return Err(format!(
            "parent pid {p2} vs first line {p} vs real {}",
            run.main_pid
        ));
    }
    if c != c2 || c == p {
        return Err(format!("child pid {c} vs parent's report {c2}, parent {p}"));
    }
    if q != p && q != run.adopter_pid as i64 {
        return Err(format!(
            "child's parent is {q}: neither {p} nor the adopter"
        ));
    }
    Ok(())
}

/// Likely only: the parent's line comes before the child's.
pub fn fork_parent_first(run: &Run) -> bool {
    run.lines.get(1).is_some_and(|l| l.starts_with("I ("))
}

/// Process + join: exactly four lines in this order, C != P.
pub fn process(run: &Run) -> Verdict {
    clean_exit(run)?;
    let l = &run.lines;
    if l.len() != 4 {
        return Err(format!("expected 4 lines, got {l:?}"));
    }
    let p = caps(r"Parent process (?P<p>\d+)\.", &l[0]).ok_or(format!("line 1: {:?}", l[0]))?;
    if l[1] != "Process will start." {
        return Err(format!("line 2: {:?}", l[1]));
    }
    let c = caps(r"Run child process test \((?P<c>\d+)\)\.\.\.", &l[2])
        .ok_or(format!("line 3: {:?}", l[2]))?;
    if l[3] != "Process end." {
        return Err(format!("line 4: {:?}", l[3]));
    }
    if num(&c, "c") == num(&p, "p") {
        return Err("the child runs in the parent's process".into());
    }
    Ok(())
}

/// What a pool run showed: the most tasks running at once.
#[derive(Debug, Default)]
pub struct PoolStats {
    pub max_running: usize,
}

/// Pool: parent line first, done line last, Waiting before it; each task's Run before its Task
/// line, each once; never more than `n` running; at most `n` workers, none the parent; each
/// duration within [0, 3 x scale] plus slack.
pub fn pool(run: &Run, n: usize, scale: f64) -> Result<PoolStats, String> {
    clean_exit(run)?;
    let l = &run.lines;
    let p = l
        .first()
        .and_then(|f| caps(r"Parent process (?P<p>\d+)\.", f))
        .map(|c| num(&c, "p"))
        .ok_or(format!("first line: {:?}", l.first()))?;
    if l.last().map(String::as_str) != Some("All subprocesses done.") {
        return Err(format!("last line: {:?}", l.last()));
    }
    let waiting: Vec<usize> = (0..l.len())
        .filter(|&i| l[i] == "Waiting for all subprocesses done...")
        .collect();
    if waiting.len() != 1 {
        return Err(format!("Waiting line {} times", waiting.len()));
    }
    let mut started: HashMap<i64, usize> = HashMap::new();
    let mut ended: HashSet<i64> = HashSet::new();
    let mut workers = HashSet::new();
    let mut running = 0usize;
    let mut stats = PoolStats::default();
    for line in &l[1..l.len() - 1] {
        if line == "Waiting for all subprocesses done..." {
            continue;
        }
        if let Some(c) = caps(r"Run task (?P<i>\d+) \((?P<w>\d+)\)\.\.\.", line) {
            let i = num(&c, "i");
            let w = num(&c, "w");
            if w == p {
                return Err("a task ran in the parent".into());
            }
            workers.insert(w);
            if started.insert(i, 0).is_some() {
                return Err(format!("task {i} started twice"));
            }
            running += 1;
            stats.max_running = stats.max_running.max(running);
            if running > n {
                return Err(format!("{running} tasks running at once, pool of {n}"));
            }
        } else if let Some(c) = caps(r"Task (?P<i>\d+) runs (?P<s>\d+\.\d\d) seconds\.", line) {
            let i = num(&c, "i");
            if !started.contains_key(&i) {
                return Err(format!("task {i} ended before it started"));
            }
            if !ended.insert(i) {
                return Err(format!("task {i} ended twice"));
            }
            running -= 1;
            let s: f64 = c["s"].parse().unwrap_or(f64::NAN);
            // Slack for a loaded machine: the sleep is at most 3 x scale, the rest is scheduling.
            if !(0.0..=3.0 * scale + 1.0).contains(&s) {
                return Err(format!("task {i} took {s} s, scale {scale}"));
            }
        } else {
            return Err(format!("unexpected line {line:?}"));
        }
    }
    let all: HashSet<i64> = (0..5).collect();
    if started.keys().copied().collect::<HashSet<_>>() != all || ended != all {
        return Err(format!("tasks started {started:?}, ended {ended:?}"));
    }
    if workers.len() > n {
        return Err(format!("{} distinct workers, pool of {n}", workers.len()));
    }
    Ok(stats)
}

/// Queue: Puts A, B, C in order, once each; each Get after its Put, at most once, in order.
/// Returns how many Gets appeared (all three is only likely: terminate may land first).
pub fn queue(run: &Run) -> Result<usize, String> {
    clean_exit(run)?;
    let mut puts = Vec::new();
    let mut gets = Vec::new();
    for line in &run.lines {
        if let Some(c) = caps(r"Put (?P<x>[A-Z]) to queue\.\.\.", line) {
            puts.push(c["x"].to_string());
        } else if let Some(c) = caps(r"Get (?P<x>[A-Z]) from queue\.", line) {
            let x = c["x"].to_string();
            if !puts.contains(&x) {
                return Err(format!("Get {x} before Put {x}"));
            }
            gets.push(x);
        } else {
            return Err(format!("unexpected line {line:?}"));
        }
    }
    if puts != ["A", "B", "C"] {
        return Err(format!("puts {puts:?}"));
    }
    if gets[..] != ["A", "B", "C"][..gets.len().min(3)] {
        return Err(format!("gets {gets:?}"));
    }
    Ok(gets.len())
}

/// Threads: exactly these nine lines in this order.
pub fn thread(run: &Run) -> Verdict {
    clean_exit(run)?;
    let mut want = vec![
        "thread MainThread is running...".to_string(),
        "thread LoopThread is running...".to_string(),
    ];
    want.extend((1..=5).map(|n| format!("thread LoopThread >>> {n}")));
    want.push("thread LoopThread ended.".to_string());
    want.push("thread MainThread ended.".to_string());
    if run.lines != want {
        return Err(format!("got {:?}", run.lines));
    }
    Ok(())
}

/// Pipe: the fourteen lines in this one order (each side prints before it sends and after it
/// receives, so the order is total).
pub fn pipe(run: &Run) -> Verdict {
    clean_exit(run)?;
    let mut want = Vec::new();
    for n in 1..=3 {
        want.push(format!("Parent sent: ping {n}"));
        want.push(format!("Child got: ping {n}"));
        want.push(format!("Child sent: pong {n}"));
        want.push(format!("Parent got: pong {n}"));
    }
    want.push("Child: pipe closed, exit.".to_string());
    want.push("Parent: child exited.".to_string());
    if run.lines != want {
        return Err(format!("got {:?}", run.lines));
    }
    Ok(())
}
