//! Judging runs against a spec: the built-in run checks, then each spec check on each run, and
//! likely checks against their threshold over all runs.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt::Write as _;

use crate::outcome::{Exit, Line, RunOutcome};
use crate::report::{CheckKind, CheckReport, Failure, Report};
use crate::spec::{Num, Op, Operand, Params, Real, Rule, Spec, Values};

/// The checks every run gets, whatever the spec.
pub const EXIT_CHECK: &str = "exits with status 0";
pub const TIMEOUT_CHECK: &str = "finishes within the timeout";
pub const OUTPUT_LIMIT_CHECK: &str = "output stays under the limit";
pub const LEFT_BEHIND_CHECK: &str = "leaves no process behind";
pub const LINES_CHECK: &str = "every line matches a pattern";

/// Beyond this many offending items a message says "and N more".
const QUOTE_MAX: usize = 3;
/// Longer lines are not searched for two lines run together, and are quoted cut short.
const SPLIT_MAX: usize = 512;

/// A built-in check of one run.
type RunCheck = fn(&Spec, &RunOutcome) -> Result<(), String>;

/// Judges the outcomes of a port's runs against a spec.
pub fn judge(spec: &Spec, params: &Params, runs: &[RunOutcome]) -> Report {
    let builtin: [(&str, RunCheck); 5] = [
        (EXIT_CHECK, check_exit),
        (TIMEOUT_CHECK, check_timeout),
        (OUTPUT_LIMIT_CHECK, check_output_limit),
        (LEFT_BEHIND_CHECK, check_left_behind),
        (LINES_CHECK, check_lines),
    ];
    let mut checks: Vec<CheckReport> = builtin
        .iter()
        .map(|(name, _)| CheckReport::new(name, CheckKind::Guaranteed, None))
        .chain(spec.checks.iter().map(|c| {
            let kind = if c.likely.is_some() {
                CheckKind::Likely
            } else {
                CheckKind::Guaranteed
            };
            CheckReport::new(&c.name, kind, c.likely)
        }))
        .collect();
    for run in runs {
        let classified = classify(spec, &run.lines);
        let ctx = Ctx {
            spec,
            params,
            run,
            lines: &classified,
        };
        let results = builtin
            .iter()
            .map(|(_, f)| f(spec, run))
            .chain(spec.checks.iter().map(|c| ctx.eval(&c.rule)));
        for (report, result) in checks.iter_mut().zip(results) {
            match result {
                Ok(()) => report.runs_passed += 1,
                Err(message) => report.failures.push(Failure {
                    run: run.run,
                    message,
                }),
            }
        }
    }
    for c in &mut checks {
        c.passed = match c.threshold {
            None => c.failures.is_empty(),
            Some(t) => c.runs_passed as f64 >= t * runs.len() as f64 - 1e-9,
        };
        if c.passed {
            // A likely check that holds often enough has nothing to answer for.
            c.failures.clear();
        }
    }
    Report {
        example: spec.name().to_string(),
        runs: runs.len(),
        passed: checks.iter().all(|c| c.passed),
        params: params.values().clone(),
        time_scale: params.time_scale(),
        checks,
    }
}

// ---- built-in run checks --------------------------------------------------------------------

fn check_exit(_: &Spec, run: &RunOutcome) -> Result<(), String> {
    let what = match run.exit {
        Some(Exit::Code(0)) => return Ok(()),
        Some(Exit::Code(c)) => format!("exited with status {c}"),
        Some(Exit::Signal(s)) => format!("was killed by signal {s}"),
        None => "did not exit on its own (the grader killed it)".to_string(),
    };
    let tail: Vec<&str> = run.stderr_tail.lines().collect();
    let tail = &tail[tail.len().saturating_sub(5)..];
    if tail.is_empty() {
        Err(format!("the main process {what}; stderr was empty"))
    } else {
        let mut m = format!("the main process {what}; stderr ends with:");
        for l in tail {
            let _ = write!(m, "\n  | {}", cut(l));
        }
        Err(m)
    }
}

