//! What the trace saw of processes learning of each other's ends, and ending each other, as the
//! tracer gathers it (handed over in the [`crate::Trace`]).

use crate::record::{Eof, PidfdOpen, Ready, Reap, SignalSent};

/// What the trace saw of processes learning of each other's ends, and ending each other.
#[derive(Debug, Default)]
pub(super) struct Ends {
    pub(super) reaps: Vec<Reap>,
    pub(super) pidfd_opens: Vec<PidfdOpen>,
    pub(super) readies: Vec<Ready>,
    pub(super) signals: Vec<SignalSent>,
    pub(super) eofs: Vec<Eof>,
}
