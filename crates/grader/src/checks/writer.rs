//! `writer`: what the trace knows of each line's writer. Its role (the main process, another
//! process, a thread), whether its process is the main one, the pid or tid a capture prints, the
//! process that created it, and how it stands to the writers of another kind of line.

use std::sync::Arc;

use regex::Regex;

use serde::Deserialize;
use toml::Spanned;

use crate::words::say::say;
use crate::spec::fault::Fault;
use crate::spec::fault::Problems;
use crate::spec::fields::{Fields, Res};
use crate::spec::introspect::field_names;
use crate::spec::raw::RawRight;
use crate::spec::rule::{CheckType, Ctx, Rule};
use crate::outcome::writer::Role;

pub(super) const TYPES: &[CheckType] = &[CheckType {
    name: "writer",
    fields: field_names::<WriterFields>,
    build,
    needs_trace: true,
}];

/// The fields a `writer` check takes besides `name`, `type` and `likely`: any other is refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WriterFields {
    line: Option<Spanned<String>>,
    role: Option<Spanned<RawRight>>,
    process: Option<Spanned<String>>,
    pid: Option<Spanned<String>>,
    tid: Option<Spanned<String>>,
    made_by: Option<Spanned<String>>,
    same_process: Option<Spanned<String>>,
    other_process: Option<Spanned<String>>,
    per: Option<Spanned<String>>,
    exec: Option<Spanned<String>>,
}

/// Every line of kind `line` is written as the fields say; `per` narrows `made_by`,
/// `same_process` and `other_process` to the other kind's lines with the same value of that
/// capture.
#[derive(Debug)]
struct WriterRule {
    line: usize,
    roles: Vec<Role>,
    /// Some(true): the main process; Some(false): another process.
    main_process: Option<bool>,
    pid: Option<String>,
    tid: Option<String>,
    made_by: Option<MadeBy>,
    same_process: Option<usize>,
    other_process: Option<usize>,
    per: Option<String>,
    exec: Option<Regex>,
}

/// Whose descendant a writer's process must be.
#[derive(Debug, Clone, Copy)]
enum MadeBy {
    /// The run's main process.
    Main,
    /// The process that wrote a line of this kind.
    Kind(usize),
}

/// `role`: one role or a list (none: any role).
fn roles(f: &Fields<'_>, role: &Option<Spanned<RawRight>>) -> Res<Vec<Role>> {
    let Some(r) = role else {
        return Ok(Vec::new());
    };
    let words: Vec<&String> = match r.get_ref() {
        RawRight::One(s) => vec![s],
        RawRight::Many(v) => v.iter().collect(),
    };
    words
        .into_iter()
        .map(|w| {
            Role::parse(w).ok_or_else(|| {
                f.check_err(r.span(), say!("spec-writer-role", role = w.as_str()))
            })
        })
        .collect()
}

/// `process`: "main" (Some(true)) or "other" (Some(false)).
fn main_process(f: &Fields<'_>, process: &Option<Spanned<String>>) -> Res<Option<bool>> {
    let Some(p) = process else {
        return Ok(None);
    };
    match p.get_ref().as_str() {
        "main" => Ok(Some(true)),
        "other" => Ok(Some(false)),
        w => Err(f.check_err(p.span(), say!("spec-writer-process", value = w))),
    }
}

fn build(f: &Fields<'_>) -> Res<Arc<dyn Rule>> {
    let c: WriterFields = f.read()?;
    let line = f.need_kind(&c.line, "line")?;
    let roles = roles(f, &c.role)?;
    let main_process = main_process(f, &c.process)?;
    let pid = f.opt_capture(line, &c.pid)?;
    let tid = f.opt_capture(line, &c.tid)?;
    let kind = |field: &Option<toml::Spanned<String>>| -> Res<Option<usize>> {
        match field {
            None => Ok(None),
            Some(s) => f.kind_of(&(s.get_ref().clone(), s.span())).map(Some),
        }
    };
    let made_by = match &c.made_by {
        Some(s) if s.get_ref() == "main_pid" => Some(MadeBy::Main),
        other => kind(other)?.map(MadeBy::Kind),
    };
    let same_process = kind(&c.same_process)?;
    let other_process = kind(&c.other_process)?;
    let per = f.opt_capture(line, &c.per)?;
    if let Some(p) = &per {
        let made_by_kind = match made_by {
            Some(MadeBy::Kind(k)) => Some(k),
            _ => None,
        };
        for other in [made_by_kind, same_process, other_process].into_iter().flatten() {
            f.capture_in(other, p, c.per.as_ref().map(|s| s.span()))?;
        }
    }
    let exec = match &c.exec {
        None => None,
        Some(e) => Some(Regex::new(e.get_ref()).map_err(|err| {
            f.check_err(e.span(), say!("spec-bad-exec", error = err.to_string()))
        })?),
    };
    if roles.is_empty()
        && main_process.is_none()
        && pid.is_none()
        && tid.is_none()
        && made_by.is_none()
        && same_process.is_none()
        && other_process.is_none()
        && exec.is_none()
    {
        return Err(f.missing(say!("spec-writer-needs")));
    }
    Ok(Arc::new(WriterRule {
        line,
        roles,
        main_process,
        pid,
        tid,
        made_by,
        same_process,
        other_process,
        per,
        exec,
    }))
}

mod fault;

impl Rule for WriterRule {
    fn reached(&self, ctx: &Ctx<'_>) -> bool {
        ctx.has_any(&[self.line])
    }

    fn judge(&self, ctx: &Ctx<'_>) -> Result<(), Fault> {
        let mut problems = Problems::default();
        let look = self.lookups(ctx);
        for l in ctx.of_kind(self.line) {
            // A line without a writer (an untraced run) is not this check's to judge.
            if let Some(w) = &l.writer
                && let Some(fault) = self.fault(ctx, &look, l, w)
            {
                problems.add(|| fault);
            }
        }
        problems.result()
    }
}
