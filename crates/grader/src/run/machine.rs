//! The machine's CPU use while a run goes on: `/proc/stat`'s first line, read as stdout arrives,
//! so a check can tell the cores others left free over a span of the run.

use std::time::Duration;

use crate::outcome::CpuSample;

/// Samples closer together than this are not kept (a flood of output reads /proc/stat rarely).
const EVERY: Duration = Duration::from_millis(5);

/// The samples of one run.
#[derive(Debug, Default)]
pub(super) struct Machine {
    pub(super) samples: Vec<CpuSample>,
}

impl Machine {
    /// Takes a sample at `at` (since the run's start), unless the last one is too recent.
    pub(super) fn sample(&mut self, at: Duration) {
        if self
            .samples
            .last()
            .is_some_and(|s| at.saturating_sub(s.at) < EVERY)
        {
            return;
        }
        if let Some(s) = read(at) {
            self.samples.push(s);
        }
    }
}

/// `/proc/stat`'s `cpu` line: every CPU's time in clock ticks, and of it the idle time.
fn read(at: Duration) -> Option<CpuSample> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().next()?.strip_prefix("cpu ")?;
    let ticks: Vec<u64> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is counted in user already).
    let total: u64 = ticks.iter().take(8).sum();
    let idle = ticks.get(3)? + ticks.get(4).copied().unwrap_or(0);
    Some(CpuSample { at, total, idle })
}
