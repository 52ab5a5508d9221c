//! A task parked at a stop point of an ordered schedule, and the order of the tree its labels
//! follow: what the schedule ([`super::ordered`]) and its policies ([`super::pct`]) share.

use std::time::Instant;

use crate::record::HoldPoint;
use crate::shake::Resume;

/// A task parked at a stop point.
#[derive(Debug, Clone)]
pub(crate) struct Parked {
    /// Its label (its place in the tree of creations).
    pub(crate) label: String,
    /// Where: the stop point's letter and number (`w3`).
    pub(crate) at: String,
    pub(crate) how: Resume,
    pub(crate) since: Instant,
    pub(crate) point: HoldPoint,
}

/// Labels in the order of the tree: `0`, `1`, `1.1`, `1.2`, `2`, `10`, then the unknown.
pub(crate) fn label_order(a: &str, b: &str) -> std::cmp::Ordering {
    let key = |s: &str| -> Vec<u64> {
        s.split('.')
            .map(|p| p.parse::<u64>().unwrap_or(u64::MAX))
            .collect()
    };
    key(a).cmp(&key(b)).then_with(|| a.cmp(b))
}
