//! Hints for a person at the command line: a subcommand typed where an example goes, and the
//! short form of the fence's line for stderr (the report carries it whole).

use std::path::PathBuf;

use i18n::Lang;

/// `grade`'s subcommands.
const COMMANDS: [&str; 4] = ["trace", "class", "gradescope", "help"];

/// The subcommand `name` is a misspelling of (`clas` -> `class`), when it is one and names no
/// built-in example itself.
pub(crate) fn command_named(name: &str) -> Option<&'static str> {
    if grader::Spec::builtin_names()
        .iter()
        .any(|(n, _)| *n == name)
    {
        return None;
    }
    grader::closest(name, &COMMANDS).filter(|c| *c != name)
}

/// The fence's status line in a few words, in the reader's language.
pub(crate) fn fence_short(line: &str) -> String {
    grader::fence_short(line, Lang::current())
}

/// The example's own demo (`fork` -> `fork-demo`) when it is built beside this grader (the
/// workspace's `target/<profile>/`): a correct program to show a failing run beside.
pub(crate) fn own_demo(example: &str) -> Option<PathBuf> {
    let known = grader::Spec::builtin_names()
        .iter()
        .any(|(n, _)| *n == example);
    // The distributed example is two programs: no single demo to run.
    if !known || example == "distributed" {
        return None;
    }
    let dir = std::env::current_exe().ok()?.parent()?.to_path_buf();
    let demo = dir.join(format!("{example}-demo"));
    demo.is_file().then_some(demo)
}
