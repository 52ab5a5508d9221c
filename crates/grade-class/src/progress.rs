//! The class's progress on stderr: how many are done, passing, failing, building, grading, and
//! the slowest one running. On a terminal a live `indicatif` line with each finished submission
//! printed above it; otherwise plain lines (one per finished submission, and a "still running"
//! line when nothing has finished for a while).

use i18n::{Lang, tr};
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use super::results::Verdict;
use grader::visible;

/// Without a terminal, a "still running" line when nothing was printed for this long.
const QUIET_MAX: Duration = Duration::from_secs(15);

/// What a submission is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    Building,
    Grading,
}

/// The class's progress.
#[derive(Debug)]
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    total: usize,
    done: usize,
    pass: usize,
    fail: usize,
    not_graded: usize,
    /// By submission index: its name, phase and start.
    running: BTreeMap<usize, (String, Phase, Instant)>,
    last_line: Instant,
}

impl Progress {
    /// Progress of `total` submissions; live on a terminal unless `quiet`.
    pub(crate) fn new(total: usize, quiet: bool) -> Progress {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new(total as u64);
            if let Ok(style) = ProgressStyle::with_template("{bar:20} {pos}/{len} {wide_msg}") {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            total,
            done: 0,
            pass: 0,
            fail: 0,
            not_graded: 0,
            running: BTreeMap::new(),
            last_line: Instant::now(),
        }
    }

    /// Submission `i`, `name`, entered `phase`.
    pub(crate) fn started(&mut self, i: usize, name: &str, phase: Phase) {
        // Shown on the live line: a name's control characters as escapes.
        self.running
            .insert(i, (visible(name), phase, Instant::now()));
        self.refresh();
    }

    /// Submission `i` built (`failed`: why not) in `seconds`.
    pub(crate) fn built(&mut self, i: usize, failed: Option<&str>, seconds: f64) {
        let Some((name, _, _)) = self.running.remove(&i) else {
            return;
        };
        if let Some(why) = failed {
            self.done += 1;
            self.not_graded += 1;
            let seconds = format!("{seconds:.1}");
            let line = tr!(
                lang(),
                "class-progress-not-graded",
                why = why,
                seconds = seconds
            );
            self.say(format!("[{}/{}] {name}: {line}", self.done, self.total));
        } else if self.bar.is_none() {
            let seconds = format!("{seconds:.1}");
            self.say(format!(
                "{name}: {}",
                tr!(lang(), "class-progress-built", seconds = seconds)
            ));
        }
        self.refresh();
    }

    /// Submission `i` graded (`checks`: passed and total, when graded) in `seconds`.
    pub(crate) fn graded(
        &mut self,
        i: usize,
        verdict: Verdict,
        checks: Option<(usize, usize)>,
        note: Option<&str>,
        seconds: f64,
    ) {
        let Some((name, _, _)) = self.running.remove(&i) else {
            return;
        };
        self.done += 1;
        let word = match verdict {
            Verdict::Pass => {
                self.pass += 1;
                "class-word-pass"
            }
            Verdict::Fail => {
                self.fail += 1;
                "class-word-fail"
            }
            Verdict::NotGraded => {
                self.not_graded += 1;
                "class-word-not-graded"
            }
        };
        let word = tr(lang(), word);
        let detail = match (checks, note) {
            (Some((p, t)), _) => tr!(lang(), "class-progress-checks", passed = p, total = t),
            (None, Some(n)) => format!("{n}, "),
            (None, None) => String::new(),
        };
        let seconds = format!("{seconds:.1}");
        let took = tr!(lang(), "class-progress-seconds", seconds = seconds);
        self.say(format!(
            "[{}/{}] {name}: {word} ({detail}{took})",
            self.done, self.total
        ));
        self.refresh();
    }

    /// Time passed with no news.
    pub(crate) fn tick(&mut self) {
        if self.bar.is_some() {
            self.refresh();
        } else if self.last_line.elapsed() >= QUIET_MAX && !self.running.is_empty() {
            let summary = self.summary();
            self.say(tr!(lang(), "class-progress-still", summary = summary));
        }
    }

    /// Clears the live line.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    /// Says `line` on stderr, its control characters (from a name, a compiler's message)
    /// shown as escapes.
    fn say(&mut self, line: String) {
        let line = visible(&line);
        match &self.bar {
            Some(bar) => bar.println(format!("grade class: {line}")),
            None => eprintln!("grade class: {line}"),
        }
        self.last_line = Instant::now();
    }

    /// Done, passing, failing, building, grading, and the slowest one running.
    fn summary(&self) -> String {
        let count = |p: Phase| self.running.values().filter(|r| r.1 == p).count();
        let mut s = tr!(
            lang(),
            "class-progress-summary",
            pass = self.pass,
            fail = self.fail,
            not_graded = self.not_graded,
            building = count(Phase::Building),
            grading = count(Phase::Grading)
        );
        if let Some((name, phase, since)) = self.running.values().min_by_key(|r| r.2) {
            let what = match phase {
                Phase::Building => "class-progress-building",
                Phase::Grading => "class-progress-grading",
            };
            let seconds = format!("{:.0}", since.elapsed().as_secs_f64());
            s.push_str(&tr!(
                lang(),
                "class-progress-slowest",
                name = name.as_str(),
                what = tr(lang(), what),
                seconds = seconds
            ));
        }
        s
    }

    fn refresh(&self) {
        if let Some(bar) = &self.bar {
            bar.set_position(self.done as u64);
            bar.set_message(self.summary());
        }
    }
}

/// The reader's language.
fn lang() -> Lang {
    Lang::current()
}
