//! What of the teacher's environment a graded run of a class keeps.
//!
//! A run inherits `grade`'s environment, and what a port prints is quoted in its reports: a
//! token or a key in the teacher's shell would be the student's. So the class runs each port
//! through `/usr/bin/env -u NAME ...`, unsetting every variable of `grade`'s environment but
//! the locale, the terminal and the variables of the grader's own protocol (`MULTITASK_*`,
//! `GRADE*`); the fence sets `PATH`, `HOME` and `TMPDIR` itself.

use std::ffi::OsString;

/// `env(1)`, which unsets the variables and then executes the port in place (same pid).
const ENV: &str = "/usr/bin/env";

/// Whether a variable of `grade`'s environment is passed on to a run.
fn kept(name: &str) -> bool {
    matches!(name, "PATH" | "HOME" | "TMPDIR" | "LANG" | "TZ" | "TERM")
        || name.starts_with("LC_")
        || name.starts_with("MULTITASK_")
        || name.starts_with("GRADE")
}

/// `command` run with the variables of `vars` (`grade`'s environment) that are not kept
/// unset; `command` itself when there is nothing to unset or no `/usr/bin/env`.
pub(crate) fn scrubbed(command: Vec<OsString>, vars: &[OsString]) -> Vec<OsString> {
    let unset: Vec<&OsString> = vars
        .iter()
        .filter(|v| !kept(&v.to_string_lossy()))
        .collect();
    if unset.is_empty() || !std::path::Path::new(ENV).is_file() {
        return command;
    }
    let mut out = vec![OsString::from(ENV)];
    for name in unset {
        out.push("-u".into());
        out.push(name.clone());
    }
    // `--`: a port whose path starts with `-` is not an option of env.
    out.push("--".into());
    out.extend(command);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_unset_and_the_grader_s_own_variables_kept() {
        let vars: Vec<OsString> = [
            "AWS_SECRET_ACCESS_KEY",
            "LANG",
            "MULTITASK_SEED",
            "GRADER_RUN_ID",
            "PYTHONPATH",
        ]
        .map(OsString::from)
        .to_vec();
        let got = scrubbed(vec!["python3".into(), "p.py".into()], &vars);
        let got: Vec<&str> = got.iter().map(|a| a.to_str().expect("utf-8")).collect();
        assert_eq!(
            got,
            [
                ENV,
                "-u",
                "AWS_SECRET_ACCESS_KEY",
                "-u",
                "PYTHONPATH",
                "--",
                "python3",
                "p.py"
            ]
        );
        let plain = scrubbed(vec!["p".into()], &[OsString::from("LANG")]);
        assert_eq!(plain, [OsString::from("p")]);
    }
}
