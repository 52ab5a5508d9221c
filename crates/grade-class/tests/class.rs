//! `grade class`, through the `grade` command: the fixture class graded to its expected table
//! (`grading`), and submissions that attack the grader, their classmates or the machine kept in
//! their fences (`attacks`).

#[path = "../../grade/tests/common/mod.rs"]
mod common;

mod class {
    mod attacks;
    mod grading;
}
