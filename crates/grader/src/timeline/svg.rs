//! The SVG document: heading, legend, the strip counting open spans, the lanes (drawn by
//! `draw`), the time axis.

use std::fmt::Write as _;
use std::time::Duration;

use tracer::{Stream, TaskKind};

use super::Timeline;
use super::draw::{Canvas, KIND_COLORS, STDERR_COLOR, UNKINDED_COLOR};
use super::lanes::{Lane, lanes};
use super::layout::{AXIS_H, LANE_H, PLOT_X0, PLOT_X1, STRIP_H, WIDTH, fmt_time};
use super::scale::Scale;
use crate::render::markup::xml_escape;

/// Lanes drawn at most: a fork bomb's picture stays a picture.
const MAX_LANES: usize = 200;
/// The heading and legend above the lanes.
const HEADER_H: f64 = 76.0;
/// Each further row of the legend.
const LEGEND_ROW: f64 = 18.0;

const STYLE: &str = "
  .title { font: bold 15px sans-serif; fill: #2e3436 }
  .sub { font: 12px sans-serif; fill: #555753 }
  .legend { font: 11px sans-serif; fill: #2e3436 }
  .id { font: bold 12px monospace; fill: #2e3436 }
  .role { font: 11px sans-serif; fill: #555753 }
  .tick { font: 10px sans-serif; fill: #555753 }
  .grid { stroke: #d3d7cf; stroke-width: 1 }
  .mark text { font: 11px monospace; fill: #2e3436 }
  .mark.hl text { fill: #cc0000; font-weight: bold }
  .end text { font: 10px sans-serif }
";

/// The whole picture; `standalone` adds the XML declaration (a file of its own), else it is an
/// element to put in an HTML page.
pub(super) fn document(t: &Timeline<'_>, standalone: bool) -> String {
    let workers: Vec<i32> = t.spans.iter().map(|s| s.tid).collect();
    let writers: Vec<i32> = t.lines.iter().map(|l| l.tid).collect();
    let (mut lanes, hidden) = lanes(t.trace, &writers, &workers, MAX_LANES);
    super::lanes::name_by_role(&mut lanes, t);
    // Open spans and holds are never cut: their lengths are what they show.
    let open: Vec<(Duration, Duration)> = t
        .spans
        .iter()
        .map(|s| (s.from, s.to.unwrap_or(Duration::MAX)))
        .chain(t.trace.holds.iter().map(|h| (h.at, h.at + h.duration)))
        .collect();
    let first_line = t.lines.iter().map(|l| l.at).min();
    let scale = Scale::new(events(t, &lanes), &open, first_line);
    let kinds = kind_names(t);
    // The heading and legend first, to know how tall they are.
    let mut head = String::new();
    heading(&mut head, t, hidden);
    let cut = !scale.breaks().is_empty();
    let header = HEADER_H + legend(&mut head, t, &kinds, cut);
    let strip = if t.spans.is_empty() { 0.0 } else { STRIP_H };
    let top = header + strip;
    let canvas = Canvas::new(t, &lanes, &scale, top, &kinds);
    let height = top + canvas.height().max(LANE_H) + AXIS_H + 8.0;
    let mut out = String::new();
    if standalone {
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" font-family=\"monospace\">"
    );
    let _ = writeln!(out, "<style>{STYLE}</style>");
    out.push_str(DEFS);
    let _ = writeln!(
        out,
        "<rect x=\"0\" y=\"0\" width=\"{WIDTH}\" height=\"{height}\" fill=\"#ffffff\"/>"
    );
    out.push_str(&head);
    grid(&mut out, &scale, top, height - AXIS_H - 8.0);
    if !t.spans.is_empty() {
        super::strip::strip(&mut out, t, &scale, header);
    }
    canvas.lanes(&mut out);
    canvas.creations(&mut out);
    canvas.links(&mut out);
    breaks(&mut out, &scale, top, height - AXIS_H - 8.0);
    canvas.marks(&mut out);
    axis(&mut out, &scale, height - AXIS_H - 8.0);
    out.push_str("</svg>\n");
    out
}

/// The time of everything the picture shows (of the tasks with a lane): the scale runs to the
/// latest, and cuts the quiet stretches between them.
fn events(t: &Timeline<'_>, lanes: &[Lane<'_>]) -> Vec<Duration> {
    let mut all: Vec<Duration> = Vec::new();
    for k in lanes.iter().map(|l| l.task) {
        all.push(k.created_at);
        all.extend(k.ended_at);
        all.extend(k.execs.iter().map(|e| e.at));
    }
    all.extend(t.lines.iter().map(|l| l.at));
    for h in t
        .trace
        .holds
        .iter()
        .filter(|h| lanes.iter().any(|l| l.task.tid == h.tid))
    {
        all.extend([h.at, h.at + h.duration]);
    }
    for s in &t.spans {
        all.push(s.from);
        all.extend(s.to);
    }
    all
}

/// The line kinds present, in order of first appearance (each gets a color).
fn kind_names(t: &Timeline<'_>) -> Vec<String> {
    let mut by_time: Vec<&super::TimelineLine> = t.lines.iter().collect();
    by_time.sort_by_key(|l| l.at);
    let mut kinds: Vec<String> = Vec::new();
    for k in by_time.iter().filter_map(|l| l.kind.as_ref()) {
        if !kinds.contains(k) {
            kinds.push(k.clone());
        }
    }
    kinds
}

fn heading(out: &mut String, t: &Timeline<'_>, hidden: usize) {
    let tasks = &t.trace.tasks;
    let processes = tasks.iter().filter(|k| k.kind == TaskKind::Process).count();
    let threads = tasks.len() - processes;
    let end = tasks.iter().filter_map(|k| k.ended_at).max();
    let lang = i18n::Lang::current();
    let mut sub = i18n::tr!(
        lang,
        "picture-counts",
        processes = processes,
        threads = threads,
        lines = t.lines.len()
    );
    if let Some(e) = end {
        let _ = write!(
            sub,
            "{}",
            i18n::tr!(lang, "picture-in-all", time = fmt_time(e))
        );
    }
    if let Some(s) = &t.trace.shake {
        let hold = fmt_time(s.max_hold);
        let _ = write!(
            sub,
            "{}",
            i18n::tr!(lang, "picture-shaken-holds", seed = s.seed, hold = hold)
        );
    }
    if hidden > 0 {
        let _ = write!(
            sub,
            "{}",
            i18n::tr!(lang, "picture-hidden", hidden = hidden, lanes = MAX_LANES)
        );
    }
    if let Some(n) = &t.note {
        let _ = write!(sub, "; {n}");
    }
    let _ = writeln!(
        out,
        "<text class=\"title\" x=\"12\" y=\"22\">{}</text>\n<text class=\"sub\" x=\"12\" y=\"41\">{}</text>",
        xml_escape(&t.title),
        xml_escape(&sub)
    );
}

/// A key's symbol in the legend.
enum Symbol {
    Dot(&'static str),
    Square(&'static str),
    Ring,
    Arrow(&'static str, &'static str),
    Shade,
    Hold,
    /// A quiet stretch cut out of the axis: two dashed edges.
    Cut,
}

impl Symbol {
    fn draw(&self, x: f64, y: f64) -> String {
        match self {
            Symbol::Dot(c) => format!(
                "<circle cx=\"{}\" cy=\"{y}\" r=\"4\" fill=\"{c}\"/>",
                x + 5.0
            ),
            Symbol::Square(c) => format!(
                "<rect x=\"{}\" y=\"{}\" width=\"8\" height=\"8\" fill=\"{c}\"/>",
                x + 1.0,
                y - 4.0
            ),
            Symbol::Ring => format!(
                "<circle cx=\"{}\" cy=\"{y}\" r=\"4\" fill=\"#cc0000\"/><circle cx=\"{}\" cy=\"{y}\" r=\"7\" fill=\"none\" stroke=\"#cc0000\"/>",
                x + 5.0,
                x + 5.0
            ),
            Symbol::Arrow(color, dash) => format!(
                "<line x1=\"{x}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{color}\" stroke-width=\"1.5\" stroke-dasharray=\"{dash}\"/>",
                x + 11.0
            ),
            Symbol::Shade => format!(
                "<rect x=\"{x}\" y=\"{}\" width=\"11\" height=\"10\" fill=\"#fcaf3e\" fill-opacity=\"0.45\"/>",
                y - 5.0
            ),
            Symbol::Hold => format!(
                "<rect x=\"{x}\" y=\"{}\" width=\"11\" height=\"8\" fill=\"url(#hold)\" stroke=\"#555753\" stroke-width=\"0.5\"/>",
                y - 4.0
            ),
            Symbol::Cut => format!(
                "<path d=\"M{x},{} V{} M{},{} V{}\" stroke=\"#888a85\" stroke-dasharray=\"2 2\"/>",
                y - 6.0,
                y + 6.0,
                x + 10.0,
                y - 6.0,
                y + 6.0
            ),
        }
    }
}

/// One row of keys: what each color and shape means, for the things the picture has.
/// Returns how much taller than one row the legend is.
fn legend(out: &mut String, t: &Timeline<'_>, kinds: &[String], cut: bool) -> f64 {
    let mut y = 62.0;
    let mut x = 12.0;
    for (symbol, text) in legend_keys(t, kinds, cut) {
        let w = 26.0 + super::glyphs::columns(&text) as f64 * 6.0;
        // A new row when the key would run off the picture.
        if x > 12.0 && x + w > WIDTH - 12.0 {
            x = 12.0;
            y += LEGEND_ROW;
        }
        let _ = writeln!(
            out,
            "<g class=\"legend\">{}<text x=\"{}\" y=\"{}\">{}</text></g>",
            symbol.draw(x, y),
            x + 16.0,
            y + 4.0,
            xml_escape(&text)
        );
        x += w;
    }
    y - 62.0
}

/// The legend's keys: each line kind's color, then each other thing the picture has.
fn legend_keys(t: &Timeline<'_>, kinds: &[String], cut: bool) -> Vec<(Symbol, String)> {
    let lang = i18n::Lang::current();
    let say = |id: &str| i18n::tr(lang, id);
    let mut keys: Vec<(Symbol, String)> = kinds
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let label = t.labels.get(k).filter(|l| *l != k);
            let text = match label {
                Some(label) => label.clone(),
                None => i18n::tr!(lang, "picture-kind-line", kind = k.as_str()),
            };
            (Symbol::Dot(KIND_COLORS[i % KIND_COLORS.len()]), text)
        })
        .collect();
    let lines = &t.lines;
    let tasks = &t.trace.tasks;
    let across = |k: &super::Link| match (lines.get(k.from), lines.get(k.to)) {
        (Some(a), Some(b)) => a.tid != b.tid,
        _ => false,
    };
    let shown = [
        (
            lines
                .iter()
                .any(|l| l.kind.is_none() && l.stream == Stream::Stdout),
            Symbol::Dot(UNKINDED_COLOR),
            "picture-stdout-line",
        ),
        (
            lines.iter().any(|l| l.stream == Stream::Stderr),
            Symbol::Square(STDERR_COLOR),
            "picture-stderr-line",
        ),
        (
            lines.iter().any(|l| l.highlighted),
            Symbol::Ring,
            "picture-quoted",
        ),
        (
            tasks
                .iter()
                .any(|k| k.creator.is_some() && k.kind == TaskKind::Process),
            Symbol::Arrow("#3465a4", "none"),
            "picture-creates-process",
        ),
        (
            tasks.iter().any(|k| k.kind == TaskKind::Thread),
            Symbol::Arrow("#75507b", "3 2"),
            "picture-creates-thread",
        ),
        (
            t.links.iter().any(across),
            Symbol::Arrow("#4e9a06", "5 3"),
            "picture-hand-off",
        ),
        (!t.spans.is_empty(), Symbol::Shade, "picture-open"),
        (!t.trace.holds.is_empty(), Symbol::Hold, "picture-held"),
        (cut, Symbol::Cut, "picture-cut"),
    ];
    for (has, symbol, id) in shown {
        if has {
            keys.push((symbol, say(id)));
        }
    }
    keys
}

/// Faint vertical lines at the axis ticks, behind the lanes.
fn grid(out: &mut String, scale: &Scale, top: f64, bottom: f64) {
    for t in scale.ticks() {
        let x = scale.x(t);
        let _ = writeln!(
            out,
            "<line class=\"grid\" x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{bottom}\"/>"
        );
    }
}

/// Each cut quiet stretch: a pale band over the lanes, and its real length on the axis.
fn breaks(out: &mut String, scale: &Scale, top: f64, bottom: f64) {
    for (x0, x1, long) in scale.breaks() {
        let _ = writeln!(
            out,
            "<g class=\"break\"><title>{}</title><rect x=\"{x0:.1}\" y=\"{top}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#ffffff\" fill-opacity=\"0.75\"/><path d=\"M{x0:.1},{top} V{bottom:.1} M{x1:.1},{top} V{bottom:.1}\" stroke=\"#888a85\" stroke-dasharray=\"2 3\"/><text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">// {} //</text></g>",
            xml_escape(&i18n::tr!(
                i18n::Lang::current(),
                "picture-cut-why",
                time = fmt_time(long)
            )),
            x1 - x0,
            bottom - top,
            (x0 + x1) / 2.0,
            bottom + 28.0,
            fmt_time(long)
        );
    }
}

fn axis(out: &mut String, scale: &Scale, y: f64) {
    let _ = writeln!(
        out,
        "<g class=\"axis\"><line x1=\"{PLOT_X0}\" y1=\"{y}\" x2=\"{PLOT_X1}\" y2=\"{y}\" stroke=\"#555753\"/>"
    );
    for t in scale.ticks() {
        let x = scale.x(t);
        let _ = writeln!(
            out,
            "<line x1=\"{x:.1}\" y1=\"{y}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"#555753\"/><text class=\"tick\" x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            y + 4.0,
            y + 16.0,
            scale.label(t)
        );
    }
    let _ = writeln!(
        out,
        "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text></g>",
        PLOT_X0 - 8.0,
        y + 16.0,
        xml_escape(&i18n::tr(i18n::Lang::current(), "picture-time-since-start"))
    );
}

/// Arrowheads and the hatching of holds.
const DEFS: &str = r##"<defs>
  <marker id="arrow-process" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#3465a4"/></marker>
  <marker id="arrow-thread" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#75507b"/></marker>
  <marker id="arrow-link" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#4e9a06"/></marker>
  <pattern id="hold" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="4" height="4" fill="#eeeeec"/><line x1="0" y1="0" x2="0" y2="4" stroke="#555753" stroke-width="1.5"/></pattern>
</defs>
"##;
