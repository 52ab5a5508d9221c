//! The seccomp filters the traced program runs under, compiled before the fork.
//!
//! Only the system calls that matter stop the tracee (`SECCOMP_RET_TRACE`): every other call runs
//! at full speed. A few calls that would let a task slip out of the trace are refused outright.

use std::collections::BTreeMap;

use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
    SeccompRule, TargetArch, sock_filter,
};

use crate::error::{TraceError, TraceErrorKind};

/// The system calls that can put bytes on stdout or stderr.
pub(crate) const WRITE_CALLS: &[i64] = &[
    libc::SYS_write,
    libc::SYS_writev,
    libc::SYS_pwrite64,
    libc::SYS_pwritev,
    libc::SYS_pwritev2,
    libc::SYS_sendfile,
    libc::SYS_splice,
    libc::SYS_tee,
    libc::SYS_vmsplice,
];

/// The system calls that read from a pipe or socket, and those that send on a socket beside the
/// write family: stopped at when channels are recorded.
pub(crate) const CHANNEL_CALLS: &[i64] = &[
    libc::SYS_read,
    libc::SYS_readv,
    libc::SYS_preadv2,
    libc::SYS_recvfrom,
    libc::SYS_recvmsg,
    libc::SYS_recvmmsg,
    libc::SYS_sendto,
    libc::SYS_sendmsg,
    libc::SYS_sendmmsg,
];

/// The calls a task sleeps a fixed time in: stop points of an ordered schedule (PCT, explore),
/// so that whether a task sleeps is known when it starts to, not guessed from `/proc` after.
pub(crate) const SLEEP_CALLS: &[i64] = &[libc::SYS_nanosleep, libc::SYS_clock_nanosleep];

/// Calls watched without conditions when refusals are asked for.
const REFUSAL_CALLS: &[i64] = &[
    libc::SYS_connect,
    libc::SYS_bind,
    libc::SYS_kill,
    libc::SYS_tkill,
    libc::SYS_tgkill,
    libc::SYS_pidfd_send_signal,
    libc::SYS_openat2,
    libc::SYS_mkdirat,
    libc::SYS_unlinkat,
    libc::SYS_renameat,
    libc::SYS_renameat2,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_creat,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_mkdir,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_unlink,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_rename,
];

/// The compiled filters, installed in this order in the child.
#[derive(Debug, Clone)]
pub(crate) struct Filters {
    pub(crate) programs: Vec<BpfProgram>,
}

fn arch() -> Result<TargetArch, TraceError> {
    std::env::consts::ARCH
        .try_into()
        .map_err(|e| TraceError::new(TraceErrorKind::Os, format!("no seccomp filter here: {e}")))
}

fn compile(
    rules: BTreeMap<i64, Vec<SeccompRule>>,
    action: SeccompAction,
) -> Result<BpfProgram, TraceError> {
    let filter = SeccompFilter::new(rules, SeccompAction::Allow, action, arch()?)
        .and_then(BpfProgram::try_from)
        .map_err(|e| {
            TraceError::new(
                TraceErrorKind::Os,
                format!("cannot compile the seccomp filter: {e}"),
            )
        })?;
    Ok(filter)
}

fn cond(arg: u8, op: SeccompCmpOp, value: u64) -> Result<SeccompCondition, TraceError> {
    SeccompCondition::new(arg, SeccompCmpArgLen::Dword, op, value)
        .map_err(|e| TraceError::new(TraceErrorKind::Os, format!("bad seccomp condition: {e}")))
}

fn rule(conds: Vec<SeccompCondition>) -> Result<SeccompRule, TraceError> {
    SeccompRule::new(conds)
        .map_err(|e| TraceError::new(TraceErrorKind::Os, format!("bad seccomp rule: {e}")))
}

/// One rule per write flag: any of them set makes an open "for writing".
fn write_flag_rules(arg: u8) -> Result<Vec<SeccompRule>, TraceError> {
    [libc::O_WRONLY, libc::O_RDWR, libc::O_CREAT, libc::O_TRUNC]
        .into_iter()
        .map(|flag| {
            let flag = flag as u64;
            rule(vec![cond(arg, SeccompCmpOp::MaskedEq(flag), flag)?])
        })
        .collect()
}

