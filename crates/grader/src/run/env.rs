//! What of `grade`'s environment a run keeps: the one place every run's environment is made
//! (`grade EXAMPLE -- CMD`, `grade explore`, `grade class`, `grade gradescope`, `grade trace`).
//!
//! A run does not inherit `grade`'s environment: what a port prints is quoted in its reports,
//! and a token or a key in the caller's shell would be the port's to print. A run starts with
//! only the variables a correct port needs, then the run's own (`RunConfig::env`: the time
//! scale, the run's marker), then those the caller passed with `--env NAME` (or set with
//! `--env NAME=VALUE`). Kept: `PATH`; `HOME` and `TMPDIR` (the fence then points both at the
//! run's scratch folder and sets `PATH` to the system's); the locale (`LANG`, `LC_*`), `TZ` and
//! `TERM`; the grader's own protocol (`MULTITASK_*`, `GRADE*`). Python needs none of the others:
//! without `LANG` it reads and writes UTF-8 (PEP 538), without `PYTHONPATH` it finds its own
//! library.

use std::ffi::{OsStr, OsString};
use std::process::Command;

/// Whether a variable of `grade`'s environment is passed on to a run.
pub(crate) fn kept(name: &str) -> bool {
    matches!(name, "PATH" | "HOME" | "TMPDIR" | "LANG" | "TZ" | "TERM")
        || name.starts_with("LC_")
        || name.starts_with("MULTITASK_")
        || name.starts_with("GRADE")
}

/// The variables of `vars` (an environment) a run keeps.
fn kept_of(
    vars: impl Iterator<Item = (OsString, OsString)>,
) -> impl Iterator<Item = (OsString, OsString)> {
    vars.filter(|(k, _)| kept(&k.to_string_lossy()))
}

/// Makes `cmd`'s environment the kept variables of `grade`'s, then `env` (the run's own and
/// the caller's `--env`, in order: a later one replaces an earlier one of the same name).
pub(crate) fn set(cmd: &mut Command, env: &[(OsString, OsString)]) {
    cmd.env_clear()
        .envs(kept_of(std::env::vars_os()))
        .envs(env.iter().map(|(k, v)| (k, v)));
}

/// The `PATH` of a run of `cmd_env` (its own variables) when not fenced: the one it sets, else
/// `grade`'s.
pub(crate) fn unfenced_path(env: &[(OsString, OsString)]) -> Option<OsString> {
    env.iter()
        .rev()
        .find(|(k, _)| k == "PATH")
        .map(|(_, v)| v.clone())
        .or_else(|| std::env::var_os("PATH"))
}

/// A variable `--env` names: `NAME` (`grade`'s own value, if it has one) or `NAME=VALUE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassEnv {
    /// The variable's name.
    pub name: String,
    /// The value given, or `None` for `grade`'s own.
    pub value: Option<OsString>,
}

impl PassEnv {
    /// The variable as the run gets it: `None` when it takes `grade`'s value and `grade` has
    /// none.
    pub fn resolve(&self) -> Option<(OsString, OsString)> {
        let value = match &self.value {
            Some(v) => v.clone(),
            None => std::env::var_os(&self.name)?,
        };
        Some((OsString::from(&self.name), value))
    }

    /// As `grade`'s argument again (`NAME` or `NAME=VALUE`).
    pub fn to_arg(&self) -> OsString {
        let mut arg = OsString::from(&self.name);
        if let Some(v) = &self.value {
            arg.push("=");
            arg.push(v);
        }
        arg
    }
}

/// Reads `--env`'s value: a name of letters, digits and `_` not starting with a digit,
/// optionally `=VALUE`. `Err`: the name is not such a name.
pub fn pass_env(arg: &OsStr) -> Result<PassEnv, ()> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = arg.as_bytes();
    let (name, value) = match bytes.iter().position(|&b| b == b'=') {
        Some(i) => (
            &bytes[..i],
            Some(OsStr::from_bytes(&bytes[i + 1..]).to_os_string()),
        ),
        None => (bytes, None),
    };
    let good = !name.is_empty()
        && !name[0].is_ascii_digit()
        && name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_');
    if !good {
        return Err(());
    }
    Ok(PassEnv {
        name: String::from_utf8_lossy(name).into_owned(),
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_dropped_and_what_a_port_needs_kept() {
        let vars = [
            ("AWS_SECRET_ACCESS_KEY", "k"),
            ("LANG", "C.UTF-8"),
            ("LC_ALL", "C"),
            ("MULTITASK_SEED", "1"),
            ("GRADER_RUN_ID", "2"),
            ("PYTHONPATH", "/x"),
            ("PATH", "/usr/bin"),
            ("HOME", "/root"),
        ]
        .map(|(k, v)| (OsString::from(k), OsString::from(v)));
        let kept: Vec<String> = kept_of(vars.into_iter())
            .map(|(k, _)| k.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            kept,
            [
                "LANG",
                "LC_ALL",
                "MULTITASK_SEED",
                "GRADER_RUN_ID",
                "PATH",
                "HOME"
            ]
        );
    }

    #[test]
    fn env_names_and_values() {
        let p = pass_env(OsStr::new("PYTHONPATH")).expect("a name");
        assert_eq!((p.name.as_str(), p.value), ("PYTHONPATH", None));
        let p = pass_env(OsStr::new("A_1=x=y")).expect("a name and value");
        assert_eq!(p.value, Some(OsString::from("x=y")));
        assert_eq!(p.to_arg(), OsString::from("A_1=x=y"));
        let empty = pass_env(OsStr::new("EMPTY=")).expect("an empty value");
        assert_eq!(empty.resolve(), Some(("EMPTY".into(), "".into())));
        for bad in ["", "=x", "1A", "A-B", "A B", "É"] {
            assert!(pass_env(OsStr::new(bad)).is_err(), "{bad}");
        }
        // A name grade's environment does not have is not passed.
        let unset = pass_env(OsStr::new("GRADE_TEST_SURELY_UNSET_VARIABLE")).expect("a name");
        assert_eq!(unset.resolve(), None);
    }
}
