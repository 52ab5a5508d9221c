//! The `grade` command's progress view: what stderr shows while runs go.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use grader::Progress;
use i18n::{Lang, tr};
use indicatif::{ProgressBar, ProgressStyle};

/// The grading's progress on stderr (stdout carries the report only): a live line on a
/// terminal (run k of N, passed so far, the current run's elapsed time), else plain lines at
/// most once a second.
pub(crate) struct ProgressView {
    bar: Option<ProgressBar>,
    last_line: Option<Instant>,
}

impl ProgressView {
    pub(crate) fn new() -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new_spinner();
            let template = format!(
                "{{spinner}} grade: {{msg}}{}",
                tr(Lang::current(), "progress-this-run")
            );
            if let Ok(style) = ProgressStyle::with_template(&template) {
                bar.set_style(style);
            }
            // The message is set before the first tick: no line reads "grade: , this run 0s".
            bar.set_message(tr(Lang::current(), "progress-starting"));
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        ProgressView {
            bar,
            last_line: None,
        }
    }

    pub(crate) fn show(&mut self, p: Progress) {
        match (&self.bar, p) {
            (Some(bar), Progress::Started { run, runs, passed }) => {
                bar.set_message(tr!(
                    Lang::current(),
                    "progress-run",
                    run = run,
                    runs = runs,
                    passed = passed
                ));
                bar.reset_elapsed();
            }
            (
                None,
                Progress::Ended {
                    run,
                    runs,
                    passed,
                    elapsed,
                },
            ) if self
                .last_line
                .is_none_or(|t| t.elapsed() >= Duration::from_secs(1)) =>
            {
                let seconds = format!("{:.1}", elapsed.as_secs_f64());
                let line = tr!(
                    Lang::current(),
                    "progress-run-took",
                    run = run,
                    runs = runs,
                    seconds = seconds,
                    passed = passed
                );
                eprintln!("grade: {line}");
                self.last_line = Some(Instant::now());
            }
            _ => {}
        }
    }

    /// A line of its own on stderr (above the live line on a terminal).
    pub(crate) fn say(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
