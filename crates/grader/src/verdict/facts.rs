//! What the report says of the runs themselves: traced or not, stdout a terminal or a pipe,
//! which runs were shaken with which seed, and advice that fails no check.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::outcome::RunOutcome;
use crate::outcome::writer::Tracing;
use crate::verdict::failure::Failure;

/// Facts of the runs of a grading.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunFacts {
    /// `on`; `off` (`--no-trace`); `refused: WHY` (the system refused ptrace); `incomplete: WHY`
    /// (some runs' writers unknown). Checks that need the trace are "not checked" on runs that
    /// were not traced.
    pub tracing: String,
    /// `terminal` (a pseudo-terminal, the default) or `pipe` (`--stdout pipe`).
    pub stdout: String,
    /// The shaken runs and their seeds (`--seed S --runs 1` replays one).
    pub shaken: Vec<ShakenRun>,
    /// Worth knowing, failing nothing: e.g. writers' bytes mixed in a line of the real stdout.
    pub advice: Vec<Failure>,
    /// Each run's stdout lines with their writers (JSON only), the first few hundred a run.
    #[serde(default)]
    pub lines: Vec<RunLines>,
    /// The grading stopped after this many runs: a guaranteed check had failed in two of
    /// them, so no further run could change the verdict (`--all-runs` makes them all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_after: Option<usize>,
    /// What the runs scheduled by PCT covered, by its bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<crate::verdict::coverage::Coverage>,
}

/// The lines the checks judged in one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunLines {
    /// The run's number, from 1.
    pub run: usize,
    /// Its lines, in order (traced: each writer's own lines, by the time of their newline).
    pub lines: Vec<LineFact>,
    /// Lines left out past the first 300 kept.
    pub more: usize,
}

/// One line and who wrote it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineFact {
    /// Its text.
    pub text: String,
    /// Seconds from the start of the run (traced: when its newline was written).
    pub at: f64,
    /// The writing process's pid (traced runs only).
    pub pid: Option<i32>,
    /// The writing thread's id (traced runs only).
    pub tid: Option<i32>,
    /// `main` (the main process), `process` (another process) or `thread` (traced runs only).
    pub writer: Option<String>,
}

/// How [`RunFacts::tracing`] begins when the system refused the trace (then why).
const REFUSED: &str = "refused: ";
/// How [`RunFacts::tracing`] begins when some runs' trace was incomplete: then their count,
/// [`INCOMPLETE_RUNS`] and why.
const INCOMPLETE: &str = "incomplete in ";
const INCOMPLETE_RUNS: &str = " run(s): ";

/// Lines listed per run at most.
pub(crate) const LINES_KEPT: usize = 300;

fn lines_of(r: &RunOutcome) -> RunLines {
    RunLines {
        run: r.run,
        lines: r
            .lines
            .iter()
            .take(LINES_KEPT)
            .map(|l| LineFact {
                text: l.text.clone(),
                at: l.at.as_secs_f64(),
                pid: l.writer.map(|w| w.pid),
                tid: l.writer.map(|w| w.tid),
                writer: l.writer.map(|w| w.role.name().to_string()),
            })
            .collect(),
        more: r.lines.len().saturating_sub(LINES_KEPT),
    }
}

/// One shaken run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShakenRun {
    /// The run's number, from 1.
    pub run: usize,
    /// Its shaking seed (0 for an explored order).
    pub seed: u64,
    /// The explored schedule it followed (`--schedule`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
    /// The order of its stop points as the scheduler let them go on: one `TASK@POINT` per
    /// decision (`1@s1`: task 1, the main process's first child, at its start; see
    /// [`tracer::Decision`]), `-` for a wait; a forced decision (timing, not the schedule, chose)
    /// ends in `!`. Two replays of one seed or schedule that agree give the same order.
    #[serde(default)]
    pub order: String,
    /// PCT's `k` and `d` in this run (`--points K --depth D` replays it); 0 without PCT.
    #[serde(default)]
    pub points: u64,
    /// See `points`.
    #[serde(default)]
    pub depth: u32,
    /// PCT's lead in this run (`--lead N` replays it), when it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<u32>,
    /// PCT's last in this run (`--last N` replays it), when it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<u32>,
}

