//! The values a check's fields resolve to: numbers that may name a parameter, sets of expected
//! values, the operands and operators of a relation.

/// A number in a spec: a literal or the name of a parameter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Num {
    Lit(i64),
    Param(String),
}

/// A bound of a `range` check: a literal (whole or not) or the name of a parameter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Real {
    Lit(f64),
    Param(String),
}

/// A set of expected values of a capture, in order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Values {
    List(Vec<String>),
    /// `start..end` or `start..=end`.
    Range {
        start: Num,
        end: Num,
        inclusive: bool,
    },
}

/// One side of a relation: a capture of a line kind or a value of the run.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand {
    Capture { line: usize, capture: String },
    MainPid,
    AdopterPid,
}

/// A relation's operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    In,
    NotIn,
}

impl Op {
    /// The operator as a spec writes it.
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::In => "in",
            Op::NotIn => "not in",
        }
    }

    /// The operator a spec's `op` names.
    pub(crate) fn parse(word: &str) -> Option<Op> {
        [Op::Eq, Op::Ne, Op::In, Op::NotIn]
            .into_iter()
            .find(|op| op.symbol() == word)
    }
}
