//! What a fence allows and limits: [`FenceOptions`], with the defaults of issue 10 and a
//! profile for builds of submissions.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The uid and gid of `nobody`, which a run started by root gets.
pub const NOBODY: u32 = 65534;

/// One GiB, the default memory limit.
const GIB: u64 = 1 << 30;
/// One MiB.
const MIB: u64 = 1 << 20;

/// The PATH a fenced program gets: the system's directories only, so that `python3` is
/// `/usr/bin/python3` and not a shim under the invoker's home (which the fence hides).
pub const SYSTEM_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Whose ids the fenced program runs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RunAs {
    /// As root: uid and gid 65534 (`nobody`), no supplementary groups. As anyone else: their own
    /// ids. Either way the program has no capability outside its namespaces.
    #[default]
    Nobody,
    /// The invoker's own ids. As root that is uid 0 *without any capability* (empty capability
    /// sets, empty bounding set, `SECBIT_NOROOT` locked): meant for builds whose toolchain only
    /// root can read (`/root/.rustup`). Landlock then is what keeps root-owned files read-only.
    Invoker,
}

/// Fences that can be switched off one by one, to run without them or to show which fence
/// stops an attack on its own (the attack table of issue 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Disabled {
    /// No user, network, mount, IPC or UTS namespace (and so no private loopback, no tmpfs
    /// scratch, no private `/dev/shm`).
    pub namespaces: bool,
    /// No Landlock ruleset (files, TCP, signal and abstract-socket scoping).
    pub landlock: bool,
    /// No seccomp deny list.
    pub seccomp: bool,
}

/// What a fenced run may do, and its limits. `Default` gives issue 10's defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FenceOptions {
    /// Processes *and threads* of the run (`RLIMIT_NPROC`, counted per user namespace on
    /// Linux >= 5.14, so per run when the run has its own). Default 256.
    pub max_procs: u64,
    /// Bytes of data memory per process (`RLIMIT_DATA`: heap and private writable mappings;
    /// without a delegated cgroup v2 tree there is no per-run memory limit). Default 1 GiB.
    pub max_memory: u64,
    /// Bytes of the scratch tmpfs, and the largest file the run may write (`RLIMIT_FSIZE`).
    /// Default 256 MiB.
    pub max_disk: u64,
    /// CPU time per process (`RLIMIT_CPU`, whole seconds, rounded up); `None` for no limit.
    pub cpu_time: Option<Duration>,
    /// Extra paths the run may read and execute below (the command's directory, a submission,
    /// a toolchain). Absolute.
    pub read_only: Vec<PathBuf>,
    /// Extra paths the run may also write below (a build's target directory). Absolute.
    pub writable: Vec<PathBuf>,
    /// Folders the run may read and execute below (as `read_only`) that its ids may not
    /// reach on the host: a toolchain under `/root` (mode 0700) for a run that root drops to
    /// `nobody`. Each is bound read-only at the same path inside the run's mount namespace,
    /// over a private tmpfs on the first folder above it that `nobody` cannot search (which
    /// hides the rest of that folder); the host's modes are left as they are. A folder the
    /// run's ids reach already is only read-only. Needs the namespaces when a bind is needed
    /// ([`Fence::prepare`](crate::Fence::prepare) fails without them), and the folder itself
    /// must give others read and search.
    pub bound_read_only: Vec<PathBuf>,
    /// Whether the run's own loopback is up (127.0.0.1 and ::1 inside the run only).
    /// Without a network namespace, TCP bind and connect are refused either way.
    pub loopback: bool,
    /// `None` (the default): the run has a network namespace of its own (see `loopback`).
    /// `Some(ports)`: the run stays on the host's network, and Landlock (ABI 4 and later)
    /// lets it connect over TCP to these ports only and bind no TCP port. Meant for fetching
    /// dependencies over HTTPS (`[443]`); UDP is not fenced (name lookups work), and a host
    /// listener on an allowed port stays reachable.
    pub host_network_tcp_ports: Option<Vec<u16>>,
    /// `Some(port)`: the run has a network namespace of its own with its loopback up, and
    /// nothing else: before the program starts, the fence listens on `127.0.0.1:port` inside
    /// it and hands that listener to the invoker ([`Fence::take_relay`](crate::Fence::take_relay),
    /// after the spawn), which relays what it accepts to what it allows (an HTTPS proxy for a
    /// dependency fetch). The run reaches nothing else of the host's network, UDP included.
    /// Needs the namespaces; not with `host_network_tcp_ports`.
    pub relay_port: Option<u16>,
    /// Whose ids the run gets.
    pub run_as: RunAs,
    /// Where the scratch directory is made; `None` for `std::env::temp_dir()`.
    pub scratch_parent: Option<PathBuf>,
    /// The PATH the run gets (default [`SYSTEM_PATH`]).
    pub path: OsString,
    /// Further environment variables for the run (after TMPDIR, HOME and PATH).
    pub env: Vec<(OsString, OsString)>,
    /// Fences switched off.
    pub disabled: Disabled,
}

