//! `grade gradescope`, through the `grade` command: the bundle holds this repository's sources
//! only (`sources`), and its `run_autograder` grades a submission of each kind (`gradescope`).

#[path = "../../grade/tests/common/mod.rs"]
mod common;

mod bundle {
    mod gradescope;
    mod sources;
}