/// The filter whose matches stop the tracee: writes always; sleeps, refusal-prone calls, channel
/// calls, waits and signals when asked.
fn trace_filter(
    watch_refusals: bool,
    watch_sleeps: bool,
    channels: bool,
    waits: bool,
) -> Result<BpfProgram, TraceError> {
    let mut rules: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
    for &nr in WRITE_CALLS {
        rules.insert(nr, Vec::new());
    }
    if watch_sleeps {
        for &nr in SLEEP_CALLS {
            rules.insert(nr, Vec::new());
        }
    }
    if watch_refusals {
        for &nr in REFUSAL_CALLS {
            rules.insert(nr, Vec::new());
        }
        rules.insert(libc::SYS_openat, write_flag_rules(2)?);
        #[cfg(target_arch = "x86_64")]
        rules.insert(libc::SYS_open, write_flag_rules(1)?);
        // sendto with a destination address: a datagram sent somewhere.
        rules.insert(
            libc::SYS_sendto,
            vec![rule(vec![
                SeccompCondition::new(4, SeccompCmpArgLen::Qword, SeccompCmpOp::Ne, 0).map_err(
                    |e| TraceError::new(TraceErrorKind::Os, format!("bad seccomp condition: {e}")),
                )?,
            ])?],
        );
    }
    if channels {
        // Unconditional: sendto without an address sends on a connected socket.
        for &nr in CHANNEL_CALLS {
            rules.insert(nr, Vec::new());
        }
    }
    if waits {
        for &nr in crate::ends::WAIT_CALLS
            .iter()
            .chain(crate::ends::READY_CALLS)
            .chain(crate::ends::SIGNAL_CALLS)
        {
            rules.insert(nr, Vec::new());
        }
    }
    compile(rules, SeccompAction::Trace(0))
}

/// Calls that would hide a task or a write from the tracer fail as if the kernel lacked them:
/// clone3 (its flags sit in memory the filter cannot read; libc falls back to clone) and io_uring
/// (writes without a system call per write).
fn enosys_filter() -> Result<BpfProgram, TraceError> {
    let mut rules: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
    rules.insert(libc::SYS_clone3, Vec::new());
    rules.insert(libc::SYS_io_uring_setup, Vec::new());
    compile(rules, SeccompAction::Errno(libc::ENOSYS as u32))
}

/// clone with `CLONE_UNTRACED` would make a task the tracer never sees.
fn untraced_filter() -> Result<BpfProgram, TraceError> {
    let flag = libc::CLONE_UNTRACED as u64;
    let mut rules: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
    rules.insert(
        libc::SYS_clone,
        vec![rule(vec![cond(0, SeccompCmpOp::MaskedEq(flag), flag)?])?],
    );
    compile(rules, SeccompAction::Errno(libc::EPERM as u32))
}

/// x32 system calls (numbers with bit 30 set) pass the x86_64 architecture check with numbers the
/// other filters do not list: refuse them all.
#[cfg(target_arch = "x86_64")]
fn x32_filter() -> BpfProgram {
    // BPF_LD | BPF_W | BPF_ABS, BPF_JMP | BPF_JEQ | BPF_K, BPF_JMP | BPF_JGE | BPF_K, BPF_RET | BPF_K.
    const LD_W_ABS: u16 = 0x20;
    const JEQ_K: u16 = 0x15;
    const JGE_K: u16 = 0x35;
    const RET_K: u16 = 0x06;
    const AUDIT_ARCH_X86_64: u32 = 0xc000_003e;
    let ins = |code, jt, jf, k| sock_filter { code, jt, jf, k };
    vec![
        ins(LD_W_ABS, 0, 0, 4),
        ins(JEQ_K, 0, 3, AUDIT_ARCH_X86_64),
        ins(LD_W_ABS, 0, 0, 0),
        ins(JGE_K, 0, 1, 0x4000_0000),
        ins(RET_K, 0, 0, libc::SECCOMP_RET_ERRNO | libc::ENOSYS as u32),
        ins(RET_K, 0, 0, libc::SECCOMP_RET_ALLOW),
    ]
}

impl Filters {
    /// Compiles every filter (allocates: call before the fork).
    pub(crate) fn build(
        watch_refusals: bool,
        watch_sleeps: bool,
        channels: bool,
        waits: bool,
    ) -> Result<Filters, TraceError> {
        let mut programs = vec![enosys_filter()?, untraced_filter()?];
        #[cfg(target_arch = "x86_64")]
        programs.push(x32_filter());
        programs.push(trace_filter(watch_refusals, watch_sleeps, channels, waits)?);
        Ok(Filters { programs })
    }
}