impl Default for FenceOptions {
    fn default() -> Self {
        FenceOptions {
            max_procs: 256,
            max_memory: GIB,
            max_disk: 256 * MIB,
            cpu_time: None,
            read_only: Vec::new(),
            writable: Vec::new(),
            bound_read_only: Vec::new(),
            loopback: true,
            host_network_tcp_ports: None,
            relay_port: None,
            run_as: RunAs::Nobody,
            scratch_parent: None,
            path: OsString::from(SYSTEM_PATH),
            env: Vec::new(),
            disabled: Disabled::default(),
        }
    }
}

/// Where a fenced build finds its project and toolchain (see [`FenceOptions::for_build`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildPaths {
    /// The project (read-only: a build writes only to its target directory).
    pub project: PathBuf,
    /// The target directory (writable; it must exist).
    pub target_dir: PathBuf,
    /// `CARGO_HOME`, whose `registry`, `git` and `bin` folders and `config.toml` are readable
    /// (not its `credentials.toml`). Dependencies must have been fetched before. For a
    /// stranger's project, give a private `CARGO_HOME` (as `grade class` does): the invoker's
    /// `git/` may hold clones of private repositories.
    pub cargo_home: PathBuf,
    /// `RUSTUP_HOME` (read-only), if the toolchain comes from rustup.
    pub rustup_home: Option<PathBuf>,
}

impl FenceOptions {
    /// The fence for building a submission: no network at all (not even loopback), the target
    /// directory and the scratch directory writable, the project and the toolchain read-only,
    /// CARGO_HOME and RUSTUP_HOME kept (HOME is the scratch directory) and `CARGO_NET_OFFLINE`
    /// set. Fetch first (`grade class` runs `cargo fetch` in this fence too, with the project
    /// and its private `CARGO_HOME` writable: a project's toolchain file or a git dependency
    /// must never be acted on with the invoker's rights), then `cargo build --offline --locked`
    /// inside: the project is read-only. Runs as the invoker ([`RunAs::Invoker`]) because a root
    /// toolchain lives under `/root`, which `nobody` cannot enter: to run it as `nobody`, set
    /// [`RunAs::Nobody`] and put the toolchain in `bound_read_only` (as `grade class` does).
    pub fn for_build(paths: &BuildPaths) -> FenceOptions {
        let mut read_only = vec![paths.project.clone()];
        for sub in ["registry", "git", "bin", "config.toml", "config"] {
            let p = paths.cargo_home.join(sub);
            if p.exists() {
                read_only.push(p);
            }
        }
        let mut env = vec![
            (
                OsString::from("CARGO_HOME"),
                paths.cargo_home.clone().into(),
            ),
            (OsString::from("CARGO_NET_OFFLINE"), OsString::from("true")),
            (
                OsString::from("CARGO_TARGET_DIR"),
                paths.target_dir.clone().into(),
            ),
        ];
        if let Some(rustup) = &paths.rustup_home {
            read_only.push(rustup.clone());
            env.push((OsString::from("RUSTUP_HOME"), rustup.clone().into()));
        }
        let mut path = paths.cargo_home.join("bin").into_os_string();
        path.push(":");
        path.push(SYSTEM_PATH);
        FenceOptions {
            read_only,
            writable: vec![paths.target_dir.clone()],
            loopback: false,
            run_as: RunAs::Invoker,
            path,
            env,
            // rustc and its linker run many processes and threads at once.
            max_procs: 512,
            max_memory: 4 * GIB,
            max_disk: GIB,
            ..FenceOptions::default()
        }
    }

    /// The command's own directory as a read-only path: what a run needs to start a program
    /// given by path. Returns `self` for chaining.
    pub fn with_command_dir(mut self, program: &Path) -> FenceOptions {
        if let Some(dir) = program.parent().filter(|d| d.is_absolute()) {
            self.read_only.push(dir.to_path_buf());
        }
        self
    }
}
