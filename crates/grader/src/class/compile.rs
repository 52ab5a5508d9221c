//! Building one submission into the command that runs it, with a build log.
//!
//! - A Cargo project is copied to scratch (see `scratch`), its dependencies fetched with
//!   `cargo fetch` (outside the fence: that runs none of its code), then built with
//!   `cargo build --release --offline --locked` inside the build fence, into a target folder of its own.
//!   Its binary is the one `bin` target built, or the one named like the package.
//! - A single `.rs` file is built with `rustc -O --edition 2024` inside the build fence.
//! - A single `.py` file has nothing to build: it runs with `python3`.
//!
//! Every step has the class's build timeout (one deadline for the whole build); past it the
//! step and everything it started are killed, and the build has failed.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::error::ClassError;
use super::fence_hook::{BuildPaths, fence_build};
use super::scratch::{copy_project, enclosing_manifest};
use super::step::{StepEnd, prepare_step, run_step};
use super::submission::{Form, Submission};

/// The edition a single `.rs` file is compiled with: the one `cargo new` gives.
pub const RUST_EDITION: &str = "2024";

/// A submission built, or why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Built {
    /// The command that runs it: program, then arguments.
    Command(Vec<OsString>),
    /// Why it could not be built, in one line (the details are in its build log).
    Failed(String),
}

/// The build log: every step's command line, then what it printed, then how it ended.
struct Log {
    file: File,
    path: PathBuf,
}

impl Log {
    fn line(&mut self, text: &str) -> Result<(), ClassError> {
        writeln!(self.file, "{text}").map_err(|e| ClassError::io(&self.path, "cannot write", e))
    }

    /// A handle for a step's stdout or stderr, appending to the log.
    fn handle(&self) -> Result<Stdio, ClassError> {
        let f = self
            .file
            .try_clone()
            .map_err(|e| ClassError::io(&self.path, "cannot write", e))?;
        Ok(Stdio::from(f))
    }

    /// What the log holds from byte `from` on.
    fn since(&self, from: u64) -> String {
        let text = fs::read(&self.path).unwrap_or_default();
        let from = (from as usize).min(text.len());
        String::from_utf8_lossy(&text[from..]).into_owned()
    }

    fn len(&self) -> u64 {
        self.file.metadata().map(|m| m.len()).unwrap_or(0)
    }
}

/// Builds `sub` in `work` (a scratch folder of its own), writing the build log to `log_path`,
/// within `timeout`. Errors only for our own failures (the log or scratch cannot be written);
/// the student's are `Built::Failed`.
pub(crate) fn build(
    sub: &Submission,
    work: &Path,
    log_path: &Path,
    timeout: Duration,
) -> Result<Built, ClassError> {
    let file = OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .open(log_path)
        .map_err(|e| ClassError::io(log_path, "cannot write", e))?;
    let mut log = Log {
        file,
        path: log_path.to_path_buf(),
    };
    fs::create_dir_all(work).map_err(|e| ClassError::io(work, "cannot make", e))?;
    let deadline = Instant::now() + timeout;
    let built = match sub.form {
        Form::Cargo => build_cargo(sub, work, &mut log, deadline, timeout)?,
        Form::Rust => build_rust(sub, work, &mut log, deadline, timeout)?,
        Form::Python => {
            log.line(&format!(
                "{}: a Python file, nothing to build: it runs with python3",
                sub.source.display()
            ))?;
            Built::Command(vec!["python3".into(), sub.source.clone().into()])
        }
        Form::Unknown => {
            let why = sub
                .unknown_because
                .clone()
                .unwrap_or_else(|| "not a submission".into());
            log.line(&format!("{}: {why}", sub.entry.display()))?;
            Built::Failed(why)
        }
    };
    match &built {
        Built::Command(cmd) => log.line(&format!("build ok: runs {}", shown(cmd)))?,
        Built::Failed(why) => log.line(&format!("build failed: {why}"))?,
    }
    Ok(built)
}

