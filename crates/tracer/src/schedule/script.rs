//! An explored schedule as the policy of an ordered schedule ([`super::ordered`]): at decision
//! `i` (from 0) the choice the script gives for `i`, else the default (see
//! [`crate::Decision::default`]).

use std::collections::BTreeMap;

use crate::options::Choice;

#[derive(Debug)]
pub(crate) struct ScriptState {
    choices: BTreeMap<usize, Choice>,
    /// Decisions taken so far.
    taken: usize,
    /// The first decision whose scripted choice was not among its options.
    pub(crate) missed: Option<usize>,
}

impl ScriptState {
    pub(crate) fn new(choices: &[(usize, Choice)]) -> ScriptState {
        ScriptState {
            choices: choices.iter().cloned().collect(),
            taken: 0,
            missed: None,
        }
    }

    /// The choice among `options` (the parked tasks' labels).
    pub(crate) fn choose(&mut self, options: &[Choice], default: &str) -> Choice {
        let i = self.taken;
        self.taken += 1;
        match self.choices.get(&i) {
            Some(c) if options.contains(c) => c.clone(),
            Some(_) => {
                self.missed.get_or_insert(i);
                default.to_string()
            }
            None => default.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_where_it_says_else_the_default() {
        let mut s = ScriptState::new(&[(1, "1".to_string()), (2, "7".to_string())]);
        let opts = ["0".to_string(), "1".to_string()];
        assert_eq!(s.choose(&opts, "0"), "0");
        assert_eq!(s.choose(&opts, "0"), "1");
        assert_eq!(s.choose(&opts, "1"), "1", "7 is no option: the default");
        assert_eq!(s.missed, Some(2));
        assert_eq!(s.choose(&opts, "0"), "0");
    }
}
