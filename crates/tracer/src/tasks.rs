//! The task table: a record per task of the run, and the tracer's state of each live one.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use crate::calls::Pending;
use crate::record::{End, Exec, Task, TaskKind};
use crate::shake::Dice;

/// The tracer's state of one live task.
#[derive(Debug)]
pub(crate) struct Live {
    /// Index of its record.
    pub(crate) record: usize,
    pub(crate) tgid: i32,
    /// Its stream of hold decisions (when shaking).
    pub(crate) dice: Dice,
    /// Waiting for the initial SIGSTOP of a new tracee.
    pub(crate) awaiting_start: bool,
    /// Its process, or one it descends from within the run, wrote to stdout or stderr before
    /// it was created, or a task running the same program image did: it is part of the program
    /// proper, not of a launcher (the rule of ordered schedules).
    pub(crate) in_program: bool,
    /// It wrote to stdout or stderr, or its creator had when it created it, and so on up the
    /// tree of creations: part of the program proper by its own line of descent alone (the rule
    /// of random holds: whatever another task did meanwhile, in an order the kernel chose, changes
    /// nothing, so a seed replays the same stop points per task).
    pub(crate) printed: bool,
    /// The program image it runs: the number of the exec it comes from (a fork or clone keeps
    /// its creator's; an exec makes a new one).
    pub(crate) image: u64,
    /// The call whose return is awaited.
    pub(crate) pending: Option<Pending>,
    /// Its name in the schedule: its place in the tree of creations (`0` the main process, `2`
    /// its second child, `2.1` that one's first), the same in every run of the same program.
    pub(crate) label: String,
    /// How many stop points of the program proper it reached so far.
    pub(crate) stops: u32,
}

/// The label of the `rank`-th task (from 1) created by the task labelled `creator`.
fn child_label(creator: &str, rank: u64) -> String {
    if creator == "0" {
        rank.to_string()
    } else {
        format!("{creator}.{rank}")
    }
}

/// Every task of the run.
#[derive(Debug, Default)]
pub(crate) struct Table {
    pub(crate) records: Vec<Task>,
    live: HashMap<i32, Live>,
    /// New tracees whose initial stop came before their creator's event.
    early: HashSet<i32>,
    /// Execs seen so far (the last image's number).
    images: u64,
    /// The main process's pid and the image it runs now.
    main: Option<i32>,
    main_image: Option<u64>,
    /// An ordered schedule (PCT, explore): tasks running the main process's image count as the
    /// program's from the start (their stop points must not depend on who printed first), and a
    /// write makes its process and its image part of the program ([`Live::in_program`]).
    /// Otherwise (random holds) a task is part of the program by its line of descent
    /// ([`Live::printed`]).
    pub(crate) ordered: bool,
}

impl Table {
    pub(crate) fn add_main(&mut self, pid: i32, at: Duration, dice: Dice, comm: Option<String>) {
        self.main = Some(pid);
        self.main_image = Some(0);
        self.records.push(Task {
            tid: pid,
            tgid: pid,
            creator: None,
            kind: TaskKind::Process,
            created_at: at,
            execs: Vec::new(),
            ended_at: None,
            end: None,
            comm,
            cpu_time: None,
            shared_memory: Vec::new(),
        });
        self.live.insert(
            pid,
            Live {
                record: self.records.len() - 1,
                tgid: pid,
                dice,
                awaiting_start: false,
                in_program: false,
                printed: false,
                image: 0,
                pending: None,
                label: "0".to_string(),
                stops: 0,
            },
        );
    }

    /// Records a task created by `creator`. Returns true when its initial stop was seen already
    /// (the caller resumes it now).
    pub(crate) fn add_child(
        &mut self,
        creator: i32,
        tid: i32,
        kind: TaskKind,
        at: Duration,
    ) -> bool {
        let (tgid, dice, comm, (in_program, printed), label, image) =
            match self.live.get_mut(&creator) {
                Some(c) => {
                    let comm = self.records[c.record].comm.clone();
                    let tgid = if kind == TaskKind::Thread {
                        c.tgid
                    } else {
                        tid
                    };
                    let dice = c.dice.child();
                    let label = child_label(&c.label, c.dice.rank());
                    (tgid, dice, comm, (c.in_program, c.printed), label, c.image)
                }
                None => (
                    tid,
                    Dice::root(tid as u64),
                    None,
                    (false, false),
                    format!("?{tid}"),
                    u64::MAX,
                ),
            };
        self.records.push(Task {
            tid,
            tgid,
            creator: Some(creator),
            kind,
            created_at: at,
            execs: Vec::new(),
            ended_at: None,
            end: None,
            comm,
            cpu_time: None,
            shared_memory: Vec::new(),
        });
        let started = self.early.remove(&tid);
        self.live.insert(
            tid,
            Live {
                record: self.records.len() - 1,
                tgid,
                dice,
                awaiting_start: !started,
                in_program,
                printed,
                image,
                pending: None,
                label,
                stops: 0,
            },
        );
        started
    }

    /// A stop of a task not known yet: a new tracee that beat its creator's event.
    pub(crate) fn note_early(&mut self, tid: i32) {
        self.early.insert(tid);
    }

    /// The tracees stopped before their creator's event.
    pub(crate) fn early(&self) -> Vec<i32> {
        self.early.iter().copied().collect()
    }

    /// Forgets an early tracee that is gone. Returns whether it was one.
    pub(crate) fn drop_early(&mut self, tid: i32) -> bool {
        self.early.remove(&tid)
    }

