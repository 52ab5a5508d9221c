//! Which line kinds a spec pairs up, for pictures of a run: an `open` check's open and close
//! kinds (a task running between them), an `order` check's before and after kinds with `per`
//! (a value handed from one line to another). Read from the checks as written, so no check type
//! has to expose its fields.

use super::lines::LineKind;
use super::raw::RawCheck;

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

/// The pair a check makes, if it makes one; `kinds` are the spec's line kinds. Called once the
/// check was built, so its names are known to be valid.
pub(crate) fn pair_of(c: &RawCheck, kinds: &[LineKind]) -> Option<Pair> {
    let index = |name: &str| kinds.iter().position(|k| k.name == name);
    let (kind, first, second, key) = match c.kind.get_ref().as_str() {
        "open" => (PairKind::Open, &c.open, &c.close, &c.key),
        "order" => (PairKind::Order, &c.before, &c.after, &c.per),
        _ => return None,
    };
    Some(Pair {
        kind,
        first: index(first.as_ref()?.get_ref())?,
        second: index(second.as_ref()?.get_ref())?,
        key: key.as_ref()?.get_ref().clone(),
    })
}
