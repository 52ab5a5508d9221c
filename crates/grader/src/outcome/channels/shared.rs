//! Which processes of a run share writable memory, from the maps the trace kept.

use tracer::Trace;

/// A process that maps writable shared memory another process of the run maps too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedWith {
    /// The process.
    pub pid: i32,
    /// The other processes that map one of the same objects.
    pub with: Vec<i32>,
    /// The first such object's name in the maps (`/dev/zero (deleted)`: anonymous).
    pub name: String,
}

/// Each process that maps an object of writable shared memory another process maps too.
pub(super) fn shared(trace: &Trace) -> Vec<SharedWith> {
    let procs: Vec<_> = trace
        .tasks
        .iter()
        .filter(|t| t.tid == t.tgid && !t.shared_memory.is_empty())
        .collect();
    let mut out: Vec<SharedWith> = Vec::new();
    for p in &procs {
        let mut with = Vec::new();
        let mut name = None;
        for q in procs.iter().filter(|q| q.tgid != p.tgid) {
            if let Some(m) = p.shared_memory.iter().find(|m| {
                q.shared_memory
                    .iter()
                    .any(|n| n.dev == m.dev && n.ino == m.ino)
            }) {
                with.push(q.tgid);
                name.get_or_insert_with(|| m.name.clone());
            }
        }
        if let Some(name) = name {
            match out.iter_mut().find(|s| s.pid == p.tgid) {
                Some(s) => s.with.extend(with),
                None => out.push(SharedWith {
                    pid: p.tgid,
                    with,
                    name,
                }),
            }
        }
    }
    for s in &mut out {
        s.with.sort_unstable();
        s.with.dedup();
    }
    out
}