fn build_cargo(
    sub: &Submission,
    work: &Path,
    log: &mut Log,
    deadline: Instant,
    timeout: Duration,
) -> Result<Built, ClassError> {
    let project = work.join("src");
    let target = work.join("target");
    let manifest = project.join("Cargo.toml");
    log.line(&format!(
        "{}: a Cargo project, built from a copy in {} as its own workspace",
        sub.source.display(),
        project.display()
    ))?;
    if let Some(outer) = enclosing_manifest(&project) {
        log.line(&format!(
            "warning: {} encloses the copy: cargo may take it for the workspace",
            outer.display()
        ))?;
    }
    if let Err(e) = copy_project(&sub.source, &project) {
        return Ok(Built::Failed(format!("cannot copy the project: {e}")));
    }
    let cargo_cmd = |args: &[&str]| {
        let mut cmd = Command::new("cargo");
        cmd.args(args)
            .arg("--manifest-path")
            .arg(&manifest)
            .env("CARGO_TARGET_DIR", &target)
            .current_dir(&project);
        cmd
    };
    // Outside the fence: downloads dependencies and runs none of the project's code.
    let mut fetch = cargo_cmd(&["fetch"]);
    if let Some(failed) = step(log, &mut fetch, None, None, deadline, timeout)? {
        return Ok(failed);
    }
    // The fence opens the folders it lets the build write: they must exist.
    fs::create_dir_all(&target).map_err(|e| ClassError::io(&target, "cannot make", e))?;
    let messages = work.join("messages.json");
    let out = File::create(&messages).map_err(|e| ClassError::io(&messages, "cannot write", e))?;
    let mut cargo_build = cargo_cmd(&[
        "build",
        "--release",
        "--offline",
        "--locked",
        "--message-format",
        "json-render-diagnostics",
    ]);
    let paths = BuildPaths {
        project: project.clone(),
        target_dir: target,
    };
    if let Some(failed) = step(
        log,
        &mut cargo_build,
        Some(&paths),
        Some(out),
        deadline,
        timeout,
    )? {
        return Ok(failed);
    }
    let text = fs::read_to_string(&messages).unwrap_or_default();
    Ok(match pick_binary(&text, &manifest) {
        Ok(bin) => Built::Command(vec![bin.into()]),
        Err(why) => Built::Failed(why),
    })
}

fn build_rust(
    sub: &Submission,
    work: &Path,
    log: &mut Log,
    deadline: Instant,
    timeout: Duration,
) -> Result<Built, ClassError> {
    let bin = work.join("port");
    let mut cmd = Command::new("rustc");
    cmd.args(["-O", "--edition", RUST_EDITION, "-o"])
        .arg(&bin)
        .arg(&sub.source)
        .current_dir(work);
    let paths = BuildPaths {
        project: sub.source.parent().unwrap_or(Path::new("/")).to_path_buf(),
        target_dir: work.to_path_buf(),
    };
    if let Some(failed) = step(log, &mut cmd, Some(&paths), None, deadline, timeout)? {
        return Ok(failed);
    }
    Ok(Built::Command(vec![bin.into()]))
}

/// Runs one build step with its stderr in the log, and its stdout too unless `stdout` is
/// given; fenced when `fence` is given. `None` when it succeeded, else the build's failure.
fn step(
    log: &mut Log,
    cmd: &mut Command,
    fence: Option<&BuildPaths>,
    stdout: Option<File>,
    deadline: Instant,
    timeout: Duration,
) -> Result<Option<Built>, ClassError> {
    let mut line = format!("$ {}", shown_cmd(cmd));
    // The step's own session first: the fence's hook must come after it.
    let marker = prepare_step(cmd);
    let _guard = match fence {
        Some(paths) => {
            let guard = fence_build(cmd, paths)?;
            line = format!("{}\n{line}", guard.status);
            Some(guard)
        }
        None => None,
    };
    log.line(&line)?;
    let from = log.len();
    cmd.stdin(Stdio::null()).stderr(log.handle()?);
    match stdout {
        Some(f) => cmd.stdout(f),
        None => cmd.stdout(log.handle()?),
    };
    let program = cmd.get_program().to_string_lossy().into_owned();
    let end: StepEnd = match run_step(cmd, &marker, deadline) {
        Ok(end) => end,
        Err(e) => {
            let why = format!("cannot run {program}: {e}");
            log.line(&why)?;
            return Ok(Some(Built::Failed(why)));
        }
    };
    if end.left_running > 0 {
        log.line(&format!(
            "{} process(es) the step left running were killed",
            end.left_running
        ))?;
    }
    let failed = match end.status {
        None => Some(format!(
            "{program} did not finish within the build timeout ({} s): killed",
            timeout.as_secs_f64()
        )),
        Some(st) if st.success() => None,
        Some(st) => {
            let said = first_error(&log.since(from));
            Some(match (said, st.code(), st.signal()) {
                (Some(line), _, _) => line,
                (None, Some(code), _) => format!("{program} failed with exit status {code}"),
                (None, None, Some(sig)) => format!("{program} was killed by signal {sig}"),
                (None, None, None) => format!("{program} failed"),
            })
        }
    };
    if let Some(why) = &failed {
        log.line(&format!("-> {why}"))?;
    }
    Ok(failed.map(Built::Failed))
}