fn check_timeout(_: &Spec, run: &RunOutcome) -> Result<(), String> {
    if run.timed_out {
        Err(format!(
            "still running at the timeout (after {:.1} s): the whole process tree was killed",
            run.elapsed.as_secs_f64()
        ))
    } else {
        Ok(())
    }
}

fn check_output_limit(_: &Spec, run: &RunOutcome) -> Result<(), String> {
    if run.output_limit_hit {
        Err(format!(
            "output limit: the output passed the cap after {} lines; the rest was discarded and the process tree killed",
            run.lines.len()
        ))
    } else {
        Ok(())
    }
}

fn check_left_behind(_: &Spec, run: &RunOutcome) -> Result<(), String> {
    if run.left_behind.is_empty() {
        return Ok(());
    }
    let n = run.left_behind.len();
    let mut m = format!(
        "{n} process{} still alive after the main process exited (killed by the grader): ",
        if n == 1 { " was" } else { "es were" }
    );
    let shown: Vec<String> = run
        .left_behind
        .iter()
        .take(QUOTE_MAX)
        .map(|p| format!("pid {} ({})", p.pid, cut(&p.cmdline)))
        .collect();
    m.push_str(&shown.join(", "));
    more(&mut m, n);
    Err(m)
}

fn check_lines(spec: &Spec, run: &RunOutcome) -> Result<(), String> {
    let matches = |s: &str| spec.lines.iter().any(|k| k.regex.is_match(s));
    let mut problems = Problems::default();
    for (i, line) in run.lines.iter().enumerate() {
        if line.utf8 && matches(&line.text) {
            continue;
        }
        let n = i + 1;
        let text = &line.text;
        // Only the lines quoted are searched for the cause: a flood of bad lines stays cheap.
        problems.add(|| if !line.utf8 {
            format!("line {n} is not valid UTF-8: {:?}", cut(text))
        } else if let Some((a, b)) = run_together(text, &matches) {
            format!(
                "line {n} {:?} is two expected lines run together ({:?} + {:?}): two processes wrote at once; write each line in one call (text and newline together) and flush",
                cut(text),
                a,
                b
            )
        } else if let Some(prefix) = cut_in_two(text, run.lines.get(i + 1), &matches) {
            format!(
                "line {n} {:?} is another line written into the middle of an expected line (which begins {:?} and ends on line {}): write each line in one call (text and newline together) and flush",
                cut(text),
                prefix,
                n + 1
            )
        } else {
            format!("line {n} {:?} matches no pattern", cut(text))
        });
    }
    problems.result()
}

/// `text` as two whole expected lines with no newline between them.
fn run_together<'t>(text: &'t str, matches: &dyn Fn(&str) -> bool) -> Option<(&'t str, &'t str)> {
    if text.len() > SPLIT_MAX {
        return None;
    }
    text.char_indices()
        .skip(1)
        .map(|(k, _)| text.split_at(k))
        .find(|(a, b)| matches(a) && matches(b))
}

/// `text` as the start of one expected line, then a whole other line, the first one's rest being
/// the next line: what a line written in two calls looks like when another process wrote between.
fn cut_in_two<'t>(
    text: &'t str,
    next: Option<&Line>,
    matches: &dyn Fn(&str) -> bool,
) -> Option<&'t str> {
    let next = next?;
    if text.len() > SPLIT_MAX || !next.utf8 {
        return None;
    }
    text.char_indices()
        .skip(1)
        .map(|(k, _)| text.split_at(k))
        .find(|(a, b)| matches(b) && matches(&format!("{a}{}", next.text)))
        .map(|(a, _)| a)
}

// ---- spec checks ----------------------------------------------------------------------------

/// A stdout line that matched one of the spec's line kinds.
struct Classified<'a> {
    /// 1-based line number in the run's stdout.
    number: usize,
    text: &'a str,
    kind: usize,
    caps: HashMap<&'a str, &'a str>,
}

impl Classified<'_> {
    fn cap(&self, name: &str) -> &str {
        self.caps.get(name).copied().unwrap_or("")
    }
    fn quote(&self) -> String {
        format!("line {} {:?}", self.number, cut(self.text))
    }
}

