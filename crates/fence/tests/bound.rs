//! `FenceOptions::bound_read_only`: a toolchain under `/root` (mode 0700) runs in a fence that
//! root drops to `nobody`, bound read-only into the run; the host's modes stay as they were,
//! and the rest of `/root` stays hidden.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::Command;

use fence::{Fence, FenceOptions, RunAs, probe};

/// The sysroot of the `rustc` on PATH.
fn sysroot() -> PathBuf {
    let out = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .expect("rustc");
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

#[test]
fn a_toolchain_nobody_cannot_reach_is_bound_read_only_into_the_run() {
    let sysroot = sysroot();
    let mode_before = std::fs::metadata("/root")
        .map(|m| m.permissions().mode())
        .ok();
    let options = FenceOptions {
        bound_read_only: vec![sysroot.clone()],
        run_as: RunAs::Nobody,
        ..FenceOptions::default()
    };
    let fence = Fence::prepare(&options).expect("prepare");
    let status = fence.status().to_string();
    // SAFETY: geteuid cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    let hidden = sysroot
        .ancestors()
        .any(|a| std::fs::metadata(a).is_ok_and(|m| m.permissions().mode() & 0o001 == 0));
    if root && hidden && probe().namespaces.is_ok() {
        assert!(status.contains("bound read-only"), "{status}");
    } else {
        assert!(!status.contains("bound read-only"), "{status}");
    }
    let rustc = sysroot.join("bin/rustc");
    let script = format!(
        "{} --version && id -u && (touch {}/x 2>/dev/null && echo wrote || echo refused) && ls -A /root 2>&1 | tr '\\n' ' '",
        rustc.display(),
        sysroot.display()
    );
    let mut cmd = Command::new("/bin/sh");
    cmd.args(["-c", &script]);
    fence.apply(&mut cmd).expect("apply");
    let out = cmd.output().expect("sh");
    let said = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = said.lines().collect();
    assert!(
        out.status.success() && lines.len() == 4,
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(lines[0].starts_with("rustc "), "{said}");
    assert_eq!(lines[2], "refused", "{said}");
    if root {
        assert_eq!(lines[1], "65534", "{said}");
        if hidden && sysroot.starts_with("/root") {
            // At most the way down to the toolchain (Landlock hides even that listing):
            // none of root's own files.
            let first = sysroot
                .strip_prefix("/root")
                .ok()
                .and_then(|r| r.components().next())
                .map(|c| c.as_os_str().to_os_string())
                .unwrap_or_default();
            let seen: Vec<&str> = lines[3].split_whitespace().collect();
            for own in std::fs::read_dir("/root").expect("/root").flatten() {
                let name = own.file_name();
                if name != first {
                    assert!(
                        !seen.contains(&name.to_string_lossy().as_ref()),
                        "{name:?} seen: {said}"
                    );
                }
            }
        }
    }
    assert_eq!(
        std::fs::metadata("/root")
            .map(|m| m.permissions().mode())
            .ok(),
        mode_before,
        "the host's modes changed"
    );
}
