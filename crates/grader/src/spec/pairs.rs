//! Which line kinds a spec pairs up, for pictures of a run: an `open` check's open and close
//! kinds (a task running between them), an `order` check's before and after kinds with `per`
//! (a value handed from one line to another). Each check's rule says which pair it makes
//! ([`Rule::pair`](super::rule::Rule::pair)), so no check type is named here.

/// How two kinds of lines go together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PairKind {
    /// `open`: from the first line to the second, something is open (drawn as a span).
    Open,
    /// `order` with `per`: the second line follows the first with the same value (a hand-off).
    Order,
}

/// Two line kinds joined by a capture's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pair {
    pub(crate) kind: PairKind,
    /// The opening (or `before`) line kind's index.
    pub(crate) first: usize,
    /// The closing (or `after`) line kind's index.
    pub(crate) second: usize,
    /// The capture whose value joins them.
    pub(crate) key: String,
}