fn classify<'a>(spec: &'a Spec, lines: &'a [Line]) -> Vec<Classified<'a>> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if !line.utf8 {
            continue;
        }
        for (k, kind) in spec.lines.iter().enumerate() {
            if let Some(m) = kind.regex.captures(&line.text) {
                let caps = kind
                    .captures
                    .iter()
                    .filter_map(|c| Some((c.as_str(), m.name(c)?.as_str())))
                    .collect();
                out.push(Classified {
                    number: i + 1,
                    text: &line.text,
                    kind: k,
                    caps,
                });
                break;
            }
        }
    }
    out
}

/// Expected values, resolved against the parameters.
enum Expected {
    List(Vec<String>),
    /// start..end, end exclusive.
    Range(i64, i64),
}

impl Expected {
    fn index(&self, v: &str) -> Option<usize> {
        match self {
            Expected::List(l) => l.iter().position(|x| same(x, v)),
            Expected::Range(a, b) => {
                let n: i64 = v.parse().ok()?;
                (n >= *a && n < *b).then(|| (n - a) as usize)
            }
        }
    }
    fn iter(&self) -> Box<dyn Iterator<Item = String> + '_> {
        match self {
            Expected::List(l) => Box::new(l.iter().cloned()),
            Expected::Range(a, b) => Box::new((*a..*b).map(|n| n.to_string())),
        }
    }
    fn describe(&self) -> String {
        match self {
            Expected::List(l) => l.join(", "),
            Expected::Range(a, b) if b - a <= 6 => (*a..*b)
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            Expected::Range(a, b) => format!("{a}..{}", b - 1),
        }
    }
}

/// Where a relation's value came from.
enum Source<'a> {
    Builtin(&'static str),
    Line(&'a Classified<'a>, &'a str, &'a str),
}

impl Source<'_> {
    fn describe(&self) -> String {
        match self {
            Source::Builtin(name) => (*name).to_string(),
            Source::Line(l, kind, capture) => format!("{} has {kind}.{capture}", l.quote()),
        }
    }
}

/// A captured value as a key: numbers in canonical form, so `same(a, b)` iff `norm(a) == norm(b)`.
fn norm(v: &str) -> String {
    match v.parse::<i64>() {
        Ok(n) => n.to_string(),
        Err(_) => v.to_string(),
    }
}

/// Two captured values are the same: as numbers when both are, else as text.
fn same(a: &str, b: &str) -> bool {
    match (a.parse::<i64>(), b.parse::<i64>()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

struct Ctx<'a> {
    spec: &'a Spec,
    params: &'a Params,
    run: &'a RunOutcome,
    lines: &'a [Classified<'a>],
}