    /// Records an early tracee whose creator died before reporting it: its creator is unknown.
    pub(crate) fn adopt_early(&mut self, tid: i32, kind: TaskKind, tgid: i32, at: Duration) {
        self.early.remove(&tid);
        self.records.push(Task {
            tid,
            tgid,
            creator: None,
            kind,
            created_at: at,
            execs: Vec::new(),
            ended_at: None,
            end: None,
            comm: None,
            cpu_time: None,
            shared_memory: Vec::new(),
        });
        self.live.insert(
            tid,
            Live {
                record: self.records.len() - 1,
                tgid,
                dice: Dice::root(tid as u64),
                awaiting_start: false,
                in_program: false,
                printed: false,
                image: u64::MAX,
                pending: None,
                label: format!("?{tid}"),
                stops: 0,
            },
        );
    }

    pub(crate) fn live(&mut self, tid: i32) -> Option<&mut Live> {
        self.live.get_mut(&tid)
    }

    /// Task `tid` writes to stdout or stderr: it has printed, and every live task of its process,
    /// and every live task running the same program image (forked from the same exec: a
    /// multiprocessing sibling that has not printed yet), is part of the program from now on.
    pub(crate) fn note_write(&mut self, tid: i32) {
        let Some(l) = self.live.get_mut(&tid) else {
            return;
        };
        l.printed = true;
        let tgid = l.tgid;
        let images: HashSet<u64> = self
            .live
            .values()
            .filter(|l| l.tgid == tgid && l.image != u64::MAX)
            .map(|l| l.image)
            .collect();
        for l in self
            .live
            .values_mut()
            .filter(|l| l.tgid == tgid || images.contains(&l.image))
        {
            l.in_program = true;
        }
    }

    /// Every live task not in `parked`: its tid, its process id, whether it is part of the
    /// program proper.
    pub(crate) fn free(&self, parked: &[i32]) -> Vec<(i32, i32, bool)> {
        self.live
            .iter()
            .filter(|(t, _)| !parked.contains(t))
            .map(|(t, l)| (*t, l.tgid, self.is_program(l)))
            .collect()
    }

    /// Whether task `tid` is part of the program proper. Under an ordered schedule: it, its
    /// process, one it descends from or a task of its image printed (see [`Live::in_program`]),
    /// or it runs the main process's program image (a fork of the command itself, as
    /// multiprocessing's children are, before any of them printed: whether it is would otherwise
    /// depend on which printed first); a launcher's helpers (forked, then exec'd) are not, and
    /// after the main process exec'd the program the launcher's image is no longer the main one.
    /// Under random holds: it, or its line of descent, printed ([`Live::printed`]).
    pub(crate) fn in_program(&self, tid: i32) -> bool {
        self.live.get(&tid).is_some_and(|l| self.is_program(l))
    }

    fn is_program(&self, l: &Live) -> bool {
        if !self.ordered {
            return l.printed;
        }
        l.in_program || (l.image != u64::MAX && Some(l.image) == self.main_image)
    }

    /// How many live tasks each process has.
    pub(crate) fn group_sizes(&self) -> HashMap<i32, usize> {
        let mut sizes = HashMap::new();
        for l in self.live.values() {
            *sizes.entry(l.tgid).or_insert(0) += 1;
        }
        sizes
    }

    /// Every live task: (tid, tgid).
    pub(crate) fn live_tasks(&self) -> Vec<(i32, i32)> {
        self.live.iter().map(|(t, l)| (*t, l.tgid)).collect()
    }

    pub(crate) fn is_live(&self, tid: i32) -> bool {
        self.live.contains_key(&tid)
    }

    pub(crate) fn tgid(&self, tid: i32) -> i32 {
        self.live.get(&tid).map_or(tid, |l| l.tgid)
    }

    pub(crate) fn record_mut(&mut self, tid: i32) -> Option<&mut Task> {
        let i = self.live.get(&tid)?.record;
        self.records.get_mut(i)
    }

    /// An exec by `tid`, which was `former` before it (a non-leader thread that exec'd takes the
    /// leader's tid; the old leader is gone without a status).
    pub(crate) fn exec(
        &mut self,
        tid: i32,
        former: i32,
        exec: Exec,
        comm: Option<String>,
        at: Duration,
    ) {
        if former != tid
            && let Some(moved) = self.live.remove(&former)
        {
            if let Some(old_leader) = self.live.remove(&tid) {
                let rec = &mut self.records[old_leader.record];
                rec.end = Some(End::Replaced);
                rec.ended_at = Some(at);
            }
            let rec = &mut self.records[moved.record];
            rec.tid = tid;
            self.live.insert(tid, moved);
        }
        self.images += 1;
        let image = self.images;
        if let Some(l) = self.live.get_mut(&tid) {
            l.image = image;
        }
        if self.main == Some(tid) {
            self.main_image = Some(image);
        }
        if let Some(rec) = self.record_mut(tid) {
            rec.execs.push(exec);
            if comm.is_some() {
                rec.comm = comm;
            }
        }
    }

    /// A task was reaped. Returns its kind if it was known.
    pub(crate) fn end(&mut self, tid: i32, end: End, at: Duration) -> Option<TaskKind> {
        let live = self.live.remove(&tid)?;
        let rec = &mut self.records[live.record];
        rec.end = Some(end);
        rec.ended_at = Some(at);
        Some(rec.kind)
    }
}
