//! The bundle: check the grading options, gather the sources, write the zip.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use grader::Params;
use grader::Spec;
use grader::{GradeOptions, check_options};

use super::error::{BundleError, BundleErrorKind};
use super::scripts::{run_autograder, setup};
use super::sources::{default_source_dir, is_repo, list};
use super::zipfile::Zip;
use i18n::say;

/// The folder of the bundle (and of `$AUTOGRADER_ROOT/source`) holding the grader's sources.
pub const SOURCE_DIR: &str = "grader-src";

/// What goes into an autograder bundle.
#[derive(Debug, Clone)]
pub struct BundleOptions {
    /// The built-in example, or only a name with `spec`.
    pub example: Option<String>,
    /// A spec file, bundled as `spec.toml`.
    pub spec: Option<PathBuf>,
    /// The grading options, to check them now.
    pub grading: GradeOptions,
    /// The same options as `grade class` arguments (without `--spec`), baked into
    /// `run_autograder`.
    pub grade_args: Vec<std::ffi::OsString>,
    /// Arguments for the submission's program.
    pub port_args: Vec<std::ffi::OsString>,
    /// This repository (`None`: the one this grader was built from).
    pub source: Option<PathBuf>,
    /// The rustup toolchain `setup.sh` installs when the image has no cargo.
    pub toolchain: String,
    /// The zip to write.
    pub output: PathBuf,
}

/// Writes the bundle; returns how many source files it holds.
///
/// Errors: an unknown example or a bad spec or option (the bundle would grade nothing), the
/// sources not found, the zip not writable.
pub fn write_bundle(opts: &BundleOptions) -> Result<usize, BundleError> {
    let spec_text = check_grading(opts)?;
    let source = match &opts.source {
        Some(dir) if is_repo(dir) => dir.clone(),
        Some(dir) => {
            return Err(BundleError::new(
                BundleErrorKind::Sources,
                say!("bundle-not-sources", dir = dir.display().to_string()),
            ));
        }
        None => default_source_dir()
            .ok_or_else(|| BundleError::new(BundleErrorKind::Sources, say!("bundle-no-sources")))?,
    };
    let mut files = list(&source)?;
    let mut zip = Zip::create(&opts.output)?;
    // The zip being written is never one of its own sources, tracked or not.
    if let Ok(output) = opts.output.canonicalize() {
        files.retain(|rel| source.join(rel).canonicalize().ok().as_ref() != Some(&output));
    }
    zip.add("setup.sh", setup(&opts.toolchain).as_bytes(), 0o755)?;
    let script = run_autograder(&opts.grade_args, spec_text.is_some(), &opts.port_args);
    zip.add("run_autograder", script.as_bytes(), 0o755)?;
    if let Some(text) = &spec_text {
        zip.add("spec.toml", text.as_bytes(), 0o644)?;
    }
    for rel in &files {
        let path = source.join(rel);
        let read = |e| {
            BundleError::with_cause(
                BundleErrorKind::Sources,
                say!("class-io-read", path = path.display().to_string()),
                e,
            )
        };
        let bytes = std::fs::read(&path).map_err(read)?;
        let mode = std::fs::metadata(&path).map_err(read)?.permissions().mode() & 0o777;
        let name = Path::new(SOURCE_DIR).join(rel);
        zip.add(&name.to_string_lossy(), &bytes, mode)?;
    }
    zip.finish()?;
    Ok(files.len())
}

/// Checks the example or spec and the options; the spec file's text when one is given.
fn check_grading(opts: &BundleOptions) -> Result<Option<String>, BundleError> {
    let bad = |e: String| BundleError::new(BundleErrorKind::Grading, e);
    let (spec, text) = match (&opts.spec, &opts.example) {
        (Some(path), _) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                bad(say!(
                    "error-cause",
                    what = say!("class-io-read", path = path.display().to_string()),
                    cause = e.to_string()
                ))
            })?;
            let spec =
                Spec::parse(&text, &path.display().to_string()).map_err(|e| bad(e.to_string()))?;
            (spec, Some(text))
        }
        (None, Some(example)) => (
            Spec::builtin(example).map_err(|e| bad(e.to_string()))?,
            None,
        ),
        (None, None) => return Err(bad(say!("bundle-no-example"))),
    };
    check_options(&opts.grading).map_err(|e| bad(e.to_string()))?;
    let scale = opts.grading.time_scale.unwrap_or(1.0);
    Params::resolve(&spec, &opts.grading.params, scale).map_err(|e| bad(e.to_string()))?;
    Ok(text)
}
