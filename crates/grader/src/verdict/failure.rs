//! One failing run of a check: what judging a run yields and every report quotes.

use serde::{Deserialize, Serialize};

/// One failing run of a check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    /// The run's number, from 1.
    pub run: usize,
    /// What was wrong, quoting the offending lines with their line numbers.
    pub message: String,
}