/// The decisions of a run in one line (see [`ShakenRun::order`]).
pub(crate) fn order_of(decisions: &[tracer::Decision]) -> String {
    decisions
        .iter()
        .map(|d| {
            let forced = if d.forced { "!" } else { "" };
            if d.at.is_empty() {
                format!("{}{forced}", d.chosen)
            } else {
                format!("{}@{}{forced}", d.chosen, d.at)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl RunFacts {
    /// The facts of `runs`.
    pub(crate) fn of(runs: &[RunOutcome]) -> RunFacts {
        let tracing = if runs.iter().all(|r| r.tracing.is_on()) {
            "on".to_string()
        } else {
            // The first run that was not traced says why.
            match runs.iter().map(|r| &r.tracing).find(|t| !t.is_on()) {
                Some(Tracing::Off) | Some(Tracing::On) | None => "off".to_string(),
                Some(Tracing::Refused(why)) => format!("{REFUSED}{why}"),
                Some(Tracing::Incomplete(why)) => {
                    let n = runs.iter().filter(|r| !r.tracing.is_on()).count();
                    format!("{INCOMPLETE}{n}{INCOMPLETE_RUNS}{why}")
                }
            }
        };
        let stdout = if runs.first().is_some_and(|r| r.stdout_tty) {
            "terminal"
        } else {
            "pipe"
        };
        RunFacts {
            tracing,
            stdout: stdout.to_string(),
            shaken: runs
                .iter()
                .filter(|r| r.shaken())
                .map(|r| ShakenRun {
                    run: r.run,
                    seed: r.shake_seed.unwrap_or(0),
                    schedule: r.explored.clone(),
                    order: order_of(&r.schedule.decisions),
                    points: r.schedule.planned_points,
                    depth: r.schedule.depth,
                    lead: r.schedule.lead,
                    last: r.schedule.last,
                })
                .collect(),
            advice: runs
                .iter()
                .flat_map(|r| {
                    r.advice.iter().map(|a| Failure {
                        run: r.run,
                        message: a.clone(),
                        ..Failure::default()
                    })
                })
                .collect(),
            lines: runs.iter().map(lines_of).collect(),
            stopped_after: None,
            coverage: crate::verdict::coverage::Coverage::of(runs),
        }
    }

    /// The lines of the text report that say these facts.
    pub(crate) fn text(&self) -> String {
        let lang = i18n::Lang::current();
        let stdout = i18n::tr(lang, &format!("facts-stdout-{}", self.stdout));
        let tracing = self.tracing_said(lang);
        let mut out = i18n::tr!(lang, "facts-line", stdout = stdout, tracing = tracing);
        if !self.shaken.is_empty() {
            let runs: Vec<String> = self
                .shaken
                .iter()
                .map(|s| match &s.schedule {
                    Some(schedule) => i18n::tr!(
                        lang,
                        "facts-explored-run",
                        run = s.run,
                        schedule = schedule.as_str()
                    ),
                    None => i18n::tr!(lang, "facts-shaken-run", run = s.run, seed = s.seed),
                })
                .collect();
            let _ = write!(
                out,
                "{}",
                i18n::tr!(lang, "facts-shaken", runs = runs.join(", "))
            );
        }
        out.push('\n');
        if let Some(k) = self.stopped_after {
            let _ = writeln!(out, "{}", stopped_line(k));
        }
        if let Some(c) = &self.coverage {
            let _ = writeln!(out, "{}", c.text());
        }
        for a in self.advice.iter().take(3) {
            let note = i18n::tr!(
                lang,
                "report-note-run",
                run = a.run,
                note = a.message.as_str()
            );
            let _ = writeln!(out, "{note}");
        }
        if self.advice.len() > 3 {
            let more = i18n::tr!(lang, "report-note-more", count = self.advice.len() - 3);
            let _ = writeln!(out, "{more}");
        }
        out
    }

    /// [`RunFacts::tracing`] in words of `lang`: on, off, refused (why), incomplete (why).
    pub(crate) fn tracing_said(&self, lang: i18n::Lang) -> String {
        let t = self.tracing.as_str();
        if t == "on" || t == "off" {
            return i18n::tr(lang, &format!("facts-tracing-{t}"));
        }
        if let Some(why) = t.strip_prefix(REFUSED) {
            return i18n::tr!(lang, "facts-tracing-refused", why = why);
        }
        let incomplete = t
            .strip_prefix(INCOMPLETE)
            .and_then(|rest| rest.split_once(INCOMPLETE_RUNS))
            .and_then(|(n, why)| Some((n.parse::<usize>().ok()?, why)));
        match incomplete {
            Some((n, why)) => i18n::tr!(lang, "facts-tracing-incomplete", count = n, why = why),
            None => t.to_string(),
        }
    }
}

/// "stopped after K runs: the verdict could not change (--all-runs makes them all)".
pub fn stopped_line(runs: usize) -> String {
    let lang = i18n::Lang::current();
    i18n::tr!(lang, "grade-stopped-early", runs = runs)
}
