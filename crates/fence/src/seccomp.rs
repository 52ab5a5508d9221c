//! The seccomp deny list of a run: syscalls no program of the notes needs and that widen what
//! a stranger's program can reach (new user namespaces, mounts, keyrings, eBPF, perf,
//! ptrace of others, terminal injection). Everything else is allowed: fork, threads, pipes,
//! sockets, signals. `ptrace(PTRACE_TRACEME)` stays allowed for the tracer installed after us.

use std::collections::BTreeMap;

use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
    SeccompRule, TargetArch,
};

use crate::error::{FenceError, FenceErrorKind};

/// Syscalls refused whatever their arguments.
const ALWAYS: &[libc::c_long] = &[
    libc::SYS_setns,
    libc::SYS_mount,
    libc::SYS_umount2,
    libc::SYS_pivot_root,
    libc::SYS_open_tree,
    libc::SYS_move_mount,
    libc::SYS_fsopen,
    libc::SYS_fsconfig,
    libc::SYS_fsmount,
    libc::SYS_fspick,
    libc::SYS_mount_setattr,
    libc::SYS_keyctl,
    libc::SYS_add_key,
    libc::SYS_request_key,
    libc::SYS_bpf,
    libc::SYS_perf_event_open,
    libc::SYS_userfaultfd,
    libc::SYS_process_vm_readv,
    libc::SYS_process_vm_writev,
    libc::SYS_kexec_load,
    libc::SYS_kexec_file_load,
    libc::SYS_init_module,
    libc::SYS_finit_module,
    libc::SYS_delete_module,
];

/// The two programs to install, in order: the deny list (EPERM), then `clone3` answered with
/// ENOSYS (its flags sit in memory a filter cannot read, so it could create a user namespace;
/// C libraries fall back to `clone`, whose flags the first program checks).
pub(crate) fn programs() -> Result<Vec<BpfProgram>, FenceError> {
    let arch = TargetArch::try_from(std::env::consts::ARCH)
        .map_err(|e| FenceError::with_source(FenceErrorKind::Seccomp, "this architecture", e))?;
    let err = |what: &str, e: seccompiler::BackendError| {
        FenceError::with_source(FenceErrorKind::Seccomp, what.to_string(), e)
    };
    let new_user = libc::CLONE_NEWUSER as u64;
    let flag_rule = |arg: u8| -> Result<Vec<SeccompRule>, FenceError> {
        let cond = SeccompCondition::new(
            arg,
            SeccompCmpArgLen::Qword,
            SeccompCmpOp::MaskedEq(new_user),
            new_user,
        )
        .map_err(|e| err("CLONE_NEWUSER condition", e))?;
        Ok(vec![
            SeccompRule::new(vec![cond]).map_err(|e| err("CLONE_NEWUSER rule", e))?,
        ])
    };

    let mut deny: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
    for &nr in ALWAYS {
        deny.insert(nr, Vec::new());
    }
    deny.insert(libc::SYS_unshare, flag_rule(0)?);
    deny.insert(libc::SYS_clone, flag_rule(0)?);
    let not_traceme = SeccompCondition::new(
        0,
        SeccompCmpArgLen::Qword,
        SeccompCmpOp::Ne,
        libc::PTRACE_TRACEME as u64,
    )
    .map_err(|e| err("ptrace condition", e))?;
    deny.insert(
        libc::SYS_ptrace,
        vec![SeccompRule::new(vec![not_traceme]).map_err(|e| err("ptrace rule", e))?],
    );
    // The ioctl request's type differs between C libraries.
    #[allow(clippy::unnecessary_cast)]
    let tiocsti = SeccompCondition::new(
        1,
        SeccompCmpArgLen::Dword,
        SeccompCmpOp::Eq,
        libc::TIOCSTI as u64,
    )
    .map_err(|e| err("TIOCSTI condition", e))?;
    deny.insert(
        libc::SYS_ioctl,
        vec![SeccompRule::new(vec![tiocsti]).map_err(|e| err("TIOCSTI rule", e))?],
    );

    let deny = SeccompFilter::new(
        deny,
        SeccompAction::Allow,
        SeccompAction::Errno(libc::EPERM as u32),
        arch,
    )
    .map_err(|e| err("the deny list", e))?;
    let mut clone3 = BTreeMap::new();
    clone3.insert(libc::SYS_clone3, Vec::new());
    let clone3 = SeccompFilter::new(
        clone3,
        SeccompAction::Allow,
        SeccompAction::Errno(libc::ENOSYS as u32),
        arch,
    )
    .map_err(|e| err("the clone3 filter", e))?;
    Ok(vec![
        BpfProgram::try_from(deny).map_err(|e| err("compiling the deny list", e))?,
        BpfProgram::try_from(clone3).map_err(|e| err("compiling the clone3 filter", e))?,
    ])
}

/// One line naming what the deny list refuses, for the status.
pub(crate) const SUMMARY: &str =
    "seccomp (no new user namespaces, mounts, keyrings, bpf, perf, ptrace of others, TIOCSTI)";
