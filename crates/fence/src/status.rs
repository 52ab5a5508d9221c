//! Which fences a run gets and which are missing, with why: [`FenceStatus`], shown as one line.

use std::fmt;

/// The fences of a prepared [`Fence`](crate::Fence). `Display` writes one line, e.g.
/// `fenced: user+net+mount+ipc+uts namespaces, landlock v7 (fs, signals, abstract sockets),
/// seccomp (...), rlimits (no cgroup v2 delegation: memory per process, not per run)`, with
/// `; missing: ...` after it when a fence could not be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FenceStatus {
    /// Whether the fence is on at all (`false` for a run the caller chose not to fence).
    pub fenced: bool,
    /// The run has its own user, network, mount, IPC and UTS namespaces.
    pub namespaces: bool,
    /// The Landlock ABI enforced, if any.
    pub landlock_abi: Option<i32>,
    /// What the Landlock ruleset covers (`fs`, `tcp`, `signals`, `abstract sockets`).
    pub landlock_covers: Vec<&'static str>,
    /// The seccomp deny list is installed.
    pub seccomp: bool,
    /// The run's ids: `nobody`, the invoker's, or `uid 0 without capabilities`.
    pub ids: String,
    /// Each missing fence, with what it leaves open.
    pub missing: Vec<String>,
    /// The port of the run's relay to the invoker, if it has one
    /// ([`FenceOptions::relay_port`](crate::FenceOptions::relay_port)).
    pub relay: Option<u16>,
}

impl FenceStatus {
    /// The status of a run the caller chose not to fence, naming why (e.g. `--no-fence`).
    pub fn unfenced(why: &str) -> FenceStatus {
        FenceStatus {
            fenced: false,
            namespaces: false,
            landlock_abi: None,
            landlock_covers: Vec::new(),
            seccomp: false,
            ids: "the invoker's".to_string(),
            missing: vec![format!("not fenced ({why})")],
            relay: None,
        }
    }

    /// The fences that are up, in the order of the line.
    pub fn up(&self) -> Vec<String> {
        if !self.fenced {
            return Vec::new();
        }
        let mut up = Vec::new();
        if self.namespaces {
            up.push("user+net+mount+ipc+uts namespaces".to_string());
        }
        if let Some(port) = self.relay {
            up.push(format!(
                "no network but a relay on the run's 127.0.0.1:{port} to grade (no UDP, no host listener)"
            ));
        }
        if let Some(abi) = self.landlock_abi {
            up.push(format!(
                "landlock v{abi} ({})",
                self.landlock_covers.join(", ")
            ));
        }
        if self.seccomp {
            up.push(crate::seccomp::SUMMARY.to_string());
        }
        up.push("rlimits (no cgroup v2 delegation: memory per process, not per run)".to_string());
        up.push(format!("runs as {}", self.ids));
        up
    }
}

impl fmt::Display for FenceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.fenced {
            return write!(f, "{}", self.missing.join("; "));
        }
        write!(f, "fenced: {}", self.up().join(", "))?;
        if !self.missing.is_empty() {
            write!(f, "; missing: {}", self.missing.join("; "))?;
        }
        Ok(())
    }
}
