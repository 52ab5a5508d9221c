//! The teacher's Rust toolchain, chosen once per class and given to every build by path.
//!
//! A submission may ship `rust-toolchain.toml` (`[toolchain] path = ...`) naming a toolchain of
//! its own, which rustup's proxies (`~/.cargo/bin/cargo`) would run. So no build step goes
//! through a proxy: the toolchain is resolved once, in `grade`'s own environment (its working
//! folder, `RUSTUP_TOOLCHAIN` if set), with `rustc --print sysroot`, and every step runs
//! `SYSROOT/bin/cargo` or `SYSROOT/bin/rustc` by absolute path, with `RUSTC`, `RUSTDOC` and
//! `RUSTUP_TOOLCHAIN` set so that whatever cargo starts uses the same one.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use fence::{Fence, FenceOptions, RunAs};

use super::error::{ClassError, ClassErrorKind};
use i18n::say;

/// The toolchain every build of a class uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Toolchain {
    /// `rustc --print sysroot`: the toolchain's folder (read-only to the fences).
    pub(crate) sysroot: PathBuf,
    /// `SYSROOT/bin/cargo`.
    pub(crate) cargo: PathBuf,
    /// `SYSROOT/bin/rustc`.
    pub(crate) rustc: PathBuf,
    /// The rustup toolchain name (the sysroot's folder name under `toolchains/`), if any.
    pub(crate) name: Option<String>,
    /// Whose ids the fetch and the build get: `nobody` when `grade` runs as root and the
    /// toolchain can be bound into the fence (see [`build_ids`]), as graded runs do.
    pub(crate) run_as: RunAs,
}

impl Toolchain {
    /// The toolchain `rustc` resolves to where `grade` was started (the teacher's choice).
    ///
    /// Errors: `rustc` cannot be run or prints no sysroot, or the sysroot has no `bin/rustc`
    /// ([`ClassErrorKind::Tool`]).
    pub(crate) fn resolve() -> Result<Toolchain, ClassError> {
        let out = Command::new("rustc")
            .args(["--print", "sysroot"])
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .map_err(|e| {
                ClassError::with_cause(ClassErrorKind::Tool, say!("class-err-rustc-sysroot"), e)
            })?;
        let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !out.status.success() || text.is_empty() {
            return Err(ClassError::new(
                ClassErrorKind::Tool,
                say!("class-err-no-sysroot"),
            ));
        }
        Toolchain::at(Path::new(&text))
    }

    /// The toolchain whose sysroot is `sysroot`.
    ///
    /// Errors: no `bin/rustc` in it ([`ClassErrorKind::Tool`]).
    pub(crate) fn at(sysroot: &Path) -> Result<Toolchain, ClassError> {
        let sysroot = sysroot.canonicalize().map_err(|e| {
            ClassError::with_cause(
                ClassErrorKind::Tool,
                say!(
                    "class-err-toolchain-folder",
                    path = sysroot.display().to_string()
                ),
                e,
            )
        })?;
        let rustc = sysroot.join("bin/rustc");
        if !rustc.is_file() {
            return Err(ClassError::new(
                ClassErrorKind::Tool,
                say!(
                    "class-err-no-rustc",
                    path = sysroot.join("bin").display().to_string()
                ),
            ));
        }
        let name = sysroot
            .parent()
            .filter(|p| p.file_name().is_some_and(|n| n == "toolchains"))
            .and_then(|_| sysroot.file_name())
            .map(|n| n.to_string_lossy().into_owned());
        Ok(Toolchain {
            cargo: sysroot.join("bin/cargo"),
            rustc,
            run_as: build_ids(&sysroot),
            sysroot,
            name,
        })
    }

    /// The variables every build step gets: `RUSTC`, `RUSTDOC`, and `RUSTUP_TOOLCHAIN` when
    /// the toolchain is rustup's (it outranks any toolchain file a proxy would read).
    pub(crate) fn env(&self) -> Vec<(OsString, OsString)> {
        let mut env = vec![
            (OsString::from("RUSTC"), self.rustc.clone().into()),
            (
                OsString::from("RUSTDOC"),
                self.sysroot.join("bin/rustdoc").into(),
            ),
        ];
        if let Some(name) = &self.name {
            env.push((OsString::from("RUSTUP_TOOLCHAIN"), OsString::from(name)));
        }
        env
    }

    /// One line for the build log.
    pub(crate) fn describe(&self) -> String {
        let line = self.which();
        if self.run_as == RunAs::Invoker && is_root() {
            say!("class-log-toolchain-as-root", toolchain = line)
        } else {
            line
        }
    }

    fn which(&self) -> String {
        match &self.name {
            Some(name) => say!(
                "class-log-toolchain-named",
                name = name.as_str(),
                sysroot = self.sysroot.display().to_string()
            ),
            None => say!(
                "class-log-toolchain",
                sysroot = self.sysroot.display().to_string()
            ),
        }
    }
}

fn is_root() -> bool {
    // SAFETY: geteuid cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// The ids of the fetch and the build with the toolchain at `sysroot`: `nobody` (as root;
/// anyone else keeps their own) when a fence for `nobody` can be had with the sysroot bound
/// read-only into it (a rustup toolchain sits under `/root`, mode 0700, which `nobody` cannot
/// enter; the bind leaves the host's modes as they are). Otherwise (no namespaces, or a
/// toolchain whose own files are not readable by others) root's uid without any capability,
/// Landlock then keeping root's files read-only.
fn build_ids(sysroot: &Path) -> RunAs {
    if !is_root() {
        return RunAs::Nobody;
    }
    let options = FenceOptions {
        bound_read_only: vec![sysroot.to_path_buf()],
        run_as: RunAs::Nobody,
        ..FenceOptions::default()
    };
    match Fence::prepare(&options) {
        Ok(_) => RunAs::Nobody,
        Err(_) => RunAs::Invoker,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_toolchain_is_found_by_its_sysroot() {
        let tc = Toolchain::resolve().expect("rustc is installed");
        assert!(tc.rustc.is_absolute() && tc.rustc.is_file(), "{tc:?}");
        assert!(tc.cargo.starts_with(&tc.sysroot), "{tc:?}");
        let env = tc.env();
        assert_eq!(env[0].1, tc.rustc.as_os_str());
        let empty = std::env::temp_dir().join(format!("no-toolchain-{}", std::process::id()));
        std::fs::create_dir_all(&empty).expect("mkdir");
        let e = Toolchain::at(&empty).expect_err("no rustc there");
        let _ = std::fs::remove_dir_all(&empty);
        assert!(e.to_string().contains("no rustc in"), "{e}");
    }
}
