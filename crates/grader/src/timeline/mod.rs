//! Pictures of one run: a timeline as a self-contained SVG, one lane per process and thread.
//!
//! The input is a [`Timeline`]: a [`tracer::Trace`] (tasks, who created whom, how each ended,
//! shaken holds) and the run's lines (text, time, writer, kind, highlighted), with the spans
//! while a line kind is open and the hand-offs between lines; [`Timeline::svg`] draws it. It
//! knows nothing of how a grading stores its runs: [`Timeline::of_trace`] builds one from a
//! trace alone (lines assembled per writer, [`writer_lines`]), `from_run` from a graded run.
//!
//! Inside (lines per writer come from [`crate::outcome::assembler`]): `pairing` (kinds, spans and hand-offs from a spec),
//! `lanes` (lane order and labels), `scale` (where time runs), `layout` (measures, where text
//! fits), `place` (every lane's and text's place), `glyphs` (text as
//! drawn), `draw`, `arrows`, `strip` and `svg` (the picture), `from_run` (a graded
//! run's timeline), `trace_run` (one run traced, for `grade trace`).

mod arrows;
mod draw;
mod from_run;
mod glyphs;
mod lanes;
mod layout;
mod pairing;
mod place;
mod scale;
mod strip;
mod svg;
mod trace_run;

use std::time::Duration;

use tracer::{Stream, Trace};

use crate::spec::Spec;

pub use crate::outcome::assembler::{WriterLine, writer_lines};
pub use from_run::run_timeline;
pub use trace_run::{TraceRunError, TraceRunOptions, TracedRun, trace_command};

/// One output line of the run, as the picture shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineLine {
    /// Its text, without the newline.
    pub text: String,
    /// When it was written (its newline's time), from the trace's start.
    pub at: Duration,
    /// The writing thread: the line is drawn on its lane.
    pub tid: i32,
    /// Stdout or stderr.
    pub stream: Stream,
    /// The name of the spec's line kind it is, if any.
    pub kind: Option<String>,
    /// A failing check quotes it: drawn in red.
    pub highlighted: bool,
}

/// The time while a line kind is open on one lane (a task running: from its `Run` line to its
/// `Task` line), drawn shaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenSpan {
    /// The lane (thread) it is drawn on: the opening line's writer.
    pub tid: i32,
    /// When it opened.
    pub from: Duration,
    /// When it closed; `None`: never (shaded to the lane's end).
    pub to: Option<Duration>,
    /// What is open, e.g. `run i=3`.
    pub label: String,
}

/// A value handed from one line to another (`Put A` then `Get A`), drawn as an arrow between
/// the two marks when they are on different lanes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The first line's index in [`Timeline::lines`].
    pub from: usize,
    /// The second line's index.
    pub to: usize,
    /// What joins them, e.g. `X=A`.
    pub label: String,
}

/// Everything one picture shows: the trace of one run and its lines.
#[derive(Debug, Clone)]
pub struct Timeline<'a> {
    /// The run's tasks (one lane each), creations, ends and holds.
    pub trace: &'a Trace,
    /// The heading, e.g. the command line or `run 3 of pool`.
    pub title: String,
    /// A remark under the heading (e.g. why some lanes are unknown), if any.
    pub note: Option<String>,
    /// The lines, in any order.
    pub lines: Vec<TimelineLine>,
    /// The open spans.
    pub spans: Vec<OpenSpan>,
    /// The hand-offs.
    pub links: Vec<Link>,
    /// What the legend calls each line kind: the spec's `label` in the reader's language
    /// (kinds without one are named by their name).
    pub labels: std::collections::BTreeMap<String, String>,
    /// The role of the task writing each line kind (the spec's `role`, in the reader's
    /// language): a lane whose lines all have one role is named by it.
    pub roles: std::collections::BTreeMap<String, String>,
}

impl<'a> Timeline<'a> {
    /// A timeline of `trace` alone: its lines assembled per writer (stdout and stderr), no
    /// kinds, spans or hand-offs.
    pub fn of_trace(trace: &'a Trace, title: impl Into<String>) -> Timeline<'a> {
        let lines = writer_lines(trace)
            .into_iter()
            .map(|l| TimelineLine {
                text: l.text,
                at: l.at,
                tid: l.tid,
                stream: l.stream,
                kind: None,
                highlighted: false,
            })
            .collect();
        Timeline {
            trace,
            title: title.into(),
            note: None,
            lines,
            spans: Vec::new(),
            links: Vec::new(),
            labels: Default::default(),
            roles: Default::default(),
        }
    }

    /// Gives each stdout line its kind in `spec`, and adds the spans while a kind of an `open`
    /// check is open and the hand-offs of each `order ... per` check.
    pub fn with_spec(mut self, spec: &Spec) -> Self {
        let (spans, links) = pairing::pair_up(spec, &mut self.lines);
        self.spans = spans;
        self.links = links;
        let lang = i18n::Lang::current();
        self.labels = spec
            .lines
            .iter()
            .map(|k| (k.name.clone(), k.label_in(lang).to_string()))
            .collect();
        self.roles = roles_of(spec, lang);
        self
    }

    /// The picture: a standalone SVG document (UTF-8, no external references).
    pub fn svg(&self) -> String {
        svg::document(self, true)
    }

    /// The picture as an `<svg>` element to put inside an HTML page.
    pub fn svg_element(&self) -> String {
        svg::document(self, false)
    }
}

/// Each line kind's writer role in `lang`, for the kinds whose spec names one.
pub(super) fn roles_of(
    spec: &Spec,
    lang: i18n::Lang,
) -> std::collections::BTreeMap<String, String> {
    spec.lines
        .iter()
        .filter_map(|k| Some((k.name.clone(), k.role_in(lang)?.to_string())))
        .collect()
}
