//! Where the fence of issue 10 (crate `fence`) plugs into a submission's build: every step
//! (`cargo fetch`, `cargo build`, `rustc`) runs inside it.
//!
//! The profile is `fence::FenceOptions::for_build`, narrowed to what the class gives each
//! submission: it reads its own copy and the teacher's toolchain folder (the sysroot, not the
//! rest of `~/.rustup` or `~/.cargo`), writes its target folder and a private `CARGO_HOME`
//! seeded from the teacher's registry cache (see `cargo_home`), and reaches no network. A fetch
//! may also write the copy (`Cargo.lock`); a fetch that must download stays on the host's
//! network with TCP connect allowed to port 443 only (crates.io is HTTPS), which is the one
//! place a host listener on 443 could be reached: it runs cargo only, with no toolchain file,
//! no cargo configuration and no dependency but crates.io's (see `deps`).

use std::path::PathBuf;
use std::process::Command;

use fence::{Fence, FenceOptions, SYSTEM_PATH};

use super::error::{ClassError, ClassErrorKind};
use super::relay::RELAY_PORT;
use super::toolchain::Toolchain;
use i18n::say;

/// Which step a fence is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StepKind {
    /// A build: the project read-only, no network.
    Build,
    /// `cargo fetch --offline`: the project writable (`Cargo.lock`), no network.
    Fetch,
    /// `cargo fetch`: the project writable, the host's network with TCP to port 443 only.
    FetchOnline,
}

/// What a fenced step may touch.
#[derive(Debug, Clone)]
pub(crate) struct BuildPaths {
    /// The submission's copy, or the single file's private folder.
    pub(crate) project: PathBuf,
    /// Where the build writes: the target directory or the binary's folder.
    pub(crate) target_dir: PathBuf,
    /// The submission's private `CARGO_HOME` (writable: the build unpacks sources there).
    pub(crate) cargo_home: PathBuf,
}

/// A fence applied to one build step; dropping it after the step removes its scratch
/// directory.
#[derive(Debug)]
pub(crate) struct BuildFence {
    /// One line for the build log: which fences hold, and which are missing.
    pub(crate) status: String,
    fence: Fence,
}

impl BuildFence {
    /// The relay listener of the step just spawned, if its fence has one.
    ///
    /// Errors: it cannot be received.
    pub(crate) fn take_relay(&self) -> Result<Option<std::net::TcpListener>, fence::FenceError> {
        self.fence.take_relay()
    }
}

/// The fence options of one step of `kind`.
pub(crate) fn step_options(
    paths: &BuildPaths,
    toolchain: &Toolchain,
    kind: StepKind,
) -> FenceOptions {
    let mut options = FenceOptions::for_build(&fence::BuildPaths {
        project: paths.project.clone(),
        target_dir: paths.target_dir.clone(),
        cargo_home: paths.cargo_home.clone(),
        rustup_home: None,
    });
    // Bound into the fence when its ids cannot reach it (a rustup toolchain under /root).
    options.bound_read_only.push(toolchain.sysroot.clone());
    options.writable.push(paths.cargo_home.clone());
    options.run_as = toolchain.run_as;
    // The toolchain's own binaries first: no rustup proxy, which would read toolchain files.
    let mut path = toolchain.sysroot.join("bin").into_os_string();
    path.push(":");
    path.push(SYSTEM_PATH);
    options.path = path;
    options.env.extend(toolchain.env());
    match kind {
        StepKind::Build => {}
        StepKind::Fetch => options.writable.push(paths.project.clone()),
        StepKind::FetchOnline => {
            options.writable.push(paths.project.clone());
            if fence::probe().namespaces.is_ok() {
                // No network but grade's relay: an HTTPS proxy to crates.io (see `relay`).
                options.relay_port = Some(RELAY_PORT);
                options.env.push((
                    "CARGO_HTTP_PROXY".into(),
                    format!("http://127.0.0.1:{RELAY_PORT}").into(),
                ));
            } else {
                // No network namespace to be had: the host's network, TCP to port 443 only
                // (UDP is not fenced then; the status line says so).
                options.host_network_tcp_ports = Some(vec![443]);
            }
            // HTTPS needs the public CA certificates (the fence hides /etc/ssl, which holds
            // private keys too).
            for public in ["/etc/ssl/certs", "/etc/ssl/openssl.cnf"] {
                if std::path::Path::new(public).exists() {
                    options.read_only.push(public.into());
                }
            }
            options.env.retain(|(k, _)| k != "CARGO_NET_OFFLINE");
        }
    }
    options
}

/// Puts `cmd` inside the fence of `options`: add hooks that must run before the fence's (a new
/// session) first, and keep the returned guard until the step is over.
///
/// Errors: the fence cannot be prepared (a path it must open is missing, a ruleset cannot be
/// built); kind [`ClassErrorKind::Io`], the cause kept.
pub(crate) fn fence_step(
    cmd: &mut Command,
    options: &FenceOptions,
) -> Result<BuildFence, ClassError> {
    let fence = Fence::prepare(options).map_err(|e| {
        ClassError::with_cause(ClassErrorKind::Io, say!("class-err-fence-build"), e)
    })?;
    fence.apply(cmd).map_err(|e| {
        ClassError::with_cause(ClassErrorKind::Io, say!("class-err-fence-build"), e)
    })?;
    Ok(BuildFence {
        status: say!("class-log-build-fence", status = fence.status().to_string()),
        fence,
    })
}
