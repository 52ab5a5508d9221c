//! Captured values as checks compare them, and a spec's expected values resolved for a run.

use std::collections::{HashMap, HashSet};

use crate::spec::rule::{Classified, Ctx};
use crate::spec::values::Values;

/// Expected values, resolved against the parameters.
#[derive(Debug)]
pub(super) enum Expected {
    List(Vec<String>),
    /// start..end, end exclusive.
    Range(i64, i64),
}

impl Expected {
    /// `values` with its parameters' values in this grading.
    pub(super) fn of(ctx: &Ctx<'_>, values: &Values) -> Expected {
        match values {
            Values::List(l) => Expected::List(l.clone()),
            Values::Range {
                start,
                end,
                inclusive,
            } => {
                let (a, b) = (ctx.num(start), ctx.num(end));
                Expected::Range(a, if *inclusive { b.saturating_add(1) } else { b })
            }
        }
    }

    /// Where `v` is in the expected order, if it is expected at all.
    pub(super) fn index(&self, v: &str) -> Option<usize> {
        match self {
            Expected::List(l) => l.iter().position(|x| same(x, v)),
            Expected::Range(a, b) => {
                let n: i64 = v.parse().ok()?;
                (n >= *a && n < *b).then(|| (n - a) as usize)
            }
        }
    }

    /// Every expected value, in order.
    pub(super) fn iter(&self) -> Box<dyn Iterator<Item = String> + '_> {
        match self {
            Expected::List(l) => Box::new(l.iter().cloned()),
            Expected::Range(a, b) => Box::new((*a..*b).map(|n| n.to_string())),
        }
    }

    /// The values for a message, a long range shortened.
    pub(super) fn describe(&self) -> String {
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

/// A captured value as a key: numbers in canonical form, so `same(a, b)` iff `norm(a) == norm(b)`.
pub(super) fn norm(v: &str) -> String {
    match v.parse::<i64>() {
        Ok(n) => n.to_string(),
        Err(_) => v.to_string(),
    }
}

/// Two captured values are the same: as numbers when both are, else as text.
pub(super) fn same(a: &str, b: &str) -> bool {
    match (a.parse::<i64>(), b.parse::<i64>()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// The writer pids of the lines of one kind, grouped by their value of a `per` capture (all in
/// one group without it): built once per judging, looked up per line.
#[derive(Debug)]
pub(super) struct WriterPids {
    per: Option<String>,
    by: HashMap<String, HashSet<i32>>,
    none: HashSet<i32>,
}

impl WriterPids {
    /// The writers of the lines of `kind`, by `per`.
    pub(super) fn of(ctx: &Ctx<'_>, kind: usize, per: Option<&str>) -> Self {
        let mut by: HashMap<String, HashSet<i32>> = HashMap::new();
        for o in ctx.of_kind(kind) {
            let key = per.map(|p| norm(o.cap(p))).unwrap_or_default();
            let pids = by.entry(key).or_default();
            if let Some(w) = o.writer {
                pids.insert(w.pid);
            }
        }
        WriterPids {
            per: per.map(str::to_string),
            by,
            none: HashSet::new(),
        }
    }

    /// The writer pids of the lines with `l`'s value of `per`.
    pub(super) fn for_line(&self, l: &Classified<'_>) -> &HashSet<i32> {
        let key = self
            .per
            .as_deref()
            .map(|p| norm(l.cap(p)))
            .unwrap_or_default();
        self.by.get(&key).unwrap_or(&self.none)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_as_numbers() {
        assert!(same("007", "7"));
        assert!(!same("7a", "7"));
        assert_eq!(norm("007"), "7");
        assert_eq!(norm("x"), "x");
    }

    #[test]
    fn a_long_range_is_shortened() {
        assert_eq!(Expected::Range(0, 5).describe(), "0, 1, 2, 3, 4");
        assert_eq!(Expected::Range(0, 100).describe(), "0..99");
        assert_eq!(Expected::Range(3, 10).index("5"), Some(2));
    }
}
