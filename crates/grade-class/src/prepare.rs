//! Before a class is graded: its spec and checks, its submissions, the tools they need, what
//! their builds share, the output folder, and how many jobs by default.

use std::fs;
use std::path::Path;

use grader::Params;
use grader::Spec;
use grader::check_list;
use grader::check_options;
use i18n::say;

use super::cargo_home::teacher_registry;
use super::compile::{BuildContext, build_env};
use super::error::{ClassError, ClassErrorKind};
use super::options::ClassOptions;
use super::rows::Against;
use super::submission::{Form, Submission, discover};
use super::toolchain::Toolchain;
use grader::visible;

/// What a class is graded against, settled before anything is built.
#[derive(Debug)]
pub(super) struct Class {
    pub(super) spec: Spec,
    /// The example's name in the reports.
    pub(super) example: String,
    /// The spec's checks by name (the rows of submissions not graded list them).
    pub(super) checks: Vec<String>,
    /// Worker threads.
    pub(super) jobs: usize,
}

impl Class {
    /// The spec, its checks and the jobs; fails on a bad spec, options or `--param`.
    pub(super) fn prepare(opts: &ClassOptions) -> Result<Class, ClassError> {
        let spec = load_spec(opts.spec.as_deref(), opts.example.as_deref())?;
        let example = opts
            .example
            .clone()
            .unwrap_or_else(|| spec.name().to_string());
        check_options(&opts.grading).map_err(|e| {
            ClassError::with_cause(ClassErrorKind::Grading, say!("class-err-options"), e)
        })?;
        let scale = opts.grading.time_scale.unwrap_or(1.0);
        let params = Params::resolve(&spec, &opts.grading.params, scale).map_err(|e| {
            ClassError::with_cause(ClassErrorKind::Grading, say!("class-err-param"), e)
        })?;
        let checks: Vec<String> = check_list(&spec).into_iter().map(|c| c.name).collect();
        let jobs = opts.jobs.unwrap_or_else(|| default_jobs(&params));
        if jobs == 0 {
            return Err(ClassError::new(
                ClassErrorKind::Grading,
                say!("class-err-jobs"),
            ));
        }
        Ok(Class {
            spec,
            example,
            checks,
            jobs,
        })
    }

    /// What every graded row is judged against.
    pub(super) fn against(&self) -> Against<'_> {
        Against {
            spec: &self.spec,
            example: &self.example,
            checks: &self.checks,
        }
    }
}

/// The class's submissions, what was skipped said on stderr. Fails when there is none, or a
/// tool they need is missing.
pub(super) fn submissions(opts: &ClassOptions) -> Result<Vec<Submission>, ClassError> {
    let (subs, skipped) = discover(&opts.dir, &opts.out)?;
    for line in &skipped {
        eprintln!("grade class: {}", visible(line));
    }
    if subs.is_empty() {
        return Err(ClassError::new(
            ClassErrorKind::Folder,
            say!(
                "class-err-no-submissions",
                dir = opts.dir.display().to_string()
            ),
        ));
    }
    check_tools(&subs)?;
    Ok(subs)
}

/// What every build of `subs` shares: the toolchain (found only when one needs it), the
/// teacher's registry, the options' timeout and environment.
pub(super) fn build_context(
    opts: &ClassOptions,
    subs: &[Submission],
) -> Result<BuildContext, ClassError> {
    let needs_rust = subs
        .iter()
        .any(|s| matches!(s.form, Form::Cargo | Form::Rust));
    Ok(BuildContext {
        toolchain: needs_rust.then(Toolchain::resolve).transpose()?,
        registry: teacher_registry(),
        allow_git: opts.allow_git,
        timeout: opts.build_timeout,
        env: build_env(&opts.build_env),
    })
}

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
fn load_spec(spec: Option<&Path>, example: Option<&str>) -> Result<Spec, ClassError> {
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
fn check_tools(subs: &[Submission]) -> Result<(), ClassError> {
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
                users = grader::word_list(&users)
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
