//! Before a class is graded: its spec, the tools its submissions need, the output folder, and
//! how many jobs by default.

use std::fs;
use std::path::Path;

use crate::spec::Spec;
use crate::spec::params::Params;

use super::error::{ClassError, ClassErrorKind};
use super::submission::{Form, Submission};
use crate::say::say;

/// The default `--jobs`: one grading per core, but when the spec judges how many cores a port
/// keeps busy (a `cores` parameter, as `multicore`), only as many gradings as leave each its
/// `cores` cores (`params` resolved for this grading). Measured in the README: gradings of
/// sleeping ports (`pool`, `fork`) keep their verdicts up to 4 jobs a core; busy ports keep
/// theirs while the cores they need are there, and fail past it.
pub fn default_jobs(params: &Params) -> usize {
    let cpus = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    match params.values().get("cores") {
        Some(&cores) if cores > 0 => (cpus / cores as usize).max(1),
        _ => cpus,
    }
}

/// The spec: the file `spec`, else the built-in `example`.
pub(super) fn load_spec(spec: Option<&Path>, example: Option<&str>) -> Result<Spec, ClassError> {
    let spec = match (spec, example) {
        (Some(path), _) => Spec::from_toml_file(path),
        (None, Some(example)) => Spec::builtin(example),
        (None, None) => {
            return Err(ClassError::new(
                ClassErrorKind::Grading,
                say!("class-err-no-example"),
            ));
        }
    };
    spec.map_err(|e| ClassError::new(ClassErrorKind::Grading, e.to_string()))
}

/// Fails when a tool some submission needs is not on PATH.
pub(super) fn check_tools(subs: &[Submission]) -> Result<(), ClassError> {
    let mut missing = Vec::new();
    // cargo and rustc are the toolchain's own, found by `Toolchain::resolve`.
    for (form, tool) in [
        (Form::Cargo, "rustc"),
        (Form::Rust, "rustc"),
        (Form::Python, "python3"),
    ] {
        let users: Vec<&str> = subs
            .iter()
            .filter(|s| s.form == form)
            .map(|s| s.name.as_str())
            .collect();
        if !users.is_empty() && !on_path(tool) {
            missing.push(say!(
                "class-err-needed-by",
                tool = tool,
                users = crate::text::list(&users)
            ));
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(ClassError::new(
            ClassErrorKind::Tool,
            say!("class-err-not-installed", tools = missing.join("; ")),
        ))
    }
}

fn on_path(tool: &str) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| {
            fs::metadata(dir.join(tool))
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
    })
}

/// Makes the output folder, and an empty folder per submission (the last grading's files go).
pub(super) fn prepare_out(out: &Path, subs: &[Submission]) -> Result<(), ClassError> {
    fs::create_dir_all(out).map_err(|e| ClassError::io(out, "class-io-make", e))?;
    for sub in subs {
        let dir = out.join(&sub.name);
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| ClassError::io(&dir, "class-io-empty", e))?;
        }
        fs::create_dir_all(&dir).map_err(|e| ClassError::io(&dir, "class-io-make", e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_ports_get_the_cores_they_are_judged_on() {
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        let resolve = |example: &str, params: &[(&str, &str)]| {
            let spec = Spec::builtin(example).expect("a built-in spec");
            let params: Vec<(String, String)> = params
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            Params::resolve(&spec, &params, 1.0).expect("params")
        };
        assert_eq!(default_jobs(&resolve("pool", &[])), cpus);
        assert_eq!(default_jobs(&resolve("multicore", &[])), 1);
        assert_eq!(default_jobs(&resolve("multicore", &[("cores", "1")])), cpus);
    }
}
