//! One failing run of a check: what judging a run yields and every report quotes. What was wrong
//! ([`Fault`]) and what the report adds about the run ([`RunNotes`]) are typed; the message is
//! their words, rendered once from the catalogue when the run is judged.

use i18n::{Lang, tr};
use serde::{Deserialize, Serialize};

use crate::spec::fault::{Fault, quoted};

/// One failing run of a check.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    /// The run's number, from 1.
    pub run: usize,
    /// What was wrong, in words, quoting the offending lines with their line numbers, then the
    /// notes: [`fault`](Self::fault) and [`notes`](Self::notes) rendered.
    pub message: String,
    /// What was wrong, typed: the problems (catalogue ids and their arguments) and the lines.
    #[serde(default)]
    pub fault: Fault,
    /// What else the report says of this run, typed.
    #[serde(default)]
    pub notes: RunNotes,
}

impl Failure {
    /// Run `run` failed with `fault`; the message is rendered in the process's language.
    pub(crate) fn new(run: usize, fault: Fault, notes: RunNotes) -> Self {
        let lang = i18n::said_in(cfg!(test));
        let mut message = fault.words(lang);
        message.push_str(&notes.words(lang));
        Failure {
            run,
            message,
            fault,
            notes,
        }
    }
}

/// What a report says of a failing run besides its fault: each note only on the first check the
/// run failed, the replay hints on every one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunNotes {
    /// Lines of the spec's kinds showed on stderr instead of stdout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_stderr: Option<OnStderr>,
    /// Buffered output explains the run's lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    /// The run was shaken: how to replay it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shaken: Option<Replay>,
    /// The run followed this explored schedule (`--schedule` replays it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explored: Option<String>,
}

impl RunNotes {
    /// The notes in words, each on its own line (each begins with a newline).
    pub fn words(&self, lang: Lang) -> String {
        let mut m = String::new();
        if let Some(s) = &self.on_stderr {
            m.push('\n');
            m.push_str(&tr!(
                lang,
                "note-on-stderr",
                count = s.count,
                text = format!("{:?}", s.text),
                kind = s.kind.as_str()
            ));
        }
        if let Some(c) = &self.cause {
            m.push('\n');
            m.push_str(&c.words(lang));
        }
        if let Some(r) = &self.shaken {
            m.push('\n');
            m.push_str(&r.words(lang));
        }
        if let Some(s) = &self.explored {
            m.push('\n');
            m.push_str(&tr!(lang, "explore-replay-hint", schedule = s.as_str()));
        }
        m
    }
}

/// Lines of the spec's kinds on the run's stderr (its kept tail).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OnStderr {
    /// How many.
    pub count: usize,
    /// The first one's text.
    pub text: String,
    /// The first one's line kind.
    pub kind: String,
}

/// What buffered output did to a traced run's lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// A child wrote a line again at its exit, which its parent wrote too (it was in the
    /// parent's buffer when the parent forked).
    WrittenAgain {
        /// The line's number, from 1.
        line: usize,
        /// Its text, cut to a couple of hundred bytes.
        text: String,
        /// Its whole length in bytes.
        bytes: usize,
        /// The child.
        pid: i32,
        /// Its parent.
        parent: i32,
    },
    /// A process's lines came out together as it exited (never flushed).
    Burst {
        /// The process.
        pid: i32,
        /// How many lines.
        count: usize,
    },
}

impl Cause {
    /// The cause in words.
    pub fn words(&self, lang: Lang) -> String {
        match self {
            Cause::WrittenAgain {
                line,
                text,
                bytes,
                pid,
                parent,
            } => {
                tr!(
                    lang,
                    "cause-written-again",
                    n = *line,
                    text = quoted(lang, text, *bytes),
                    pid = pid.to_string(),
                    parent = parent.to_string()
                )
            }
            Cause::Burst { pid, count } => {
                tr!(lang, "cause-burst", pid = pid.to_string(), count = *count)
            }
        }
    }
}

/// How to replay a shaken run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Replay {
    /// Its seed (`--seed`).
    pub seed: u64,
    /// Its PCT schedule, when it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pct: Option<Pct>,
}

/// A PCT run's schedule: its priority changes are drawn among `1..=points`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pct {
    /// The points planned.
    pub points: u64,
    /// Its depth (`--pct K`).
    pub depth: u32,
    /// Its lead (`--lead`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<u32>,
    /// Its last (`--last`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<u32>,
}

impl Replay {
    /// The replay of a run shaken with `seed` and `schedule`.
    pub(crate) fn of(seed: u64, schedule: &tracer::ScheduleStats) -> Self {
        Replay {
            seed,
            pct: (schedule.depth > 0).then_some(Pct {
                points: schedule.planned_points,
                depth: schedule.depth,
                lead: schedule.lead,
                last: schedule.last,
            }),
        }
    }

    /// The hint in words.
    pub fn words(&self, lang: Lang) -> String {
        match &self.pct {
            Some(p) => tr!(
                lang,
                "replay-pct",
                seed = self.seed.to_string(),
                points = p.points.to_string(),
                depth = p.depth.to_string(),
                lead = p.lead.map_or(String::new(), |l| format!(" --lead {l}"))
                    + &p.last.map_or(String::new(), |l| format!(" --last {l}"))
            ),
            None => tr!(lang, "replay-shaken", seed = self.seed.to_string()),
        }
    }
}