impl Ctx<'_> {
    fn num(&self, n: &Num) -> i64 {
        match n {
            Num::Lit(v) => *v,
            Num::Param(p) => self.params.get(p).unwrap_or_else(|| {
                // Params built for another spec: fall back on this spec's default.
                match self.spec.params.get(p) {
                    Some(crate::spec::ParamDefault::Value(v)) => *v,
                    _ => num_cpus::get() as i64,
                }
            }),
        }
    }

    fn real(&self, r: &Real) -> f64 {
        match r {
            Real::Lit(x) => *x,
            Real::Param(p) => self.num(&Num::Param(p.clone())) as f64,
        }
    }

    fn expected(&self, v: &Values) -> Expected {
        match v {
            Values::List(l) => Expected::List(l.clone()),
            Values::Range {
                start,
                end,
                inclusive,
            } => {
                let (a, b) = (self.num(start), self.num(end));
                Expected::Range(a, if *inclusive { b.saturating_add(1) } else { b })
            }
        }
    }

    fn kind_name(&self, k: usize) -> &str {
        &self.spec.lines[k].name
    }

    fn of_kind(&self, k: usize) -> impl Iterator<Item = &Classified<'_>> {
        self.lines.iter().filter(move |l| l.kind == k)
    }

    fn eval(&self, rule: &Rule) -> Result<(), String> {
        match rule {
            Rule::Count {
                line,
                per,
                values,
                min,
                max,
            } => self.count(*line, per.as_deref(), values.as_ref(), min, max),
            Rule::Order { before, after, per } => self.order(*before, *after, per.as_deref()),
            Rule::First { line } => self.end_line(*line, true),
            Rule::Last { line } => self.end_line(*line, false),
            Rule::Sequence {
                line,
                capture,
                values,
            } => self.sequence(*line, capture, values),
            Rule::Relation { left, op, right } => self.relation(left, *op, right),
            Rule::Open {
                open,
                close,
                key,
                max,
                min,
            } => self.open(*open, *close, key, max, min),
            Rule::Distinct {
                line,
                capture,
                max,
                min,
            } => self.distinct(*line, capture, max, min),
            Rule::Range {
                line,
                capture,
                min,
                max,
                scaled,
                slack,
            } => self.range(
                *line,
                capture,
                self.real(min),
                self.real(max),
                *scaled,
                *slack,
            ),
        }
    }

    fn count(
        &self,
        line: usize,
        per: Option<&str>,
        values: Option<&Values>,
        min: &Option<Num>,
        max: &Option<Num>,
    ) -> Result<(), String> {
        let min = min.as_ref().map(|n| self.num(n));
        let max = max.as_ref().map(|n| self.num(n));
        let ok = |n: usize| {
            let n = n as i64;
            min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m)
        };
        let want = match (min, max) {
            (Some(a), Some(b)) if a == b => format!("exactly {a}"),
            (Some(a), Some(b)) => format!("between {a} and {b}"),
            (Some(a), None) => format!("at least {a}"),
            (None, Some(b)) => format!("at most {b}"),
            (None, None) => "any number".to_string(),
        };
        let kind = self.kind_name(line);
        let found = |ls: &[&Classified]| -> String {
            if ls.is_empty() {
                "found none".to_string()
            } else {
                let mut m = format!("found {}: ", ls.len());
                let q: Vec<String> = ls.iter().take(QUOTE_MAX).map(|l| l.quote()).collect();
                m.push_str(&q.join(", "));
                more(&mut m, ls.len());
                m
            }
        };
        let Some(per) = per else {
            let ls: Vec<&Classified> = self.of_kind(line).collect();
            return if ok(ls.len()) {
                Ok(())
            } else {
                Err(format!("expected {want} '{kind}' line(s), {}", found(&ls)))
            };
        };
        let mut groups: BTreeMap<String, Vec<&Classified>> = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        for l in self.of_kind(line) {
            let v = norm(l.cap(per));
            if !groups.contains_key(&v) {
                order.push(v.clone());
            }
            groups.entry(v).or_default().push(l);
        }
        let mut problems = Problems::default();
        match values.map(|v| self.expected(v)) {
            Some(exp) => {
                for (v, ls) in &groups {
                    if exp.index(v).is_none() {
                        problems.add(|| {
                            format!(
                                "{} has {per}={v}, not one of {}",
                                ls[0].quote(),
                                exp.describe()
                            )
                        });
                    }
                }
                // Without a minimum only the values seen can fail (a huge range is not walked).
                let walk = min.is_some_and(|m| m > 0);
                for v in exp.iter().take_while(|_| walk) {
                    if problems.total > QUOTE_MAX {
                        break;
                    }
                    let ls: Vec<&Classified> = groups.get(&norm(&v)).cloned().unwrap_or_default();
                    if !ok(ls.len()) {
                        problems.add(|| {
                            format!(
                                "expected {want} '{kind}' line(s) with {per}={v}, {}",
                                found(&ls)
                            )
                        });
                    }
                }
                if !walk {
                    for (v, ls) in &groups {
                        if exp.index(v).is_some() && !ok(ls.len()) {
                            problems.add(|| {
                                format!(
                                    "expected {want} '{kind}' line(s) with {per}={v}, {}",
                                    found(ls)
                                )
                            });
                        }
                    }
                }
            }
            None => {
                for v in &order {
                    let ls = &groups[v];
                    if !ok(ls.len()) {
                        problems.add(|| {
                            format!(
                                "expected {want} '{kind}' line(s) with {per}={v}, {}",
                                found(ls)
                            )
                        });
                    }
                }
            }
        }
        problems.result()
    }

    fn order(&self, before: usize, after: usize, per: Option<&str>) -> Result<(), String> {
        let (bk, ak) = (self.kind_name(before), self.kind_name(after));
        let key = |l: &Classified| per.map(|p| norm(l.cap(p))).unwrap_or_default();
        let with = |l: &Classified| {
            per.map(|p| format!(" with {p}={}", l.cap(p)))
                .unwrap_or_default()
        };
        let mut seen_before: BTreeSet<String> = BTreeSet::new();
        let mut first_after: BTreeMap<String, &Classified> = BTreeMap::new();
        let mut problems = Problems::default();
        for l in self.lines {
            // A kind that is both `before` and `after` is judged as `after` first.
            if l.kind == after {
                let k = key(l);
                if !seen_before.contains(&k) {
                    problems
                        .add(|| format!("{} comes before any '{bk}' line{}", l.quote(), with(l)));
                }
                first_after.entry(k).or_insert(l);
            }
            if l.kind == before {
                let k = key(l);
                if let Some(a) = first_after.get(&k)
                    && a.number != l.number
                {
                    problems.add(|| {
                        format!(
                            "{} ('{bk}') comes after {} ('{ak}'){}",
                            l.quote(),
                            a.quote(),
                            with(l)
                        )
                    });
                }
                seen_before.insert(k);
            }
        }
        problems.result()
    }

    fn end_line(&self, line: usize, first: bool) -> Result<(), String> {
        let which = if first { "first" } else { "last" };
        let raw = if first {
            self.run.lines.first().map(|l| (1, l))
        } else {
            self.run.lines.last().map(|l| (self.run.lines.len(), l))
        };
        let Some((n, l)) = raw else {
            return Err(format!(
                "there is no output, so no {which} '{}' line",
                self.kind_name(line)
            ));
        };
        let is_kind = self.lines.iter().any(|c| c.number == n && c.kind == line);
        if is_kind {
            Ok(())
        } else {
            Err(format!(
                "the {which} line is line {n} {:?}, not a '{}' line",
                cut(&l.text),
                self.kind_name(line)
            ))
        }
    }

    fn sequence(&self, line: usize, capture: &str, values: &Values) -> Result<(), String> {
        let exp = self.expected(values);
        let mut best: Option<(usize, &Classified)> = None;
        let mut problems = Problems::default();
        for l in self.of_kind(line) {
            let v = l.cap(capture);
            match exp.index(v) {
                None => problems.add(|| format!(
                    "{} has {capture}={v}, not one of {}",
                    l.quote(),
                    exp.describe()
                )),
                Some(i) => match best {
                    Some((b, bl)) if i < b => problems.add(|| format!(
                        "{} ({capture}={v}) comes after {} ({capture}={}): expected the order {}",
                        l.quote(),
                        bl.quote(),
                        bl.cap(capture),
                        exp.describe()
                    )),
                    Some((b, _)) if i == b => {}
                    _ => best = Some((i, l)),
                },
            }
        }
        problems.result()
    }

    /// The values an operand takes in this run, each with where it was seen (computed lazily:
    /// only quoted values need their source).
    fn operand<'s>(&'s self, o: &'s Operand) -> Vec<(String, Source<'s>)> {
        match o {
            Operand::MainPid => vec![(self.run.main_pid.to_string(), Source::Builtin("main_pid"))],
            Operand::AdopterPid => {
                vec![(
                    self.run.adopter_pid.to_string(),
                    Source::Builtin("adopter_pid"),
                )]
            }
            Operand::Capture { line, capture } => self
                .of_kind(*line)
                .map(|l| {
                    (
                        l.cap(capture).to_string(),
                        Source::Line(l, self.kind_name(*line), capture),
                    )
                })
                .collect(),
        }
    }

    fn operand_name(&self, o: &Operand) -> String {
        match o {
            Operand::MainPid => "main_pid".into(),
            Operand::AdopterPid => "adopter_pid".into(),
            Operand::Capture { line, capture } => format!("{}.{capture}", self.kind_name(*line)),
        }
    }

    fn relation(&self, left: &Operand, op: Op, right: &[Operand]) -> Result<(), String> {
        let lefts = self.operand(left);
        let rights: Vec<(String, Source)> = right.iter().flat_map(|o| self.operand(o)).collect();
        // Distinct right values (normalized), each with its first source: lookups stay linear.
        let mut distinct: HashMap<String, usize> = HashMap::new();
        for (i, (v, _)) in rights.iter().enumerate() {
            distinct.entry(norm(v)).or_insert(i);
        }
        // For ==, the earliest right value unlike the left one is among the first two.
        let mut first_two: Vec<(&String, usize)> = distinct.iter().map(|(k, i)| (k, *i)).collect();
        first_two.sort_by_key(|(_, i)| *i);
        first_two.truncate(2);
        let lname = self.operand_name(left);
        let rname = right
            .iter()
            .map(|o| self.operand_name(o))
            .collect::<Vec<_>>()
            .join(", ");
        let mut problems = Problems::default();
        for (lv, lsrc) in &lefts {
            let key = norm(lv);
            let hit = distinct.get(&key).copied();
            let bad = match op {
                // The right value that breaks the relation, if any.
                Op::Ne => hit,
                Op::Eq => first_two.iter().find(|(k, _)| **k != key).map(|(_, i)| *i),
                Op::In | Op::NotIn => {
                    if hit.is_some() != (op == Op::In) {
                        problems.add(|| {
                            let set: Vec<String> = rights
                                .iter()
                                .take(8)
                                .map(|(rv, src)| format!("{rv} ({})", src.describe()))
                                .collect();
                            format!(
                                "{} = {lv}: expected {lname} {} [{rname}], which here {}",
                                lsrc.describe(),
                                op.symbol(),
                                if set.is_empty() {
                                    "is empty".to_string()
                                } else {
                                    format!("are {}", set.join(", "))
                                }
                            )
                        });
                    }
                    None
                }
            };
            if let Some(i) = bad {
                let (rv, rsrc) = &rights[i];
                problems.add(|| {
                    format!(
                        "{} = {lv} and {} = {rv}: expected {lname} {} {rname}",
                        lsrc.describe(),
                        rsrc.describe(),
                        op.symbol()
                    )
                });
            }
        }
        problems.result()
    }

    fn open(
        &self,
        open: usize,
        close: usize,
        key: &str,
        max: &Option<Num>,
        min: &Option<Num>,
    ) -> Result<(), String> {
        let (ok, ck) = (self.kind_name(open), self.kind_name(close));
        let max = max.as_ref().map(|n| self.num(n));
        let min = min.as_ref().map(|n| self.num(n));
        // The open lines of each key value, oldest first; a close closes the oldest.
        let mut now: HashMap<String, VecDeque<&Classified>> = HashMap::new();
        let mut count = 0usize;
        let mut peak = 0usize;
        let mut opens = 0usize;
        let mut problem = None;
        for l in self.lines {
            if l.kind == close
                && let Some(q) = now.get_mut(&norm(l.cap(key)))
                && q.pop_front().is_some()
            {
                count -= 1;
            }
            if l.kind == open {
                opens += 1;
                now.entry(norm(l.cap(key))).or_default().push_back(l);
                count += 1;
                peak = peak.max(count);
                if problem.is_none() && max.is_some_and(|m| count as i64 > m) {
                    let mut list: Vec<&Classified> = now.values().flatten().copied().collect();
                    list.sort_by_key(|o| o.number);
                    let shown: Vec<String> = list
                        .iter()
                        .take(8)
                        .map(|o| format!("{key}={} at line {}", o.cap(key), o.number))
                        .collect();
                    problem = Some(format!(
                        "at {}, {count} '{ok}' lines are open without their '{ck}' line ({}{}): at most {} allowed",
                        l.quote(),
                        shown.join(", "),
                        if list.len() > 8 { ", ..." } else { "" },
                        max.unwrap_or_default()
                    ));
                }
            }
        }
        if let Some(p) = problem {
            return Err(p);
        }
        if let Some(m) = min {
            let need = m.min(opens as i64);
            if (peak as i64) < need {
                return Err(format!(
                    "at most {peak} '{ok}' line(s) were open at once (without their '{ck}' line); expected {need} at some point"
                ));
            }
        }
        Ok(())
    }

    fn distinct(
        &self,
        line: usize,
        capture: &str,
        max: &Option<Num>,
        min: &Option<Num>,
    ) -> Result<(), String> {
        let kind = self.kind_name(line);
        let max = max.as_ref().map(|n| self.num(n));
        let min = min.as_ref().map(|n| self.num(n));
        let mut seen: HashSet<String> = HashSet::new();
        let mut first: Vec<&str> = Vec::new();
        let mut over: Option<&Classified> = None;
        for l in self.of_kind(line) {
            let v = l.cap(capture);
            if seen.insert(norm(v)) {
                if first.len() < 8 {
                    first.push(v);
                }
                if over.is_none() && max.is_some_and(|m| seen.len() as i64 > m) {
                    over = Some(l);
                }
            }
        }
        let list = format!(
            "{}{}",
            first.join(", "),
            if seen.len() > first.len() {
                ", ..."
            } else {
                ""
            }
        );
        if let Some(l) = over {
            return Err(format!(
                "{} distinct {capture} among '{kind}' lines ({list}): at most {} allowed; the one too many first at {}",
                seen.len(),
                max.unwrap_or_default(),
                l.quote()
            ));
        }
        if let Some(m) = min
            && (seen.len() as i64) < m
        {
            return Err(format!(
                "{} distinct {capture} among '{kind}' lines ({list}): at least {m} expected",
                seen.len()
            ));
        }
        Ok(())
    }

    fn range(
        &self,
        line: usize,
        capture: &str,
        min: f64,
        max: f64,
        scaled: bool,
        slack: f64,
    ) -> Result<(), String> {
        let scale = if scaled {
            self.params.time_scale()
        } else {
            1.0
        };
        let (lo, hi) = (min * scale - slack, max * scale + slack);
        let how = match (scaled, slack > 0.0) {
            (true, true) => format!(" ([{min}, {max}] x time scale {scale}, +/- slack {slack})"),
            (true, false) => format!(" ([{min}, {max}] x time scale {scale})"),
            (false, true) => format!(" ([{min}, {max}] +/- slack {slack})"),
            (false, false) => String::new(),
        };
        let mut problems = Problems::default();
        for l in self.of_kind(line) {
            let v = l.cap(capture);
            match v.parse::<f64>() {
                Ok(x) if x >= lo && x <= hi => {}
                Ok(_) => problems.add(|| {
                    format!(
                        "{} has {capture} = {v}, outside [{}, {}]{how}",
                        l.quote(),
                        round(lo),
                        round(hi)
                    )
                }),
                Err(_) => {
                    problems.add(|| format!("{} has {capture} = {v:?}, not a number", l.quote()))
                }
            }
        }
        problems.result()
    }
}

fn round(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

/// A line for quoting: cut short when long.
fn cut(s: &str) -> String {
    const MAX: usize = 200;
    if s.len() <= MAX {
        return s.to_string();
    }
    let mut end = MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}... ({} bytes)", &s[..end], s.len())
}

fn more(m: &mut String, total: usize) {
    if total > QUOTE_MAX {
        let _ = write!(m, " and {} more", total - QUOTE_MAX);
    }
}

/// The problems a check found in one run: the first few in words, the rest counted.
#[derive(Default)]
struct Problems {
    shown: Vec<String>,
    total: usize,
}

impl Problems {
    /// Records a problem; its message is only written if it will be shown.
    fn add(&mut self, message: impl FnOnce() -> String) {
        if self.total < QUOTE_MAX {
            self.shown.push(message());
        }
        self.total += 1;
    }

    /// No problem is a pass; else the first few, one per line.
    fn result(self) -> Result<(), String> {
        if self.total == 0 {
            return Ok(());
        }
        let mut m = self.shown.join("\n");
        if self.total > QUOTE_MAX {
            let _ = write!(m, "\n(and {} more)", self.total - QUOTE_MAX);
        }
        Err(m)
    }
}