/// The first line of compiler or cargo output that says what went wrong, whole.
fn first_error(output: &str) -> Option<String> {
    output
        .lines()
        .map(str::trim_end)
        .find(|l| l.starts_with("error"))
        .map(str::to_string)
}

/// The binary of a `cargo build --message-format json` run: the only `bin` target built, or
/// the one named like the package of `manifest`.
fn pick_binary(messages: &str, manifest: &Path) -> Result<PathBuf, String> {
    let mut bins: Vec<(String, PathBuf)> = Vec::new();
    for line in messages.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let is_bin = v["target"]["kind"]
            .as_array()
            .is_some_and(|k| k.iter().any(|k| k == "bin"));
        if v["reason"] == "compiler-artifact"
            && is_bin
            && let (Some(name), Some(exe)) =
                (v["target"]["name"].as_str(), v["executable"].as_str())
        {
            bins.push((name.to_string(), PathBuf::from(exe)));
        }
    }
    match bins.as_slice() {
        [] => Err("the project has no binary target".into()),
        [(_, exe)] => Ok(exe.clone()),
        many => {
            let package = fs::read_to_string(manifest)
                .ok()
                .and_then(|t| t.parse::<toml::Table>().ok())
                .and_then(|t| t.get("package")?.get("name")?.as_str().map(str::to_string));
            match many.iter().find(|(n, _)| Some(n) == package.as_ref()) {
                Some((_, exe)) => Ok(exe.clone()),
                None => Err(format!(
                    "the project has {} binaries ({}) and none is named like the package",
                    many.len(),
                    many.iter()
                        .map(|(n, _)| n.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            }
        }
    }
}

fn shown(args: &[OsString]) -> String {
    args.iter()
        .map(|a| a.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ")
}

fn shown_cmd(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_os_string()];
    parts.extend(cmd.get_args().map(|a| a.to_os_string()));
    shown(&parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_binary_is_the_only_one_or_the_package_s() {
        let msg = |name: &str| {
            format!(
                r#"{{"reason":"compiler-artifact","target":{{"kind":["bin"],"name":"{name}"}},"executable":"/t/{name}"}}"#
            )
        };
        let lib = r#"{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"l"},"executable":null}"#;
        let one = format!("{lib}\n{}\n", msg("port"));
        assert_eq!(
            pick_binary(&one, Path::new("/nonexistent")),
            Ok(PathBuf::from("/t/port"))
        );
        assert!(pick_binary(lib, Path::new("/nonexistent")).is_err());
        let two = format!("{}\n{}\n", msg("a"), msg("b"));
        let e = pick_binary(&two, Path::new("/nonexistent")).expect_err("two");
        assert!(e.contains("(a, b)"), "{e}");
    }

    #[test]
    fn the_first_error_line_is_kept_whole() {
        let out = "   Compiling x v0.1.0\nerror[E0308]: mismatched types: expected `i32`, found `&str`\nerror: could not compile `x`\n";
        assert_eq!(
            first_error(out).as_deref(),
            Some("error[E0308]: mismatched types: expected `i32`, found `&str`")
        );
    }
}
