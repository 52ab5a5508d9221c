//! Facts of the kernel the fence is built on, checked for real.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;

use landlock::{
    ABI, Access, AccessFs, PathBeneath, PathFd, Ruleset, RulesetAttr, RulesetCreatedAttr,
};

use crate::child::{Mount, Plan};
use crate::options::NOBODY;
use crate::probe::identity_maps;

/// In a forked child: new user and mount namespaces, a tmpfs on `dir`, a ruleset whose only
/// rule is on `dir` (plus, if `late`, one on the mounted tmpfs root), then `open(dir/f,
/// O_CREAT)`. Returns the errno (0: created).
fn create_in_tmpfs(dir: &std::path::Path, late: bool) -> i32 {
    // SAFETY: geteuid cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    let (uid, gid) = if root {
        (NOBODY, NOBODY)
    } else {
        // SAFETY: these getters cannot fail.
        unsafe { (libc::geteuid(), libc::getegid()) }
    };
    let all = AccessFs::from_all(ABI::V7);
    let ruleset = Ruleset::default()
        .handle_access(all)
        .expect("handle")
        .create()
        .expect("create")
        .add_rule(PathBeneath::new(PathFd::new(dir).expect("dir"), all))
        .expect("rule");
    let c = |s: &[u8]| CString::new(s).expect("no NUL");
    let dir_c = c(dir.as_os_str().as_bytes());
    let plan = Plan {
        drop_first: root.then_some((uid, gid)),
        unshare: libc::CLONE_NEWUSER | libc::CLONE_NEWNS,
        id_maps: Some(identity_maps(uid, gid)),
        mounts: vec![
            Mount {
                source: c(b"none"),
                target: c(b"/"),
                fstype: None,
                flags: libc::MS_REC | libc::MS_PRIVATE,
                data: None,
                make_dir: None,
            },
            Mount {
                source: c(b"tmpfs"),
                target: dir_c.clone(),
                fstype: Some(c(b"tmpfs")),
                flags: 0,
                data: Some(c(b"size=1m,mode=0777")),
                make_dir: None,
            },
        ],
        landlock: Option::from(ruleset),
        landlock_late: if late { vec![dir_c] } else { Vec::new() },
        late_access: all.bits(),
        ..Plan::default()
    };
    let file = c(dir.join("f").as_os_str().as_bytes());
    let mut fds = [0; 2];
    // SAFETY: pipe2 fills two fds.
    assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
    // SAFETY: the child makes raw syscalls only and _exits.
    let pid = unsafe { libc::fork() };
    if pid == 0 {
        let errno: i32 = match plan.enforce() {
            Err(e) => 1000 + e.raw_os_error().unwrap_or(0),
            // SAFETY: a NUL-terminated path.
            Ok(()) => {
                match unsafe { libc::open(file.as_ptr(), libc::O_CREAT | libc::O_WRONLY, 0o600) } {
                    -1 => std::io::Error::last_os_error().raw_os_error().unwrap_or(-1),
                    _ => 0,
                }
            }
        };
        // SAFETY: 4 bytes to the pipe, then exit without unwinding.
        unsafe {
            libc::write(fds[1], errno.to_ne_bytes().as_ptr().cast(), 4);
            libc::_exit(0);
        }
    }
    let mut bytes = [0u8; 4];
    // SAFETY: closes our write end, reads 4 bytes, reaps the child.
    unsafe {
        libc::close(fds[1]);
        assert_eq!(libc::read(fds[0], bytes.as_mut_ptr().cast(), 4), 4);
        libc::close(fds[0]);
        libc::waitpid(pid, std::ptr::null_mut(), 0);
    }
    i32::from_ne_bytes(bytes)
}

/// The assumption was that a rule on a mountpoint covers what is mounted on it
/// ("Landlock walks up across mount points"). It does not: the walk skips the rules of a
/// hidden mountpoint, so the child must add a rule for its tmpfs root once mounted.
#[test]
fn a_rule_on_a_mountpoint_does_not_cover_a_tmpfs_mounted_on_it() {
    let dir = std::env::temp_dir().join(format!("fence-mountpoint-{}", std::process::id()));
    std::fs::create_dir(&dir).expect("dir");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let without = create_in_tmpfs(&dir, false);
    let with = create_in_tmpfs(&dir, true);
    std::fs::remove_dir(&dir).expect("the tmpfs was private to the child");
    assert_eq!((without, with), (libc::EACCES, 0));
}
