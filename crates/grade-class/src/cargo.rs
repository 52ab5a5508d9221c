//! Building a Cargo submission, every step inside a fence and with the teacher's toolchain:
//!
//! 1. copy the project into its private folder, leaving out `target/`, hidden entries and any
//!    toolchain file or cargo configuration (each named in the build log);
//! 2. read its manifests and lock file (see `deps`): a dependency that is not from crates.io or
//!    a path inside the copy fails the build with one line naming it;
//! 3. make a private `CARGO_HOME` seeded from the teacher's registry cache (see `cargo_home`);
//! 4. `cargo fetch --offline` in the fetch fence (no network; writes `Cargo.lock` and the
//!    private `CARGO_HOME`); when that fails, `cargo fetch` in the same fence on the host's
//!    network with TCP to port 443 only;
//! 5. `cargo build --release --offline --locked` in the build fence (no network, the copy
//!    read-only), into a target folder of its own. Its binary is the one `bin` target built,
//!    or the one named like the package.

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use fence::RunAs;

use super::cargo_home::seed;
use super::compile::{Built, Job};
use super::deps::refused_dependencies;
use super::error::ClassError;
use super::fence_hook::{BuildPaths, StepKind};
use super::scratch::{copy_project, enclosing_manifest, give_to_nobody};
use super::submission::Submission;
use i18n::say;

pub(crate) fn build_cargo(sub: &Submission, job: &mut Job<'_>) -> Result<Built, ClassError> {
    let Some(tc) = job.ctx.toolchain.clone() else {
        return Ok(Built::Failed(say!("class-why-no-toolchain")));
    };
    let paths = BuildPaths {
        project: job.work.join("src"),
        target_dir: job.work.join("target"),
        cargo_home: job.work.join("cargo-home"),
    };
    job.log.line(&say!(
        "class-log-cargo",
        source = sub.source.display().to_string(),
        copy = paths.project.display().to_string()
    ))?;
    job.log.line(&tc.describe())?;
    if let Some(failed) = prepare_copy(sub, job, &paths)? {
        return Ok(Built::Failed(failed));
    }
    let manifest = paths.project.join("Cargo.toml");
    let cargo = |args: &[&str]| {
        let mut cmd = job.ctx.command(&tc.cargo);
        cmd.args(args)
            .arg("--manifest-path")
            .arg(&manifest)
            .env("CARGO_HOME", &paths.cargo_home)
            .env("CARGO_TARGET_DIR", &paths.target_dir)
            .current_dir(&paths.project);
        cmd
    };
    let offline = job.step(
        &mut cargo(&["fetch", "--offline"]),
        Some((&paths, StepKind::Fetch)),
        None,
    )?;
    if offline.is_some() {
        job.log.line(&say!("class-log-fetch-online"))?;
        if let Some(failed) = job.step(
            &mut cargo(&["fetch"]),
            Some((&paths, StepKind::FetchOnline)),
            None,
        )? {
            return Ok(Built::Failed(failed));
        }
    }
    let messages = job.work.join("messages.json");
    let out =
        File::create(&messages).map_err(|e| ClassError::io(&messages, "class-io-write", e))?;
    let mut cargo_build = cargo(&[
        "build",
        "--release",
        "--offline",
        "--locked",
        "--message-format",
        "json-render-diagnostics",
    ]);
    let built = job.step(&mut cargo_build, Some((&paths, StepKind::Build)), Some(out))?;
    // The private CARGO_HOME is done with: the binary needs none of it.
    let _ = fs::remove_dir_all(&paths.cargo_home);
    if let Some(failed) = built {
        return Ok(Built::Failed(failed));
    }
    let text = fs::read_to_string(&messages).unwrap_or_default();
    Ok(match pick_binary(&text, &manifest) {
        Ok(bin) => Built::Command(vec![bin.into()]),
        Err(why) => Built::Failed(why),
    })
}

/// Steps 1 to 3, done by the grader itself (it reads and copies, runs nothing): the copy, the
/// dependency check, the private `CARGO_HOME`, the target folder. `Some` says why the build
/// failed.
fn prepare_copy(
    sub: &Submission,
    job: &mut Job<'_>,
    paths: &BuildPaths,
) -> Result<Option<String>, ClassError> {
    if let Some(outer) = enclosing_manifest(&paths.project) {
        job.log.line(&say!(
            "class-log-encloses",
            outer = outer.display().to_string()
        ))?;
    }
    let copied = match copy_project(&sub.source, &paths.project) {
        Ok(c) => c,
        Err(e) => {
            return Ok(Some(say!(
                "class-why-cannot-copy-project",
                error = e.to_string()
            )));
        }
    };
    for (dropped, why) in &copied.dropped {
        job.log.line(&say!(
            "class-log-left-out",
            path = dropped.display().to_string(),
            why = say!(why)
        ))?;
    }
    let refused = refused_dependencies(&paths.project, job.ctx.allow_git);
    for line in &refused {
        job.log.line(line)?;
    }
    if let Some(first) = refused.first() {
        return Ok(Some(first.clone()));
    }
    let home = &paths.cargo_home;
    let seeded = seed(home, job.ctx.registry.as_deref())
        .map_err(|e| ClassError::io(home, "class-io-seed", e))?;
    job.log.line(&say!(
        "class-log-cargo-home",
        home = home.display().to_string(),
        mib = (seeded >> 20).to_string()
    ))?;
    // The fence opens the folders it lets the build write: they must exist.
    let target = &paths.target_dir;
    fs::create_dir_all(target).map_err(|e| ClassError::io(target, "class-io-make", e))?;
    if job.ctx.toolchain.as_ref().map(|t| t.run_as) == Some(RunAs::Nobody) {
        for dir in [&paths.project, target, home] {
            give_to_nobody(dir, true).map_err(|e| ClassError::io(dir, "class-io-give", e))?;
        }
    }
    Ok(None)
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
        [] => Err(say!("class-why-no-binary")),
        [(_, exe)] => Ok(exe.clone()),
        many => {
            // The copy's own manifest only, never what a link there points at.
            let regular = fs::symlink_metadata(manifest).is_ok_and(|m| m.is_file());
            let package = regular
                .then(|| fs::read_to_string(manifest).ok())
                .flatten()
                .and_then(|t| t.parse::<toml::Table>().ok())
                .and_then(|t| t.get("package")?.get("name")?.as_str().map(str::to_string));
            match many.iter().find(|(n, _)| Some(n) == package.as_ref()) {
                Some((_, exe)) => Ok(exe.clone()),
                None => Err(say!(
                    "class-why-many-binaries",
                    count = many.len().to_string(),
                    names = many
                        .iter()
                        .map(|(n, _)| n.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            }
        }
    }
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
}
