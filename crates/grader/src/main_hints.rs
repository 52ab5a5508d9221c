//! Hints for a person at the command line: a subcommand typed where an example goes, and the
//! short form of the fence's line for stderr (the report carries it whole).

use i18n::{Lang, tr};

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

/// The fence's status line (`fenced: user, network... namespaces, Landlock ..., seccomp ...;
/// missing: ...`) in a few words: whether the runs are fenced and whether a part is missing.
pub(crate) fn fence_short(line: &str) -> String {
    let lang = Lang::current();
    if line.starts_with("fenced") {
        match line.contains("; missing:") {
            true => tr!(lang, "grade-fence-partial"),
            false => tr!(lang, "grade-fence-on"),
        }
    } else {
        tr!(lang, "grade-fence-off", why = line)
    }
}
