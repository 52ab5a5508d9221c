//! What the shaken runs of a grading covered, by the bound of PCT (Burckhardt, Kothari,
//! Musuvathi, Nagarakatte: "A Randomized Scheduler with Probabilistic Guarantees of Finding
//! Bugs", ASPLOS 2010): a run scheduled by PCT of depth `d` over `n` tasks and `k` stop points
//! shows any given bug of depth at most `d` with probability at least `1 / (n k^(d-1))`; `R`
//! such runs, independently seeded, miss it with probability at most `(1 - p)^R`.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::outcome::RunOutcome;

/// PCT's coverage of a grading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    /// `n`: the most tasks (processes and threads) of one run.
    pub tasks: u64,
    /// `k`: the most stop points of one run (writes to stdout and stderr, starts, creations).
    pub points: u64,
    /// `d`: the depth (`--depth`).
    pub depth: u32,
    /// How many runs PCT scheduled.
    pub runs: usize,
    /// The bound per run: `1 / (n k^(d-1))`.
    pub per_run: f64,
    /// How many of them ran at depth `d` (the others at depth 1: no priority change).
    pub runs_at_depth: usize,
    /// The chance at least one of the runs showed a given bug of depth at most `d`, at least:
    /// `1 - (1 - per_run)^runs_at_depth`.
    pub at_least_once: f64,
    /// The same for a bug of depth 1 (one order between two tasks), which every run covers: a
    /// run at depth 1 with probability at least `1/n`, one at depth `d` at least `1/(n k^(d-1))`.
    pub depth_one: f64,
    /// Parks ended by the safety valve (tasks of higher priority went on for 2.5 s, or spun for
    /// 0.2 s), over all runs.
    pub valves: u64,
    /// Runs that outlived PCT's budget (half the time limit) and went on unscheduled.
    pub over_budget: usize,
}

/// `1 / (n k^(d-1))`.
pub(crate) fn per_run(tasks: u64, points: u64, depth: u32) -> f64 {
    let n = tasks.max(1) as f64;
    let k = points.max(1) as f64;
    1.0 / (n * k.powi(depth.max(1) as i32 - 1))
}

/// The runs of PCT needed for `confidence`, at `p` per run.
pub(crate) fn runs_for(p: f64, confidence: f64) -> usize {
    if p >= 1.0 {
        return 1;
    }
    if p <= 0.0 || confidence <= 0.0 {
        return 0;
    }
    ((1.0 - confidence).ln() / (1.0 - p).ln()).ceil().max(1.0) as usize
}

impl Coverage {
    /// The coverage of `runs`, if PCT scheduled any.
    pub(crate) fn of(runs: &[RunOutcome]) -> Option<Coverage> {
        let pct: Vec<&RunOutcome> = runs.iter().filter(|r| r.schedule.depth > 0).collect();
        let depth = pct.iter().map(|r| r.schedule.depth).max()?;
        let tasks = runs.iter().map(|r| r.tasks.len() as u64).max().unwrap_or(1);
        let points = runs.iter().map(|r| r.schedule.points).max().unwrap_or(1);
        let p = per_run(tasks, points, depth);
        let at_depth = pct.iter().filter(|r| r.schedule.depth >= depth).count();
        let miss_one: f64 = pct
            .iter()
            .map(|r| 1.0 - per_run(tasks, points, r.schedule.depth))
            .product();
        Some(Coverage {
            tasks,
            points,
            depth,
            runs: pct.len(),
            per_run: p,
            runs_at_depth: at_depth,
            at_least_once: 1.0 - (1.0 - p).powi(at_depth as i32),
            depth_one: 1.0 - miss_one,
            valves: pct.iter().map(|r| r.schedule.valves).sum(),
            over_budget: pct.iter().filter(|r| r.schedule.gave_up).count(),
        })
    }

    /// The report's line: the bound in words a teacher reads.
    pub(crate) fn text(&self) -> String {
        let lang = i18n::Lang::current();
        let mut s = i18n::tr!(
            lang,
            "coverage",
            depth = self.depth.to_string(),
            runs = self.runs,
            runs_at_depth = self.runs_at_depth,
            tasks = self.tasks.to_string(),
            points = self.points.to_string(),
            per_run = format!("{:.3}", self.per_run),
            at_least_once = format!("{:.3}", self.at_least_once),
            depth_one = format!("{:.3}", self.depth_one)
        );
        if self.at_least_once < 0.99 {
            let more = i18n::tr!(
                lang,
                "coverage-more",
                runs = runs_for(self.per_run, 0.99).to_string()
            );
            let _ = write!(s, "{more}");
        }
        if self.valves > 0 || self.over_budget > 0 {
            let cut = i18n::tr!(
                lang,
                "coverage-cut",
                valves = self.valves.to_string(),
                over = self.over_budget.to_string()
            );
            let _ = write!(s, "{cut}");
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bound_and_its_inverse() {
        assert!((per_run(2, 10, 1) - 0.5).abs() < 1e-12);
        assert!((per_run(3, 10, 2) - 1.0 / 30.0).abs() < 1e-12);
        assert!((per_run(2, 5, 3) - 1.0 / 50.0).abs() < 1e-12);
        // 1 - (1 - 1/30)^R >= 0.99 needs R = 136.
        assert_eq!(runs_for(1.0 / 30.0, 0.99), 136);
        assert_eq!(runs_for(0.5, 0.99), 7);
        let r = runs_for(0.1, 0.95);
        assert!(1.0 - 0.9f64.powi(r as i32) >= 0.95 && 1.0 - 0.9f64.powi(r as i32 - 1) < 0.95);
    }
}
